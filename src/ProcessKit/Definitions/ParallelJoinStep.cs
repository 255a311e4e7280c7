namespace ProcessKit.Definitions;

/// <summary>Waits until every branch of its parallel split has arrived, then goes on.</summary>
/// <param name="Id">The step id.</param>
/// <param name="Name">The step name.</param>
/// <param name="Split">The id of the split whose branches this step joins.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ParallelJoinStep(string Id, string Name, string Split) : StepDefinition(Id, Name)
{
    /// <inheritdoc />
    public override StepKind Kind => StepKind.ParallelJoin;
}
