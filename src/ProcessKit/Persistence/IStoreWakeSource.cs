namespace ProcessKit.Persistence;

/// <summary>
/// Implemented by a store that several nodes share and that can tell when another node may have made work due (a
/// timer or job inserted elsewhere): <see cref="Execution.ProcessEngine.WaitForWorkAsync"/> awaits it beside its own
/// signal, so a node wakes for work it did not schedule itself. A store without such news (one process owns it) does
/// not implement it.
/// </summary>
/// <remarks>
/// One engine waits at a time (the engine enforces it), so an implementation need not support concurrent waits; it
/// must be safe to call from any thread, one call after another.
/// </remarks>
internal interface IStoreWakeSource
{
    /// <summary>
    /// Completes when the store learned that work may be due (for example a notification that another node inserted a
    /// timer due soon), or when the store's backstop interval passed and the engine should look again; never later than
    /// that interval. The interval is the store's own (a backoff that grows while waits find nothing).
    /// </summary>
    /// <param name="timeProvider">The engine's clock, which the backstop interval is measured on.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>: the engine cancels it when it wakes for another reason.</param>
    ValueTask WaitForStoreWorkAsync(TimeProvider timeProvider, CancellationToken cancellationToken);
}
