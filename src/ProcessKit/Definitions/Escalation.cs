namespace ProcessKit.Definitions;

/// <summary>
/// Something that happens when a step (or a deadline span) runs late: remind, tell a role,
/// reassign, or take an alternate path.
/// </summary>
/// <param name="Action">What happens.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record Escalation(EscalationAction Action)
{
    /// <summary>When it happens; <see langword="null"/> means at the deadline of the step or span it belongs to.</summary>
    public DueTime? At { get; init; }

    /// <summary>The role to notify or to reassign to. Required for <see cref="EscalationAction.NotifyRole"/> and <see cref="EscalationAction.Reassign"/>.</summary>
    public string? Role { get; init; }

    /// <summary>The step to go to. Required for <see cref="EscalationAction.TakePath"/>.</summary>
    public string? To { get; init; }

    /// <summary>
    /// For <see cref="EscalationAction.TakePath"/>: whether the late work is cancelled (<see langword="true"/>)
    /// or goes on beside the alternate path (<see langword="false"/>, the default).
    /// </summary>
    public bool Interrupting { get; init; }

    /// <summary>The kind of path the escalation starts. Default <see cref="PathKind.Exception"/>.</summary>
    public PathKind Path { get; init; } = PathKind.Exception;

    /// <summary>A message for the people reminded or notified. Optional.</summary>
    public string? Message { get; init; }
}
