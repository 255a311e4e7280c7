namespace ProcessKit.Definitions;

/// <summary>Starts every outgoing flow at once; the branches meet again at the <see cref="ParallelJoinStep"/> that names this split.</summary>
/// <param name="Id">The step id.</param>
/// <param name="Name">The step name.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ParallelSplitStep(string Id, string Name) : StepDefinition(Id, Name)
{
    /// <inheritdoc />
    public override StepKind Kind => StepKind.ParallelSplit;
}
