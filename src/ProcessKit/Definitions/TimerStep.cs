namespace ProcessKit.Definitions;

/// <summary>Waits for a length of time, or until a date-time from the data.</summary>
/// <param name="Id">The step id.</param>
/// <param name="Name">The step name.</param>
/// <param name="Wait">How long, or until when.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record TimerStep(string Id, string Name, DueTime Wait) : StepDefinition(Id, Name)
{
    /// <inheritdoc />
    public override StepKind Kind => StepKind.Timer;
}
