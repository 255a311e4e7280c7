using Npgsql;
using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.PostgreSql.Leasing;
using ProcessKit.Scheduling;

namespace ProcessKit.PostgreSql;

/// <content>Timers: leased when due, fired in a commit under their lease, dropped or put back fenced.</content>
public sealed partial class PostgreSqlProcessStore
{
    /// <summary>
    /// How many due timers one <c>TakeDueAsync</c> leases at most: the engine fires them one after the other, and all
    /// must be fired well within the lease; the engine's host calls again while timers remain due.
    /// </summary>
    private const int MaxTimersPerPoll = 256;

    /// <summary>How often (in engine time) expired seen message ids and buffered messages are deleted, at most.</summary>
    private static readonly long PurgeIntervalTicks = TimeSpan.FromMinutes(1).Ticks;

    /// <summary>The earliest due time known here (commits of this node, the last lease poll), or <see cref="long.MaxValue"/>.</summary>
    private long _nextDue = long.MaxValue;

    /// <summary>The latest engine time this store was given (UTC ticks): a seen message id that expired by then may be seen again.</summary>
    private long _lastNowTicks;

    private long _nextPurgeTicks;

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
            var leases = await infrastructure.Timers.LeaseDueAsync(infrastructure.LeaseOwner, MaxTimersPerPoll, nowTicks, cancellationToken).ConfigureAwait(false);
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
            // False when another node took the timer over meanwhile: then it is that node's to fire or drop.
            await infrastructure.Timers.DeleteLeasedAsync(timer.Id, infrastructure.LeaseOwner, timer.Lease, cancellationToken).ConfigureAwait(false);
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
            }
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    private void LowerNextDue(long ticks)
    {
        var known = Volatile.Read(ref _nextDue);
        while (ticks < known)
        {
            var found = Interlocked.CompareExchange(ref _nextDue, ticks, known);
            if (found == known)
                return;
            known = found;
        }
    }

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
