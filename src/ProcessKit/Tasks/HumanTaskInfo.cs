using ProcessKit.Execution;

namespace ProcessKit.Tasks;

/// <summary>A human task: a piece of work offered to a role or assigned to a user, and where it stands.</summary>
/// <remarks>Immutable and thread-safe; a copy taken when it was read.</remarks>
public sealed record HumanTaskInfo
{
    /// <summary>The task id, unique within the store.</summary>
    public required long TaskId { get; init; }

    /// <summary>The instance the task belongs to.</summary>
    public required InstanceId Instance { get; init; }

    /// <summary>The process id.</summary>
    public required string ProcessId { get; init; }

    /// <summary>The process version.</summary>
    public required int ProcessVersion { get; init; }

    /// <summary>The step id.</summary>
    public required string StepId { get; init; }

    /// <summary>The step name, for people.</summary>
    public required string StepName { get; init; }

    /// <summary>Which run of the step this task is (see <see cref="History.HistoryEvent.StepInstance"/>).</summary>
    public required int StepInstance { get; init; }

    /// <summary>The role the task is offered to.</summary>
    public required string Role { get; init; }

    /// <summary>The state.</summary>
    public required TaskState State { get; init; }

    /// <summary>The user the task is assigned or delegated to, if any; only they (or the role, when unset) may claim it.</summary>
    public string? AssignedTo { get; init; }

    /// <summary>The user who claimed the task, if any.</summary>
    public string? ClaimedBy { get; init; }

    /// <summary>When the task was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the task was claimed, if it is.</summary>
    public DateTimeOffset? ClaimedAt { get; init; }

    /// <summary>When the task is due, if it has a deadline.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>When the task was completed or cancelled.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The outcome it was completed with.</summary>
    public string? Outcome { get; init; }

    /// <summary>The outcomes to choose from; empty when the task has a single way on.</summary>
    public required IReadOnlyList<string> Outcomes { get; init; }

    /// <summary>The item of a multi-instance task, if any.</summary>
    public object? Item { get; init; }

    internal int Node { get; init; }

    /// <summary>Whether the task is open (offered or claimed).</summary>
    public bool IsOpen => State is TaskState.Offered or TaskState.Claimed;
}
