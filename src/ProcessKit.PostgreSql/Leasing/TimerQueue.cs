using Npgsql;
using NpgsqlTypes;
using ProcessKit.PostgreSql.Schema;

namespace ProcessKit.PostgreSql.Leasing;

/// <summary>
/// The leasing primitive over the <c>timers</c> table of one tenant: insert timers (announcing the ones due soon on
/// the schema's notification channel), lease due rows with <c>FOR UPDATE SKIP LOCKED</c>, complete a leased row inside
/// the caller's transaction only while still owning that attempt, and release a lease. Thread-safe: it keeps no state
/// between calls; every call uses its own pooled connection or the caller's transaction.
/// </summary>
/// <remarks>
/// What is due and when a lease runs out is decided by the database clock (<c>now()</c>), never by the nodes' clocks.
/// A lease whose expiry has passed is taken over like a due row: the new owner's attempt is one higher, so the old
/// owner's completion, however late, matches no row.
/// </remarks>
internal sealed class TimerQueue
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly StoreSchema _schema;
    private readonly string _tenant;
    private readonly TimeSpan _leaseDuration;
    private readonly TimeSpan _notifyHorizon;
    private readonly string _insertSql;
    private readonly string _leaseSql;
    private readonly string _completeSql;
    private readonly string _holdsSql;
    private readonly string _releaseSql;
    private readonly string _nextDueSql;
    private readonly string _nextDueTicksSql;

    /// <param name="dataSource">The database.</param>
    /// <param name="schema">The store's schema, migrated.</param>
    /// <param name="tenant">The tenant whose timers this queue reads and writes.</param>
    /// <param name="leaseDuration">How long a lease lasts, by the database clock.</param>
    /// <param name="notifyHorizon">A timer due within this span of its insertion is announced with NOTIFY; later ones are
    /// found by a poll (a waiter polls at least once per its longest backoff, so this is that backoff).</param>
    public TimerQueue(NpgsqlDataSource dataSource, StoreSchema schema, string tenant, TimeSpan leaseDuration, TimeSpan notifyHorizon)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        _dataSource = dataSource;
        _schema = schema;
        _tenant = tenant;
        _leaseDuration = leaseDuration;
        _notifyHorizon = notifyHorizon;

        var timers = schema.Table("timers");
        // The notification is sent on commit of the inserting transaction, so a woken node finds the row.
        _insertSql = $"""
            WITH inserted AS (
                INSERT INTO {timers} (tenant, instance_id, node, step_instance, kind, idx, due_ticks, due_at)
                VALUES (@tenant, @instance_id, @node, @step_instance, @kind, @idx, @due_ticks, @due_at)
                RETURNING id, due_at),
            notified AS (
                SELECT pg_notify(@channel, @tenant) FROM inserted WHERE inserted.due_at <= now() + @horizon)
            SELECT inserted.id, (SELECT count(*) FROM notified) > 0 FROM inserted
            """;
        _leaseSql = $"""
            WITH due AS (
                SELECT id FROM {timers}
                WHERE tenant = @tenant AND due_at <= now() AND due_ticks <= @now_ticks AND (lease_expires IS NULL OR lease_expires <= now())
                ORDER BY due_at
                LIMIT @max
                FOR UPDATE SKIP LOCKED)
            UPDATE {timers} AS t
            SET lease_owner = @owner, lease_expires = now() + @lease, attempt = t.attempt + 1
            FROM due
            WHERE t.tenant = @tenant AND t.id = due.id
            RETURNING t.id, t.instance_id, t.node, t.step_instance, t.kind, t.idx, t.due_ticks, t.attempt, t.lease_expires
            """;
        _completeSql = $"DELETE FROM {timers} WHERE tenant = @tenant AND id = @id AND lease_owner = @owner AND attempt = @attempt";
        _holdsSql = $"SELECT EXISTS (SELECT 1 FROM {timers} WHERE tenant = @tenant AND id = @id AND lease_owner = @owner AND attempt = @attempt)";
        _releaseSql = $"""
            UPDATE {timers}
            SET lease_owner = NULL, lease_expires = NULL, due_at = greatest(due_at, now() + @delay)
            WHERE tenant = @tenant AND id = @id AND lease_owner = @owner AND attempt = @attempt
            """;
        _nextDueSql = $"""
            SELECT CASE WHEN next IS NULL THEN NULL ELSE greatest(next - now(), interval '0') END
            FROM (SELECT min(greatest(due_at, coalesce(lease_expires, due_at))) AS next FROM {timers} WHERE tenant = @tenant) AS t
            """;
        // By the due_at index, so that a poll never scans every stored timer.
        _nextDueTicksSql = $"SELECT due_ticks FROM {timers} WHERE tenant = @tenant AND (lease_expires IS NULL OR lease_expires <= now()) ORDER BY due_at LIMIT 1";
    }

    /// <summary>The lease duration given at construction.</summary>
    public TimeSpan LeaseDuration => _leaseDuration;

    /// <summary>
    /// Inserts a timer, in <paramref name="transaction"/> when given (so it commits with the instance that set it),
    /// otherwise on its own. A timer due within the notification horizon also sends a NOTIFY, delivered on commit.
    /// </summary>
    /// <returns>The new row's id and whether a notification was sent.</returns>
    public async Task<(long Id, bool Notified)> InsertAsync(NewTimer timer, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var connection = transaction?.Connection ?? await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand(_insertSql, connection, transaction);
            AddInsertParameters(command.Parameters, timer);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return (reader.GetInt64(0), reader.GetBoolean(1));
        }
        finally
        {
            if (transaction is null)
                await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Leases up to <paramref name="max"/> rows that are due by the database clock and not leased (or whose lease ran
    /// out), earliest first, for <paramref name="owner"/>: sets the owner and the expiry and raises the attempt.
    /// Rows locked by a concurrent leaser are skipped, never waited for, so concurrent leasers never get the same row.
    /// Runs as its own transaction.
    /// </summary>
    public Task<IReadOnlyList<TimerLease>> LeaseDueAsync(string owner, int max, CancellationToken cancellationToken) =>
        LeaseDueAsync(owner, max, long.MaxValue, cancellationToken);

    /// <summary>
    /// Leases like <see cref="LeaseDueAsync(string, int, CancellationToken)"/>, but only rows that are also due by the
    /// caller's clock (<paramref name="nowTicks"/>, UTC ticks): a row is taken once both clocks have reached it, so
    /// neither a node whose clock runs ahead nor the database fires a timer early.
    /// </summary>
    public async Task<IReadOnlyList<TimerLease>> LeaseDueAsync(string owner, int max, long nowTicks, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand(_leaseSql, connection);
            command.Parameters.AddWithValue("tenant", _tenant);
            command.Parameters.AddWithValue("max", max);
            command.Parameters.AddWithValue("owner", owner);
            command.Parameters.AddWithValue("lease", _leaseDuration);
            command.Parameters.AddWithValue("now_ticks", nowTicks);
            var leases = new List<TimerLease>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                leases.Add(new TimerLease(
                    reader.GetInt64(0),
                    reader.GetInt64(1),
                    reader.GetInt32(2),
                    reader.GetInt32(3),
                    reader.GetInt16(4),
                    reader.GetInt32(5),
                    reader.GetInt64(6),
                    owner,
                    reader.GetInt32(7),
                    reader.GetFieldValue<DateTimeOffset>(8)));
            }

            return leases;
        }
    }

    /// <summary>
    /// Deletes the leased row inside <paramref name="transaction"/> (the caller's, so it commits with the instance
    /// update) if the row still carries the lease's owner and attempt. Returns whether it did: false means another owner
    /// took the row over (or it was completed already), and the caller must roll back its transaction.
    /// </summary>
    public async Task<bool> CompleteAsync(TimerLease lease, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection ?? throw new InvalidOperationException("The transaction is already committed or rolled back.");
        await using var command = new NpgsqlCommand(_completeSql, connection, transaction);
        AddFence(command, lease);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>The insert of <see cref="InsertAsync"/> as a command for the caller's batch (it runs in the batch's transaction).</summary>
    public NpgsqlBatchCommand CreateInsertCommand(NewTimer timer)
    {
        var command = new NpgsqlBatchCommand(_insertSql);
        AddInsertParameters(command.Parameters, timer);
        return command;
    }

    /// <summary>The fenced delete on its own (autocommit); false when the row no longer carries this owner and attempt.</summary>
    public async Task<bool> DeleteLeasedAsync(long id, string owner, int attempt, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand(_completeSql, connection);
            AddFence(command.Parameters, id, owner, attempt);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    /// <summary>Whether the row still carries this owner and attempt: the lease was neither taken over nor completed.</summary>
    public async Task<bool> HoldsAsync(long id, string owner, int attempt, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand(_holdsSql, connection);
            AddFence(command.Parameters, id, owner, attempt);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
        }
    }

    /// <summary>
    /// The engine due time (UTC ticks) of the first row by database due time that is not leased now (or whose lease ran
    /// out), or null when there is none: the earliest due time, except that a released row counts from its release.
    /// </summary>
    public async Task<long?> NextDueTicksAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand(_nextDueTicksSql, connection);
            command.Parameters.AddWithValue("tenant", _tenant);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long ticks ? ticks : null;
        }
    }

    /// <summary>
    /// Gives a lease back so the row can be leased again, at once or after <paramref name="retryAfter"/> (by the
    /// database clock); the attempt count stays. Returns false when the row no longer carries this owner and attempt.
    /// Runs as its own transaction.
    /// </summary>
    public async Task<bool> ReleaseAsync(TimerLease lease, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand(_releaseSql, connection);
            AddFence(command, lease);
            command.Parameters.AddWithValue("delay", retryAfter);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
    }

    /// <summary>
    /// How long until the next row becomes leasable by the database clock (zero when one is leasable now), or null when
    /// the tenant has no timers: a waiter sleeps no longer than this.
    /// </summary>
    public async Task<TimeSpan?> NextDueInAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand(_nextDueSql, connection);
            command.Parameters.AddWithValue("tenant", _tenant);
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is TimeSpan span ? span : null;
        }
    }

    /// <summary>
    /// The engine's due time as a database timestamp, rounded up to PostgreSQL's microsecond so that the database never
    /// considers a timer due before the engine does.
    /// </summary>
    internal static DateTime ToDatabaseTime(long utcTicks)
    {
        const long TicksPerMicrosecond = TimeSpan.TicksPerMicrosecond;
        var remainder = utcTicks % TicksPerMicrosecond;
        var rounded = remainder == 0 || utcTicks > DateTime.MaxValue.Ticks - TicksPerMicrosecond
            ? utcTicks
            : utcTicks + (TicksPerMicrosecond - remainder);
        return new DateTime(rounded, DateTimeKind.Utc);
    }

    private void AddFence(NpgsqlCommand command, TimerLease lease) =>
        AddFence(command.Parameters, lease.Id, lease.Owner, lease.Attempt);

    private void AddFence(NpgsqlParameterCollection parameters, long id, string owner, int attempt)
    {
        parameters.AddWithValue("tenant", _tenant);
        parameters.AddWithValue("id", id);
        parameters.AddWithValue("owner", owner);
        parameters.AddWithValue("attempt", attempt);
    }

    /// <summary>The parameters of the insert, for <see cref="InsertAsync"/> and <see cref="CreateInsertCommand"/>.</summary>
    private void AddInsertParameters(NpgsqlParameterCollection parameters, NewTimer timer)
    {
        parameters.AddWithValue("tenant", _tenant);
        parameters.AddWithValue("instance_id", timer.InstanceId);
        parameters.AddWithValue("node", timer.Node);
        parameters.AddWithValue("step_instance", timer.StepInstance);
        parameters.AddWithValue("kind", timer.Kind);
        parameters.AddWithValue("idx", timer.Index);
        parameters.AddWithValue("due_ticks", timer.DueTicks);
        parameters.AddWithValue("due_at", NpgsqlDbType.TimestampTz, ToDatabaseTime(timer.DueTicks));
        parameters.AddWithValue("channel", _schema.TimerChannel);
        parameters.AddWithValue("horizon", _notifyHorizon);
    }
}
