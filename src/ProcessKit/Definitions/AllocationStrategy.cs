namespace ProcessKit.Definitions;

/// <summary>How a human task finds the person who does it.</summary>
public enum AllocationStrategy
{
    /// <summary>Offer the task to everyone in the role; the first to claim it takes it. The default.</summary>
    OfferToRole,

    /// <summary>Assign to the people in the role in turn.</summary>
    RoundRobin,

    /// <summary>Assign to the person in the role with the fewest open tasks.</summary>
    ShortestQueue,

    /// <summary>Assign to the user named by <see cref="Allocation.Assignee"/> (deferred allocation).</summary>
    Expression,
}
