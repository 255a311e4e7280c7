namespace ProcessKit.Definitions;

/// <summary>A notification declared with <see cref="ProcessBuilder.Notification"/>: tells the people of a role something and goes on without waiting.</summary>
/// <remarks>Not thread-safe, like the builder it belongs to. It can be used only with that builder.</remarks>
public sealed class NotificationHandle : StepHandle<NotificationHandle>
{
    private string? _message;

    internal NotificationHandle(ProcessBuilder builder, string id, string name, string role)
        : base(builder, id, name)
    {
        RoleId = role;
    }

    /// <summary>Adds the flow taken once the role has been told.</summary>
    /// <param name="next">The next step, declared on the same builder; it may be an earlier step (a loop).</param>
    /// <param name="path">The kind of path. Default <see cref="PathKind.Happy"/>.</param>
    /// <param name="label">A label for diagrams. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="next"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="next"/> was declared on another builder.</exception>
    public NotificationHandle Then(StepHandle next, PathKind path = PathKind.Happy, string? label = null)
    {
        AddFlow(next, nameof(next), path, label);
        return this;
    }

    /// <summary>Sets the text of the notification. Default none.</summary>
    /// <param name="message">The text.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentException"><paramref name="message"/> is <see langword="null"/>, empty or white space.</exception>
    public NotificationHandle Message(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        _message = message;
        return this;
    }

    private protected override StepDefinition CreateStep() => new NotificationStep(Id, Name) { Message = _message };
}
