namespace ProcessKit.Definitions;

/// <summary>How a human task is allocated, and the constraints between the people of different steps.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record Allocation
{
    /// <summary>The strategy. Default <see cref="AllocationStrategy.OfferToRole"/>.</summary>
    public AllocationStrategy Strategy { get; init; }

    /// <summary>For <see cref="AllocationStrategy.Expression"/>: an expression giving the user id (for example <c>managerId</c>).</summary>
    public ProcessExpression? Assignee { get; init; }

    /// <summary>Separation of duties: the ids of steps whose performer may not do this task.</summary>
    public ValueArray<string> SeparateFrom { get; init; }

    /// <summary>Retain familiar: the id of a step whose performer gets this task too. Optional.</summary>
    public string? RetainFamiliar { get; init; }
}
