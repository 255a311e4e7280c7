namespace ProcessKit.Definitions;

/// <summary>Waits for the first of several events: its flows lead to message waits, timers or human tasks, and the first of them to finish wins; the others are cancelled.</summary>
/// <param name="Id">The step id.</param>
/// <param name="Name">The step name.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record EventChoiceStep(string Id, string Name) : StepDefinition(Id, Name)
{
    /// <inheritdoc />
    public override StepKind Kind => StepKind.EventChoice;
}
