namespace ProcessKit.Definitions;

/// <summary>What "done well" means in numbers: the targets a process's three characteristics are measured against.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record ProcessTargets
{
    /// <summary>The target cycle time of one instance. Optional; positive when set.</summary>
    public TimeSpan? CycleTime { get; init; }

    /// <summary>The target cost of one instance. Optional; not negative.</summary>
    public decimal? CostPerInstance { get; init; }

    /// <summary>The target average client satisfaction. Optional.</summary>
    public decimal? Satisfaction { get; init; }

    /// <summary>The output field that carries the client's satisfaction score. Optional; must be a declared number field.</summary>
    public string? SatisfactionField { get; init; }
}
