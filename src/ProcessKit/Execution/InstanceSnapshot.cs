namespace ProcessKit.Execution;

/// <summary>What an instance looks like at one moment: its state, data and the steps where it waits.</summary>
/// <remarks>Immutable and thread-safe; a copy, not a live view.</remarks>
public sealed class InstanceSnapshot
{
    internal InstanceSnapshot(
        InstanceId id,
        string processId,
        int processVersion,
        long version,
        InstanceState state,
        string? businessKey,
        string? endOutcome,
        DateTimeOffset startedAt,
        DateTimeOffset? endedAt,
        IReadOnlyDictionary<string, object?> data,
        IReadOnlyList<string> activeSteps)
    {
        Id = id;
        ProcessId = processId;
        ProcessVersion = processVersion;
        Version = version;
        State = state;
        BusinessKey = businessKey;
        EndOutcome = endOutcome;
        StartedAt = startedAt;
        EndedAt = endedAt;
        Data = data;
        ActiveSteps = activeSteps;
    }

    /// <summary>The instance id.</summary>
    public InstanceId Id { get; }

    /// <summary>The process id.</summary>
    public string ProcessId { get; }

    /// <summary>The process version the instance runs (kept until it ends).</summary>
    public int ProcessVersion { get; }

    /// <summary>The store version of the instance: 1 after the start, one more per committed command.</summary>
    public long Version { get; }

    /// <summary>The state.</summary>
    public InstanceState State { get; }

    /// <summary>The business key given at the start. Optional.</summary>
    public string? BusinessKey { get; }

    /// <summary>The outcome of the end step reached last, once ended. Optional.</summary>
    public string? EndOutcome { get; }

    /// <summary>When the instance started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When the instance ended, if it has.</summary>
    public DateTimeOffset? EndedAt { get; }

    /// <summary>The data: every declared field that has a value (numbers as <see cref="decimal"/>).</summary>
    public IReadOnlyDictionary<string, object?> Data { get; }

    /// <summary>The ids of the steps where the instance waits, one per waiting path.</summary>
    public IReadOnlyList<string> ActiveSteps { get; }
}
