namespace ProcessKit.Execution;

/// <summary>
/// Which instances of one process to list, one page at a time (<see cref="ProcessEngine.QueryInstancesAsync"/>).
/// Every criterion set must hold; unset criteria match everything. Instances come ordered by process version, then
/// by instance id; the next page continues after the last instance of the previous one (<see cref="After"/>).
/// </summary>
/// <remarks>
/// Immutable and thread-safe. The stores keep an index by process, version and id, so a page costs the instances it
/// returns plus those it passes over because a state, business key or start-time criterion does not hold, never a scan
/// of every instance.
/// </remarks>
public sealed record InstanceQuery
{
    /// <summary>The largest <see cref="PageSize"/> accepted: 1,000.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>The default <see cref="PageSize"/>: 100.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>Builds a query for the instances of a process.</summary>
    /// <param name="processId">The process id; required.</param>
    public InstanceQuery(string processId) => ProcessId = processId;

    /// <summary>The process whose instances to list. Required.</summary>
    public string ProcessId { get; init; }

    /// <summary>Instances running this process version. Optional; unset lists every version.</summary>
    public int? Version { get; init; }

    /// <summary>Instances in one of these states. Optional; unset or empty lists every state.</summary>
    public IReadOnlyCollection<InstanceState>? States { get; init; }

    /// <summary>Instances started with this business key (exact, ordinal). Optional.</summary>
    public string? BusinessKey { get; init; }

    /// <summary>Instances started at or after this time. Optional.</summary>
    public DateTimeOffset? StartedFrom { get; init; }

    /// <summary>Instances started before this time (exclusive). Optional.</summary>
    public DateTimeOffset? StartedBefore { get; init; }

    /// <summary>
    /// Continues after this instance: the <see cref="InstancePage.ContinueAfter"/> of the previous page. Optional;
    /// unset starts at the first instance. An id that is not an instance of <see cref="ProcessId"/> gives an empty page.
    /// </summary>
    public InstanceId? After { get; init; }

    /// <summary>The most instances on one page. Default <see cref="DefaultPageSize"/>; between 1 and <see cref="MaxPageSize"/>.</summary>
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>Whether a summary meets the criteria other than the process, version and continuation.</summary>
    internal bool MatchesFilters(InstanceSummary summary) =>
        (States is not { Count: > 0 } states || states.Contains(summary.State))
        && (BusinessKey is null || string.Equals(summary.BusinessKey, BusinessKey, StringComparison.Ordinal))
        && (StartedFrom is null || summary.StartedAt >= StartedFrom.Value)
        && (StartedBefore is null || summary.StartedAt < StartedBefore.Value);

    /// <summary>Throws when the query cannot run.</summary>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ProcessId, nameof(ProcessId));
        if (Version is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Version), Version, "Version must be 1 or more.");
        }

        if (PageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(PageSize), PageSize, $"PageSize must be between 1 and {MaxPageSize}.");
        }

        if (States is { } states && states.Any(static s => !Enum.IsDefined(s)))
        {
            throw new ArgumentOutOfRangeException(nameof(States), "States holds a value that is not an instance state.");
        }
    }
}
