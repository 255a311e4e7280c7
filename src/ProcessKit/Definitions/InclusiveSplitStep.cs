namespace ProcessKit.Definitions;

/// <summary>Starts every outgoing flow whose condition holds (the default flow when none does); the branches meet at the <see cref="InclusiveMergeStep"/> that names this split.</summary>
/// <param name="Id">The step id.</param>
/// <param name="Name">The step name.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record InclusiveSplitStep(string Id, string Name) : StepDefinition(Id, Name)
{
    /// <inheritdoc />
    public override StepKind Kind => StepKind.InclusiveSplit;
}
