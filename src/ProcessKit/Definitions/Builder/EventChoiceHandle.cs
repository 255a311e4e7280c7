namespace ProcessKit.Definitions;

/// <summary>An event choice declared with <see cref="ProcessBuilder.EventChoice"/>: waits for the first of several events (a message, a timer, a human task); the first to finish wins and the others are cancelled.</summary>
/// <remarks>Not thread-safe, like the builder it belongs to. It can be used only with that builder.</remarks>
public sealed class EventChoiceHandle : StepHandle<EventChoiceHandle>
{
    internal EventChoiceHandle(ProcessBuilder builder, string id, string name)
        : base(builder, id, name)
    {
    }

    /// <summary>Adds a message as one of the events that can win.</summary>
    /// <param name="message">A message wait declared on the same builder.</param>
    /// <param name="path">The kind of path. Default <see cref="PathKind.Happy"/>.</param>
    /// <param name="label">A label for diagrams. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="message"/> was declared on another builder.</exception>
    public EventChoiceHandle WaitFor(WaitMessageHandle message, PathKind path = PathKind.Happy, string? label = null)
    {
        AddFlow(message, nameof(message), path, label);
        return this;
    }

    /// <summary>Adds a timer as one of the events that can win.</summary>
    /// <param name="timer">A timer declared on the same builder.</param>
    /// <param name="path">The kind of path. Default <see cref="PathKind.Happy"/>.</param>
    /// <param name="label">A label for diagrams. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="timer"/> was declared on another builder.</exception>
    public EventChoiceHandle WaitFor(TimerHandle timer, PathKind path = PathKind.Happy, string? label = null)
    {
        AddFlow(timer, nameof(timer), path, label);
        return this;
    }

    /// <summary>Adds a human task as one of the events that can win.</summary>
    /// <param name="task">A human task declared on the same builder.</param>
    /// <param name="path">The kind of path. Default <see cref="PathKind.Happy"/>.</param>
    /// <param name="label">A label for diagrams. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="task"/> was declared on another builder.</exception>
    public EventChoiceHandle WaitFor(HumanTaskHandle task, PathKind path = PathKind.Happy, string? label = null)
    {
        AddFlow(task, nameof(task), path, label);
        return this;
    }

    /// <summary>Sets the role in whose lane the step is drawn. Default none.</summary>
    /// <param name="role">A role declared on the same builder.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="role"/> was declared on another builder.</exception>
    public EventChoiceHandle Role(RoleHandle role) => SetRole(role, nameof(role));

    private protected override StepDefinition CreateStep() => new EventChoiceStep(Id, Name);
}
