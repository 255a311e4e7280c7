namespace ProcessKit.Definitions;

/// <summary>What happens when an escalation falls due.</summary>
public enum EscalationAction
{
    /// <summary>Remind whoever holds the task (or its role when nobody has claimed it).</summary>
    Remind,

    /// <summary>Tell another role (<see cref="Escalation.Role"/>), for example the head of sales.</summary>
    NotifyRole,

    /// <summary>Offer the task to another role (<see cref="Escalation.Role"/>) instead.</summary>
    Reassign,

    /// <summary>Take an alternate path to the step <see cref="Escalation.To"/>, interrupting the task or not.</summary>
    TakePath,
}
