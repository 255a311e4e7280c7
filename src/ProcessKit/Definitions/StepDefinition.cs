namespace ProcessKit.Definitions;

/// <summary>
/// One step of a process: a unit of work or a point of routing. The sealed subclasses carry each
/// kind's own settings; this base carries what every step has.
/// </summary>
/// <param name="Id">A unique id within the process, referenced by flows. A letter followed by letters, digits, <c>_</c> or <c>-</c>.</param>
/// <param name="Name">A name for people.</param>
/// <remarks>Immutable and thread-safe. Steps are compared by value.</remarks>
public abstract record StepDefinition(string Id, string Name)
{
    /// <summary>The kind of step.</summary>
    public abstract StepKind Kind { get; }

    /// <summary>What the step is for, for people. Optional.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// The responsible role, where the step has one (required for a human task; the notified role
    /// for a notification). Steps are drawn in their role's lane.
    /// </summary>
    public string? Role { get; init; }

    /// <summary>The expected work time of the step, used for cost and simulation. Optional; positive when set.</summary>
    public TimeSpan? WorkTime { get; init; }

    /// <summary>A fixed cost each time the step is done (material, fees). Optional; not negative.</summary>
    public decimal? FixedCost { get; init; }

    /// <summary>The flows leaving this step, in evaluation order. An end step has none.</summary>
    public ValueArray<FlowDefinition> Flows { get; init; }
}
