using ProcessKit.Definitions;
using ProcessKit.Execution;

namespace ProcessKit.History;

/// <summary>
/// One lifecycle change of a process instance, as the history keeps it. The full log of an
/// instance is enough to compute its characteristics (cycle time, work and wait time, cost,
/// satisfaction, deadline breaches, the path taken).
/// </summary>
/// <remarks>Immutable and thread-safe. The engine may keep events in a compact internal form and build these on read.</remarks>
public readonly record struct HistoryEvent
{
    /// <summary>The event's number within its instance, from 1, in the order the changes happened.</summary>
    public required long Sequence { get; init; }

    /// <summary>The instance.</summary>
    public required InstanceId Instance { get; init; }

    /// <summary>The process id.</summary>
    public required string ProcessId { get; init; }

    /// <summary>The process version the instance runs.</summary>
    public required int ProcessVersion { get; init; }

    /// <summary>What happened.</summary>
    public required HistoryEventType Type { get; init; }

    /// <summary>When it happened (from the engine's <see cref="TimeProvider"/>).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The step, for step, task, timer, message and escalation events.</summary>
    public string? StepId { get; init; }

    /// <summary>
    /// Which run of the step this is, counted within the instance (a step done twice in a rework
    /// loop, or once per item of a multi-instance step, has several); 0 for instance-level events.
    /// Events of one task share it.
    /// </summary>
    public int StepInstance { get; init; }

    /// <summary>The user who acted, or was assigned. Optional.</summary>
    public string? UserId { get; init; }

    /// <summary>The role involved (the task's role, the notified role). Optional.</summary>
    public string? RoleId { get; init; }

    /// <summary>The cost this change added (see <see cref="HistoryEventType.StepCompleted"/>); 0 otherwise.</summary>
    public decimal Cost { get; init; }

    /// <summary>A number the event carries (the satisfaction score on <see cref="HistoryEventType.InstanceCompleted"/>). Optional.</summary>
    public decimal? Value { get; init; }

    /// <summary>The kind of path, on <see cref="HistoryEventType.StepEntered"/> and <see cref="HistoryEventType.Escalated"/>.</summary>
    public PathKind Path { get; init; }

    /// <summary>A short detail: an outcome, a message name, an escalation action, an error. Optional.</summary>
    public string? Detail { get; init; }
}
