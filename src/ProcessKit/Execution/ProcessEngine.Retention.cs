namespace ProcessKit.Execution;

public sealed partial class ProcessEngine
{
    /// <summary>The most start requests one pass deletes.</summary>
    internal const int StartRequestPurgeBatch = 1000;

    /// <summary>How often, at most, in engine time, a pass deletes expired start requests.</summary>
    private static readonly long StartRequestPurgeEveryTicks = TimeSpan.FromMinutes(1).Ticks;

    private long _lastStartRequestPurgeTicks = long.MinValue;

    /// <summary>
    /// Deletes one bounded batch of start requests older than the retention, unless a pass did within the last minute of
    /// engine time; a full batch lets the next pass run at once, so a backlog drains over consecutive passes.
    /// </summary>
    private async ValueTask PurgeStartRequestsIfDueAsync(CancellationToken cancellationToken)
    {
        var now = TimeProvider.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastStartRequestPurgeTicks);
        if (last != long.MinValue && now - last < StartRequestPurgeEveryTicks)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastStartRequestPurgeTicks, now, last) != last)
        {
            return;
        }

        var deleted = await Store.PurgeStartRequestsAsync(Math.Max(0, now - Options.StartRequestRetention.Ticks), StartRequestPurgeBatch, cancellationToken).ConfigureAwait(false);
        if (deleted == StartRequestPurgeBatch)
        {
            Interlocked.Exchange(ref _lastStartRequestPurgeTicks, long.MinValue);
        }
    }
}
