using ProcessKit.Definitions;

namespace ProcessKit.Analytics;

/// <summary>
/// The characteristics of one process version over many instances, made by
/// <see cref="ProcessAnalytics.Report"/>: how many instances ran and how they ended, how long the
/// completed ones took, what they cost, how satisfied the clients were, how often deadlines were
/// missed and by which role, how fast people reacted, and where instances waited longest.
/// </summary>
/// <remarks>
/// <para>Immutable and thread-safe; compared by value.</para>
/// <para>
/// Which instances each figure covers: cycle time, cost and satisfaction are over
/// <b>completed</b> instances only (a running instance has not finished costing; a cancelled or
/// failed one is not a served client); counts, breaches, first reaction and step figures are over
/// <b>all</b> instances (a long wait in a running instance is still a long wait). Rates and means
/// are <see langword="null"/> when no instance qualifies.
/// </para>
/// </remarks>
public sealed partial record ProcessReport
{
    /// <summary>The process id.</summary>
    public required string ProcessId { get; init; }

    /// <summary>The process version.</summary>
    public required int ProcessVersion { get; init; }

    /// <summary>The process name in the definition.</summary>
    public required string ProcessName { get; init; }

    /// <summary>How many instances the report covers.</summary>
    public int Instances { get; init; }

    /// <summary>How many of them completed.</summary>
    public int Completed { get; init; }

    /// <summary>How many are still running.</summary>
    public int Running { get; init; }

    /// <summary>How many were cancelled.</summary>
    public int Cancelled { get; init; }

    /// <summary>How many failed.</summary>
    public int Failed { get; init; }

    /// <summary><see cref="Completed"/> divided by <see cref="Instances"/>; <see langword="null"/> when there are no instances.</summary>
    public double? CompletionRate { get; init; }

    /// <summary>Completed instances per end outcome, ordered by outcome (ordinal). Completed instances whose end names no outcome are not listed.</summary>
    public ValueArray<NamedCount> Outcomes { get; init; }

    /// <summary>The median cycle time of completed instances (the 50th percentile, see <see cref="CycleTime90thPercentile"/> for the method).</summary>
    public TimeSpan? CycleTimeMedian { get; init; }

    /// <summary>
    /// The 90th percentile of the cycle times of completed instances, by linear interpolation
    /// between closest ranks: with the n times sorted ascending as x[0..n-1], h = (n − 1) × 0.9 and
    /// the result is x[⌊h⌋] + (h − ⌊h⌋) × (x[⌊h⌋+1] − x[⌊h⌋]), rounded to the nearest tick (the
    /// method of Excel's PERCENTILE.INC and NumPy's default). It always lies between the shortest
    /// and the longest time.
    /// </summary>
    public TimeSpan? CycleTime90thPercentile { get; init; }

    /// <summary>The mean cycle time of completed instances, rounded to the nearest tick.</summary>
    public TimeSpan? CycleTimeMean { get; init; }

    /// <summary>The mean cost of completed instances (not rounded).</summary>
    public decimal? MeanCost { get; init; }

    /// <summary>The total cost of all instances, running ones included so far.</summary>
    public decimal TotalCost { get; init; }

    /// <summary>The mean satisfaction of completed instances that have a score (not rounded).</summary>
    public decimal? MeanSatisfaction { get; init; }

    /// <summary>How many completed instances have a satisfaction score.</summary>
    public int RatedInstances { get; init; }

    /// <summary>The total number of deadline breaches.</summary>
    public int Breaches { get; init; }

    /// <summary>How many instances missed at least one deadline.</summary>
    public int BreachedInstances { get; init; }

    /// <summary><see cref="BreachedInstances"/> divided by <see cref="Instances"/>; <see langword="null"/> when there are no instances.</summary>
    public double? BreachRate { get; init; }

    /// <summary>Breaches per responsible role (see <see cref="DeadlineBreach.RoleId"/>), ordered by role id (ordinal). Breaches with no role are counted in <see cref="Breaches"/> only.</summary>
    public ValueArray<NamedCount> BreachesByRole { get; init; }

    /// <summary>Breaches per deadline name, ordered by name (ordinal). Breaches whose event names no deadline are counted in <see cref="Breaches"/> only.</summary>
    public ValueArray<NamedCount> BreachesByDeadline { get; init; }

    /// <summary>The mean time from start to the first time a person acted, over instances where someone has; rounded to the nearest tick.</summary>
    public TimeSpan? MeanTimeToFirstReaction { get; init; }

    /// <summary>How many instances had a first reaction.</summary>
    public int ReactedInstances { get; init; }

    /// <summary>Every step that ran in at least one instance, in the definition's step order.</summary>
    public ValueArray<StepSummary> Steps { get; init; }

    /// <summary>
    /// The steps with the longest mean wait for a person (<see cref="StepSummary.MeanWaitTime"/>),
    /// longest first; only steps that waited at all. Ties are broken by the longer total wait, then
    /// by the definition's step order. At most as many as asked for (default 3).
    /// </summary>
    public ValueArray<StepSummary> LongestWaits { get; init; }

    /// <summary>How many completed instances ended with <paramref name="outcome"/>.</summary>
    /// <param name="outcome">The end outcome (ordinal comparison).</param>
    /// <returns>The count; 0 when none did.</returns>
    public int OutcomeCount(string outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        foreach (var item in Outcomes)
        {
            if (string.Equals(item.Name, outcome, StringComparison.Ordinal))
            {
                return item.Count;
            }
        }

        return 0;
    }

    /// <summary>
    /// The share of completed instances that ended with <paramref name="outcome"/>: for the sales
    /// process, <c>OutcomeShare("DealWon")</c> is the share of decided leads that became won deals.
    /// </summary>
    /// <param name="outcome">The end outcome (ordinal comparison).</param>
    /// <returns>A number from 0 to 1; <see langword="null"/> when no instance completed.</returns>
    public double? OutcomeShare(string outcome) =>
        Completed == 0 ? null : (double)OutcomeCount(outcome) / Completed;
}
