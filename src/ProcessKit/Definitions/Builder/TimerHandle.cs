namespace ProcessKit.Definitions;

/// <summary>A timer declared with <see cref="ProcessBuilder.Timer"/>: waits for a length of time, or until a date-time from the data.</summary>
/// <remarks>Not thread-safe, like the builder it belongs to. It can be used only with that builder.</remarks>
public sealed class TimerHandle : StepHandle<TimerHandle>
{
    private readonly DueTime _wait;

    internal TimerHandle(ProcessBuilder builder, string id, string name, DueTime wait)
        : base(builder, id, name)
    {
        _wait = wait;
    }

    /// <summary>Adds the flow taken when the time has come.</summary>
    /// <param name="next">The next step, declared on the same builder; it may be an earlier step (a loop).</param>
    /// <param name="path">The kind of path. Default <see cref="PathKind.Happy"/>.</param>
    /// <param name="label">A label for diagrams. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="next"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="next"/> was declared on another builder.</exception>
    public TimerHandle Then(StepHandle next, PathKind path = PathKind.Happy, string? label = null)
    {
        AddFlow(next, nameof(next), path, label);
        return this;
    }

    /// <summary>Sets the role in whose lane the step is drawn. Default none.</summary>
    /// <param name="role">A role declared on the same builder.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="role"/> was declared on another builder.</exception>
    public TimerHandle Role(RoleHandle role) => SetRole(role, nameof(role));

    private protected override StepDefinition CreateStep() => new TimerStep(Id, Name, _wait);
}
