namespace ProcessKit.Execution;

/// <summary>
/// The code behind an automated step, registered by name with
/// <see cref="ProcessEngineOptions.AddHandler(string, IStepHandler)"/>. Read the instance data from
/// the context and write results back with <see cref="StepContext.Set(string, object?)"/>; they are
/// merged into the instance when the handler returns.
/// </summary>
/// <remarks>
/// Implementations must be thread-safe: one handler serves every instance. A handler may run more
/// than once for the same step run (at-least-once): use <see cref="StepContext.IdempotencyKey"/>.
/// </remarks>
public interface IStepHandler
{
    /// <summary>Does the step's work.</summary>
    /// <param name="context">The step run: data, idempotency key, cancellation. Valid only during the call.</param>
    /// <returns>A task that completes when the work is done; a fault raises an incident.</returns>
    ValueTask ExecuteAsync(StepContext context);
}
