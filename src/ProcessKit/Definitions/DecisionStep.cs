namespace ProcessKit.Definitions;

/// <summary>An exclusive choice: the first flow whose condition holds is taken, else the default flow (exactly one flow has <c>IsDefault</c>).</summary>
/// <param name="Id">The step id.</param>
/// <param name="Name">The step name.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record DecisionStep(string Id, string Name) : StepDefinition(Id, Name)
{
    /// <inheritdoc />
    public override StepKind Kind => StepKind.Decision;
}
