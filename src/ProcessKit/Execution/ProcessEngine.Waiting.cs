using ProcessKit.Persistence;

namespace ProcessKit.Execution;

/// <content>Waiting for work: a host sleeps until the next due time and is woken when a command schedules earlier work.</content>
public sealed partial class ProcessEngine
{
    // Task.Delay accepts at most about 49 days; a longer sleep is cut and simply ends early.
    private static readonly TimeSpan LongestSleep = TimeSpan.FromDays(30);

    private int _waiting;

    // The due time the waiter sleeps until: a commit that schedules a timer or job before it wakes the
    // waiter. long.MinValue while nobody waits, so the check after a commit is one failing comparison.
    private long _wakeBeforeTicks = long.MinValue;
    private TaskCompletionSource? _wake;

    /// <summary>
    /// Waits until there may be work for <see cref="RunDueAsync(CancellationToken)"/>: until the next
    /// due time (<see cref="NextDueTime"/>) arrives on the engine's clock, or until a command of this
    /// engine schedules a timer or job earlier than that, or until <paramref name="maxWait"/> passes.
    /// A store shared by several nodes (PostgreSQL) also wakes it when another node inserts a timer or
    /// job due soon, and otherwise after the store's polling backoff, its backstop. Returns at once when
    /// work is already due. Sleeps on <see cref="TimeProvider"/>, so a fake clock drives it in tests.
    /// </summary>
    /// <param name="maxWait">
    /// The longest sleep; <see langword="null"/> (the default) or <see cref="Timeout.InfiniteTimeSpan"/> for no limit.
    /// With the in-memory or SQLite store shared by several engines, use a limit: their commits do not wake this engine.
    /// </param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when there may be work; it may complete early, never late.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWait"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">Another call is already waiting on this engine.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>Thread-safe, for one waiter at a time (a host's worker).</remarks>
    public async ValueTask WaitForWorkAsync(TimeSpan? maxWait = null, CancellationToken cancellationToken = default)
    {
        if (maxWait is { } limit && limit < TimeSpan.Zero && limit != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(maxWait), maxWait, "The longest wait must not be negative.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _waiting, 1) != 0)
        {
            throw new InvalidOperationException("Another call is already waiting for work on this engine; one waiter at a time.");
        }

        try
        {
            // Publish the signal and wake on any new timer before reading the store, then narrow to the
            // due time read: a timer committed in between is either seen by the read or wakes us.
            var wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _wake, wake);
            Volatile.Write(ref _wakeBeforeTicks, long.MaxValue);
            var next = Store.NextDueTicks();
            var now = TimeProvider.GetUtcNow().UtcTicks;
            if (next is { } due && due <= now)
            {
                return;
            }

            Volatile.Write(ref _wakeBeforeTicks, next ?? long.MaxValue);
            var sleep = next is { } at ? TimeSpan.FromTicks(Math.Min(at - now, LongestSleep.Ticks)) : Timeout.InfiniteTimeSpan;
            if (maxWait is { } max && max != Timeout.InfiniteTimeSpan && (sleep == Timeout.InfiniteTimeSpan || max < sleep))
            {
                sleep = max;
            }

            if (sleep == Timeout.InfiniteTimeSpan)
            {
                sleep = LongestSleep;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(sleep, TimeProvider, stop.Token);
            Task first;
            if (Store is IStoreWakeSource shared)
            {
                // A store shared by several nodes also wakes us for work another node made due, or at its backstop poll.
                var news = shared.WaitForStoreWorkAsync(TimeProvider, stop.Token).AsTask();
                first = await Task.WhenAny(delay, wake.Task, news).ConfigureAwait(false);
                await stop.CancelAsync().ConfigureAwait(false);
                if (first != news)
                {
                    // Let the store's wait wind down; what it would have said no longer matters, and a store that
                    // cannot be reached fails again on the next wait.
                    await news.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
                }
            }
            else
            {
                first = await Task.WhenAny(delay, wake.Task).ConfigureAwait(false);
                await stop.CancelAsync().ConfigureAwait(false);
            }

            if (first != wake.Task)
            {
                // Cut short by the caller's token: end with its cancellation. A store's wait that failed throws.
                cancellationToken.ThrowIfCancellationRequested();
                await first.ConfigureAwait(false);
            }
        }
        finally
        {
            Volatile.Write(ref _wakeBeforeTicks, long.MinValue);
            Volatile.Write(ref _wake, null);
            Volatile.Write(ref _waiting, 0);
        }
    }

    /// <summary>Called after every commit: wakes the waiter when the commit scheduled work before the time it sleeps until.</summary>
    private void WakeIfEarlier(long earliestDueTicks)
    {
        if (earliestDueTicks < Volatile.Read(ref _wakeBeforeTicks))
        {
            Volatile.Read(ref _wake)?.TrySetResult();
        }
    }
}
