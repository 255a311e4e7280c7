namespace ProcessKit.PostgreSql.Leasing;

/// <summary>
/// A timer row leased by one owner for one attempt. Completing or releasing it succeeds only while the row still
/// carries this owner and attempt: a takeover after the lease ran out raises the attempt and fences the old owner out.
/// </summary>
/// <param name="Id">The row's id.</param>
/// <param name="InstanceId">The instance the timer belongs to.</param>
/// <param name="Node">The index of the node (step) in the compiled process.</param>
/// <param name="StepInstance">The step instance that waits for the timer.</param>
/// <param name="Kind">The engine's kind of timer.</param>
/// <param name="Index">The engine's number of the timer within its step.</param>
/// <param name="DueTicks">When the timer was due, in UTC ticks.</param>
/// <param name="Owner">Who holds the lease.</param>
/// <param name="Attempt">How many times the row has been leased, this lease included (1 for the first).</param>
/// <param name="LeaseExpires">When the lease runs out, by the database clock.</param>
internal sealed record TimerLease(
    long Id,
    long InstanceId,
    int Node,
    int StepInstance,
    short Kind,
    int Index,
    long DueTicks,
    string Owner,
    int Attempt,
    DateTimeOffset LeaseExpires);
