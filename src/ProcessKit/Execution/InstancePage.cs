namespace ProcessKit.Execution;

/// <summary>One page of an instance listing (<see cref="ProcessEngine.QueryInstancesAsync"/>).</summary>
/// <param name="Instances">The instances, ordered by process version, then id; at most the query's page size.</param>
/// <param name="ContinueAfter">
/// Where the next page starts (set it as <see cref="InstanceQuery.After"/>), or <see langword="null"/> when this is the
/// last page.
/// </param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record InstancePage(IReadOnlyList<InstanceSummary> Instances, InstanceId? ContinueAfter);
