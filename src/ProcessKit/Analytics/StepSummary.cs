namespace ProcessKit.Analytics;

/// <summary>What one step took across all the instances of a report, with the sums behind each mean.</summary>
/// <remarks>Immutable and thread-safe; compared by value. Means are per run, not per instance: a step done twice in one instance counts twice.</remarks>
public sealed record StepSummary
{
    /// <summary>The step.</summary>
    public required string StepId { get; init; }

    /// <summary>The step's name in the definition.</summary>
    public required string StepName { get; init; }

    /// <summary>The step's role in the definition. Optional.</summary>
    public string? RoleId { get; init; }

    /// <summary>How many of the report's instances ran the step at least once.</summary>
    public int Instances { get; init; }

    /// <summary>How many runs of the step there were in all.</summary>
    public int Runs { get; init; }

    /// <summary>The total time the step's tasks waited for a person.</summary>
    public TimeSpan TotalWaitTime { get; init; }

    /// <summary><see cref="TotalWaitTime"/> divided by <see cref="Runs"/>, rounded to the nearest tick.</summary>
    public TimeSpan MeanWaitTime { get; init; }

    /// <summary>The total time people worked on the step's tasks.</summary>
    public TimeSpan TotalWorkTime { get; init; }

    /// <summary><see cref="TotalWorkTime"/> divided by <see cref="Runs"/>, rounded to the nearest tick.</summary>
    public TimeSpan MeanWorkTime { get; init; }

    /// <summary>The total time the step waited for messages or timers.</summary>
    public TimeSpan TotalEventWaitTime { get; init; }

    /// <summary><see cref="TotalEventWaitTime"/> divided by <see cref="Runs"/>, rounded to the nearest tick.</summary>
    public TimeSpan MeanEventWaitTime { get; init; }

    /// <summary>The total cost of the step's runs.</summary>
    public decimal TotalCost { get; init; }

    /// <summary><see cref="TotalCost"/> divided by <see cref="Runs"/> (not rounded).</summary>
    public decimal MeanCost { get; init; }
}
