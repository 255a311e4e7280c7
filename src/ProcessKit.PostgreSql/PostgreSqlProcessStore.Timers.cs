using System.Diagnostics;
using System.Diagnostics.Metrics;
using Npgsql;
using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.PostgreSql.Leasing;
using ProcessKit.Scheduling;

namespace ProcessKit.PostgreSql;

/// <content>
/// Timers: leased when due, fired in a commit under their lease, dropped or put back fenced; the engine's waits also
/// end on a NOTIFY from any node or at the polling backoff.
/// </content>
public sealed partial class PostgreSqlProcessStore : IStoreWakeSource
{
    /// <summary>The name of the store's <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    internal const string MeterName = "ProcessKit.PostgreSql";

    /// <summary>The counter of leases this node found taken over when it came to drop or put back a timer or job.</summary>
    internal const string LeasesLostInstrument = "processkit.postgresql.leases_lost";

    private static readonly Meter StoreMeter = new(MeterName);

    /// <summary>
    /// Timers and jobs this node leased and then found taken over by another node (its lease had run out) when it came
    /// to drop or put them back: each is a late result of this node that the fence refused. Tagged with the kind.
    /// </summary>
    private static readonly Counter<long> LeasesLost = StoreMeter.CreateCounter<long>(
        LeasesLostInstrument,
        unit: "{timer}",
        description: "Timers and jobs whose lease this node lost to another node before it completed them; the late result was refused.");

    /// <summary>
    /// The analyses this node ran on the store's tables as they grew (see <see cref="PostgreSqlStoreOptions.AnalyzeWhileNew"/>),
    /// tagged <c>outcome</c> = <c>done</c> or <c>failed</c> (with <c>error.type</c>) and <c>processkit.node</c> (the lease
    /// owner: node name and opening number). Declared here, after the meter it
    /// belongs to: static fields of one file initialize in their order.
    /// </summary>
    private static readonly Counter<long> StatisticsRefreshes = StoreMeter.CreateCounter<long>(
        StatisticsRefreshesInstrument,
        unit: "{analysis}",
        description: "ANALYZE statements this node ran on the store's tables after its first 1,000, 10,000 and 100,000 commits; tagged with the outcome.");

    /// <summary>
    /// How many due timers one <c>TakeDueAsync</c> leases at most: the engine fires them one after the other, and all
    /// must be fired well within the lease; the engine's host calls again while timers remain due.
    /// </summary>
    private const int MaxTimersPerPoll = 256;

    /// <summary>
    /// The time per timer assumed until this node measured its own: with the default 30 s lease a poll leases the full
    /// 256, with a 2 s lease 50.
    /// </summary>
    private static readonly long AssumedTicksPerTimer = Stopwatch.Frequency / 50;

    /// <summary>
    /// The estimated time this node takes per leased timer (stopwatch ticks, a moving average), measured from one full
    /// poll to the next; 0 until measured. The engine fires a poll's timers one after the other, so a poll may lease
    /// only as many as fit in half the lease: leasing more than a node can fire in time hands the rest to other nodes,
    /// which run those jobs a second time and whose commits this node's late ones then lose to.
    /// </summary>
    private long _ticksPerTimer;

    /// <summary>When the last poll started (stopwatch ticks), how many it leased and how many it could have.</summary>
    private long _lastPollStart;

    private int _lastPollLeased;

    private int _lastPollLimit;

    private readonly Lock _pacing = new();

    /// <summary>How often (in engine time) expired seen message ids and buffered messages are deleted, at most.</summary>
    private static readonly long PurgeIntervalTicks = TimeSpan.FromMinutes(1).Ticks;

    /// <summary>The earliest due time known here (commits of this node, the last lease poll), or <see cref="long.MaxValue"/>.</summary>
    private long _nextDue = long.MaxValue;

    /// <summary>The latest engine time this store was given (UTC ticks): a seen message id that expired by then may be seen again.</summary>
    private long _lastNowTicks;

