namespace ProcessKit.PostgreSql.Leasing;

/// <summary>A timer row to insert: which instance and step it wakes, and when (UTC ticks of the engine's clock).</summary>
/// <param name="InstanceId">The instance the timer belongs to.</param>
/// <param name="Node">The index of the node (step) in the compiled process.</param>
/// <param name="StepInstance">The step instance that waits for the timer.</param>
/// <param name="Kind">The engine's kind of timer (step deadline, boundary event, retry, ...).</param>
/// <param name="Index">A number the engine uses to tell timers of one step apart.</param>
/// <param name="DueTicks">When the timer is due, in UTC ticks.</param>
internal readonly record struct NewTimer(long InstanceId, int Node, int StepInstance, short Kind, int Index, long DueTicks);
