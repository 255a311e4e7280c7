namespace ProcessKit.Benchmarks.Compare.Durable;

/// <summary>
/// One line of the durable block: ProcessKit on one durable store running one scenario for N
/// instances from a number of concurrent starters, beside plain inserts of N rows on the same
/// database in the same run.
/// </summary>
/// <param name="Store">The store's name as the table shows it.</param>
/// <param name="Scenario">The scenario (sequential or the human task round trip).</param>
/// <param name="N">Instances measured (after the warm-up ones).</param>
/// <param name="Starters">Concurrent callers.</param>
/// <param name="Engine">ProcessKit's figures: instances/s, and the milliseconds per instance in <see cref="P50Ms"/> and <see cref="P99Ms"/>.</param>
/// <param name="P50Ms">The median time of one instance's operations (start → end, or start, query, complete), in milliseconds.</param>
/// <param name="P99Ms">The 99th percentile of the same, in milliseconds.</param>
/// <param name="PlainOneRowCommits">Plain single-row inserts, each its own transaction, N rows: rows/s (the store's physical limit for one commit per instance).</param>
/// <param name="PlainBatchedRows">Plain inserts of N rows, 512 per transaction: rows/s (the limit when commits are grouped).</param>
internal sealed record DurableRow(
    string Store,
    Scenario Scenario,
    int N,
    int Starters,
    EngineFigure Engine,
    double? P50Ms,
    double? P99Ms,
    EngineFigure PlainOneRowCommits,
    EngineFigure PlainBatchedRows)
{
    /// <summary>What the store ran on (version, settings), or empty when it did not start.</summary>
    public string Description { get; init; } = "";

    /// <summary>The phase as the table names it.</summary>
    public string Phase => Scenario == Scenario.HumanTask ? "human task" : "sequential";
}