    private long _nextPurgeTicks;

    /// <summary>How long starting the waiter's LISTEN connection may take.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The NOTIFY waiter, started by the engine's first wait; null until then and after disposal.</summary>
    private Task<TimerWaiter>? _waiter;

    /// <summary>1 while an engine waits on <see cref="_waiter"/> (it serves one wait at a time).</summary>
    private int _waiting;

    /// <summary>The waiter once started (its backoff is reset when a poll finds work).</summary>
    private TimerWaiter? _startedWaiter;

    long? IProcessStore.NextDueTicks()
    {
        Ready();
        var next = Volatile.Read(ref _nextDue);
        return next == long.MaxValue ? null : next;
    }

    async ValueTask IProcessStore.TakeDueAsync(long nowTicks, List<TimerRecord> due, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(due);
        var infrastructure = Ready();
        SawNow(nowTicks);
        try
        {
            var leases = await infrastructure.Timers.LeaseDueAsync(infrastructure.LeaseOwner, NextPollSize(infrastructure.Timers.LeaseDuration), nowTicks, cancellationToken).ConfigureAwait(false);
            PolledFor(leases.Count);
            foreach (var lease in leases.OrderBy(static l => l.DueTicks).ThenBy(static l => l.Id))
            {
                due.Add(new TimerRecord(
                    lease.DueTicks,
                    new InstanceId(lease.InstanceId),
                    lease.Node,
                    lease.StepInstance,
                    (TimerKind)lease.Kind,
                    lease.Index,
                    lease.Id,
                    lease.Attempt));
            }

            var next = await infrastructure.Timers.NextDueTicksAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _nextDue, next ?? long.MaxValue);
            if (leases.Count > 0)
            {
                // Work was found: the next backstop poll comes soon again.
                Volatile.Read(ref _startedWaiter)?.ResetBackoff();
            }

            if (nowTicks >= Volatile.Read(ref _nextPurgeTicks))
            {
                Volatile.Write(ref _nextPurgeTicks, nowTicks + PurgeIntervalTicks);
                await PurgeExpiredAsync(infrastructure, nowTicks, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    async ValueTask IProcessStore.DropTimerAsync(TimerRecord timer, CancellationToken cancellationToken)
    {
        var infrastructure = Ready();
        if (timer.Id == 0)
            return;
        try
        {
            // False when another node took the timer over meanwhile: then it is that node's to fire or drop. The engine
            // drops a timer whose commit was refused with it, so this is where a late result shows.
            if (!await infrastructure.Timers.DeleteLeasedAsync(timer.Id, infrastructure.LeaseOwner, timer.Lease, cancellationToken).ConfigureAwait(false))
                CountLostLease(timer);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    async ValueTask<bool> IProcessStore.HoldsTimerAsync(TimerRecord timer, CancellationToken cancellationToken)
    {
        var infrastructure = Ready();
        if (timer.Id == 0)
            return true;
        try
        {
            return await infrastructure.Timers.HoldsAsync(timer.Id, infrastructure.LeaseOwner, timer.Lease, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    async ValueTask IProcessStore.RescheduleAsync(IReadOnlyList<TimerRecord> timers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timers);
        var infrastructure = Ready();
        try
        {
            foreach (var timer in timers)
            {
                if (timer.Id == 0)
                    continue;
                var lease = new TimerLease(timer.Id, timer.Instance.Value, timer.Node, timer.StepInstance, (short)timer.Kind, timer.Index, timer.DueTicks, infrastructure.LeaseOwner, timer.Lease, default);
                if (await infrastructure.Timers.ReleaseAsync(lease, TimeSpan.Zero, cancellationToken).ConfigureAwait(false))
                    LowerNextDue(timer.DueTicks);
                else
                    CountLostLease(timer);
            }
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    async ValueTask IStoreWakeSource.WaitForStoreWorkAsync(TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var infrastructure = Ready();
        if (Interlocked.Exchange(ref _waiting, 1) != 0)
        {
            // A second engine over the same store object: the waiter serves one; this one polls at the longest backoff.
            await Task.Delay(_options.PollingBackoffMax, timeProvider, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            var waiter = await StartedWaiterAsync(infrastructure, timeProvider, cancellationToken).ConfigureAwait(false);
            await waiter.WaitAsync(null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
        finally
        {
            Volatile.Write(ref _waiting, 0);
        }
    }

    /// <summary>The waiter, created and started (LISTEN issued) by the first wait; a failed start is tried again by the next.</summary>
    private async Task<TimerWaiter> StartedWaiterAsync(PostgreSqlInfrastructure infrastructure, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _startedWaiter) is { } started)
            return started;
        var known = Volatile.Read(ref _waiter);
        if (known is not null)
        {
            try
            {
                return await known.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The earlier start failed: start again below.
            }
        }

        var starting = StartWaiterAsync(infrastructure, timeProvider);
        Volatile.Write(ref _waiter, starting);
        return await starting.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<TimerWaiter> StartWaiterAsync(PostgreSqlInfrastructure infrastructure, TimeProvider timeProvider)
    {
        var waiter = infrastructure.CreateWaiter(timeProvider);
        try
        {
            // Not cancelled by a wait that ends first: the LISTEN connection outlives one wait.
            using var timeout = new CancellationTokenSource(StartTimeout);
            await waiter.StartAsync(timeout.Token).ConfigureAwait(false);
            Volatile.Write(ref _startedWaiter, waiter);
            return waiter;
        }
        catch
        {
            await waiter.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the waiter's LISTEN connection, when one was started; called when the store is disposed.</summary>
    private async ValueTask DisposeWaiterAsync()
    {
        if (Interlocked.Exchange(ref _waiter, null) is not { } starting)
            return;
        try
        {
            await (await starting.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or OperationCanceledException or IOException)
        {
            // It never started, so there is nothing to close.
        }
    }

    private static void CountLostLease(TimerRecord timer) =>
        LeasesLost.Add(1, new KeyValuePair<string, object?>("kind", timer.Kind == TimerKind.Job ? "job" : "timer"));

    /// <summary>How many timers the poll starting now may lease: as many as this node fires in half a lease, by its last measurements.</summary>
    private int NextPollSize(TimeSpan lease)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_pacing)
        {
            if (_lastPollLeased > 0 && _lastPollLeased == _lastPollLimit)
            {
                // Only a full poll is measured: more work was due, so the host came back as soon as it had fired the
                // batch. After a partial one it may have slept, which says nothing about its speed.
                var sample = (now - _lastPollStart) / _lastPollLeased;
                _ticksPerTimer = _ticksPerTimer == 0 ? sample : ((_ticksPerTimer * 3) + sample) / 4;
            }

            _lastPollStart = now;
            var perTimer = _ticksPerTimer == 0 ? AssumedTicksPerTimer : _ticksPerTimer;
            var budget = (double)lease.Ticks / TimeSpan.TicksPerSecond * Stopwatch.Frequency / 2;
            _lastPollLimit = (int)Math.Clamp(budget / Math.Max(perTimer, 1), 1, MaxTimersPerPoll);
            return _lastPollLimit;
        }
    }

    private void PolledFor(int leased)
    {
        lock (_pacing)
        {
            _lastPollLeased = leased;
        }
    }

    private void LowerNextDue(long ticks) => AtomicLong.LowerTo(ref _nextDue, ticks);

    private async Task PurgeExpiredAsync(PostgreSqlInfrastructure infrastructure, long nowTicks, CancellationToken cancellationToken)
    {
        var connection = await infrastructure.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var batch = new NpgsqlBatch(connection);
            foreach (var sql in (string[])[Sql.DeleteExpiredSeen, Sql.DeleteExpiredBuffered])
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.AddWithValue("tenant", Tenant);
                command.Parameters.AddWithValue("now", nowTicks);
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
