namespace ProcessKit.Tasks;

/// <summary>Where a human task is in its life.</summary>
public enum TaskState
{
    /// <summary>Open and not claimed: offered to its role, or assigned to a user who has not claimed it yet.</summary>
    Offered,

    /// <summary>Claimed by a user, who works on it.</summary>
    Claimed,

    /// <summary>Completed with an outcome.</summary>
    Completed,

    /// <summary>Cancelled (an event choice lost, an interrupting escalation, the instance ended or was cancelled).</summary>
    Cancelled,
}
