namespace ProcessKit.Execution;

/// <summary>One instance as a listing shows it (<see cref="ProcessEngine.QueryInstancesAsync"/>): no data, no history.</summary>
/// <param name="Id">The instance id.</param>
/// <param name="ProcessId">The process id.</param>
/// <param name="ProcessVersion">The process version the instance runs.</param>
/// <param name="State">The state when read.</param>
/// <param name="BusinessKey">The business key given at the start, if any.</param>
/// <param name="StartedAt">When the instance started.</param>
/// <param name="EndedAt">When the instance ended, if it has.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record InstanceSummary(
    InstanceId Id,
    string ProcessId,
    int ProcessVersion,
    InstanceState State,
    string? BusinessKey,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt);
