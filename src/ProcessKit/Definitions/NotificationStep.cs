namespace ProcessKit.Definitions;

/// <summary>Tells the people of a role (<see cref="StepDefinition.Role"/>) something, and goes on without waiting.</summary>
/// <param name="Id">The step id.</param>
/// <param name="Name">The step name.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record NotificationStep(string Id, string Name) : StepDefinition(Id, Name)
{
    /// <inheritdoc />
    public override StepKind Kind => StepKind.Notification;

    /// <summary>The text of the notification. Optional.</summary>
    public string? Message { get; init; }
}
