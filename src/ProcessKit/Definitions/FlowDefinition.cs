namespace ProcessKit.Definitions;

/// <summary>
/// A flow from one step to the next. Flows are listed on the step they leave, in the order they are
/// evaluated. What a flow may carry depends on that step's kind: a decision's flows have conditions
/// and one default; a human task's flows name the outcome they follow; a split's flows start branches.
/// </summary>
/// <param name="To">The id of the target step. Backward flows (rework loops) are allowed.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record FlowDefinition(string To)
{
    /// <summary>A condition (expression returning a boolean) that must hold for the flow to be taken. Optional.</summary>
    public ProcessExpression? When { get; init; }

    /// <summary>For a human task: the outcome this flow follows. Optional.</summary>
    public string? Outcome { get; init; }

    /// <summary>Whether this is the default flow of a decision or inclusive split, taken when no condition holds.</summary>
    public bool IsDefault { get; init; }

    /// <summary>A label for diagrams and reports. Optional.</summary>
    public string? Label { get; init; }

    /// <summary>The kind of path this flow belongs to. Default <see cref="PathKind.Happy"/>.</summary>
    public PathKind Path { get; init; }
}
