using ProcessKit.Execution;

namespace ProcessKit.Tasks;

/// <summary>Which tasks to list. Every criterion set must hold; unset criteria match everything.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record TaskQuery
{
    /// <summary>Tasks offered to this role. Optional.</summary>
    public string? Role { get; init; }

    /// <summary>Tasks assigned to or claimed by this user. Optional.</summary>
    public string? User { get; init; }

    /// <summary>
    /// Tasks this user may act on now: claimed by or assigned to them, or offered to one of their
    /// roles and not assigned to someone else (the user's inbox). Optional.
    /// </summary>
    public ProcessUser? AvailableTo { get; init; }

    /// <summary>Tasks of this instance. Optional.</summary>
    public InstanceId? Instance { get; init; }

    /// <summary>Tasks in this state. Optional; unset lists every state.</summary>
    public TaskState? State { get; init; }

    /// <summary>Tasks due at or before this time. Optional.</summary>
    public DateTimeOffset? DueBefore { get; init; }

    /// <summary>Whether a task matches the query.</summary>
    /// <param name="task">The task.</param>
    /// <returns><see langword="true"/> when every criterion set holds.</returns>
    public bool Matches(HumanTaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return (Role is null || string.Equals(task.Role, Role, StringComparison.Ordinal))
            && (User is null || string.Equals(task.ClaimedBy, User, StringComparison.Ordinal) || string.Equals(task.AssignedTo, User, StringComparison.Ordinal))
            && (AvailableTo is null || IsAvailable(task, AvailableTo))
            && (Instance is null || task.Instance == Instance.Value)
            && (State is null || task.State == State.Value)
            && (DueBefore is null || (task.DueAt is { } due && due <= DueBefore.Value));
    }

    private static bool IsAvailable(HumanTaskInfo task, ProcessUser user) =>
        task.IsOpen && (task.ClaimedBy is not null
            ? string.Equals(task.ClaimedBy, user.Id, StringComparison.Ordinal)
            : task.AssignedTo is not null ? string.Equals(task.AssignedTo, user.Id, StringComparison.Ordinal) : user.IsInRole(task.Role));
}
