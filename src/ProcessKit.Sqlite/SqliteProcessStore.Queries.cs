using System.Buffers;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ProcessKit.Execution;
using ProcessKit.Messaging;
using ProcessKit.Persistence;
using ProcessKit.Scheduling;
using ProcessKit.Sqlite.Reading;
using ProcessKit.Sqlite.Storing;
using ProcessKit.Tasks;

namespace ProcessKit.Sqlite;

/// <summary>Tasks, subscriptions, buffered and seen messages, timers and incidents.</summary>
public sealed partial class SqliteProcessStore
{
    /// <summary>
    /// How long a timer taken by <c>TakeDueAsync</c> stays the taker's, on the engine's clock. A timer taken and neither
    /// fired nor put back (its run crashed in-process, threw or was cancelled) is taken again after it by the same open
    /// store; a late commit under the old lease is then refused. Leases a previous process left are cleared on open.
    /// <see cref="SqliteStoreOptions.LeaseDuration"/>, 5 minutes unless set.
    /// </summary>
    private readonly long _leaseTicks;

    /// <summary>How often, at most (in the engine's time), expired buffered and seen messages are deleted while taking timers.</summary>
    private static readonly long CleanupEveryTicks = TimeSpan.FromMinutes(1).Ticks;

    private const string FindTaskSql = $"SELECT {TaskRows.Columns} FROM tasks WHERE tenant = $tenant AND id = $id;";

    private long _lastCleanupTicks;

    ValueTask<HumanTaskInfo?> IProcessStore.FindTaskAsync(long taskId, CancellationToken cancellationToken) =>
        ReadAsync(connection => FindTask(connection, taskId), cancellationToken);

    HumanTaskInfo? IProcessStore.FindTask(long taskId) => Read(connection => FindTask(connection, taskId));

    private HumanTaskInfo? FindTask(SqliteConnection connection, long taskId)
    {
        var command = ReaderCommands.For(connection, FindTaskSql);
        command.Parameters.AddWithValue("$tenant", _tenant);
        command.Parameters.AddWithValue("$id", taskId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? TaskRows.Read(reader) : null;
    }

    ValueTask<List<HumanTaskInfo>> IProcessStore.QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync(connection => QueryTasks(connection, query), cancellationToken);
    }

    /// <summary>Selects by the indexed criteria (all parameters), then applies the whole query to each row.</summary>
    private List<HumanTaskInfo> QueryTasks(SqliteConnection connection, TaskQuery query)
    {
        // The parameters are collected first: the SQL picks the connection's command (one per combination of criteria).
        var parameters = new List<(string Name, object Value)>(6);
        var sql = TaskQuerySql.Build(query, _tenant, parameters);
        var command = ReaderCommands.For(connection, sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = new List<HumanTaskInfo>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var task = TaskRows.Read(reader);
            if (query.Matches(task))
            {
                result.Add(task);
            }
        }

        return result;
    }

    int IProcessStore.CountOpenTasks(string userId) => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM tasks WHERE tenant = $tenant AND (claimed_by = $user OR assigned_to = $user) AND state IN ($offered, $claimed);";
        command.Parameters.AddWithValue("$tenant", _tenant);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$offered", (int)TaskState.Offered);
        command.Parameters.AddWithValue("$claimed", (int)TaskState.Claimed);
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    });

    List<OpenTaskCount> IProcessStore.CountOpenTasksByProcess(long nowTicks) => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT i.process_id, count(*), coalesce(sum(t.due_ticks < $now), 0)
            FROM tasks t JOIN instances i ON i.tenant = t.tenant AND i.id = t.instance_id
            WHERE t.tenant = $tenant AND t.state IN ($offered, $claimed)
            GROUP BY i.process_id;
            """;
        command.Parameters.AddWithValue("$tenant", _tenant);
        command.Parameters.AddWithValue("$now", nowTicks);
        command.Parameters.AddWithValue("$offered", (int)TaskState.Offered);
        command.Parameters.AddWithValue("$claimed", (int)TaskState.Claimed);
        var result = new List<OpenTaskCount>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new OpenTaskCount(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)));
        }

        return result;
    });

    ValueTask<Subscription?> IProcessStore.FindSubscriptionAsync(string name, string key, CancellationToken cancellationToken) =>
        ReadAsync<Subscription?>(
            connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT instance_id, node, step_instance FROM subscriptions WHERE tenant = $tenant AND name = $name AND key = $key ORDER BY rowid LIMIT 1;";
                command.Parameters.AddWithValue("$tenant", _tenant);
                command.Parameters.AddWithValue("$name", name);
                command.Parameters.AddWithValue("$key", key);
                using var reader = command.ExecuteReader();
                return reader.Read() ? new Subscription(name, key, new InstanceId(reader.GetInt64(0)), reader.GetInt32(1), reader.GetInt32(2)) : null;
            },
            cancellationToken);

    BufferedMessage? IProcessStore.FindBuffered(string name, string key, long nowTicks) => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT seq, payload, message_id, expires_ticks FROM buffered_messages
            WHERE tenant = $tenant AND name = $name AND key = $key AND expires_ticks > $now ORDER BY seq LIMIT 1;
            """;
        command.Parameters.AddWithValue("$tenant", _tenant);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$now", nowTicks);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var payload = reader.IsDBNull(1) ? null : ReadPayload((byte[])reader.GetValue(1));
        return new BufferedMessage(name, key, payload, reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3), reader.GetInt64(0));
    });

    ValueTask<bool> IProcessStore.HasSeenMessageAsync(string messageId, long nowTicks, CancellationToken cancellationToken) =>
        ReadAsync(
            connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT EXISTS (SELECT 1 FROM seen_messages WHERE tenant = $tenant AND message_id = $id AND expires_ticks > $now);";
                command.Parameters.AddWithValue("$tenant", _tenant);
                command.Parameters.AddWithValue("$id", messageId);
                command.Parameters.AddWithValue("$now", nowTicks);
                return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
            },
            cancellationToken);

    ValueTask<bool> IProcessStore.TryBufferAsync(BufferedMessage message, long nowTicks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sequence = Storage.MessageIds.Next();
        var payload = message.Payload is { } values ? WritePayload(values) : null;
        return WriteAsync(
            context =>
            {
                SqliteCommand command;
                if (message.MessageId is { } id)
                {
                    command = context.Command("SELECT EXISTS (SELECT 1 FROM seen_messages WHERE tenant = $tenant AND message_id = $id AND expires_ticks > $now);");
                    command.Parameters.AddWithValue("$tenant", context.Tenant);
                    command.Parameters.AddWithValue("$id", id);
                    command.Parameters.AddWithValue("$now", nowTicks);
                    if ((long)command.ExecuteScalar()! != 0)
                    {
                        return false;
                    }

                    command = context.Command(UpsertSeenSql);
                    command.Parameters.AddWithValue("$tenant", context.Tenant);
                    command.Parameters.AddWithValue("$message_id", id);
                    command.Parameters.AddWithValue("$expires", message.ExpiresTicks);
                    command.ExecuteNonQuery();
                }

                command = context.Command("""
                    INSERT INTO buffered_messages (tenant, seq, name, key, payload, message_id, expires_ticks)
                    VALUES ($tenant, $seq, $name, $key, $payload, $message_id, $expires);
                    """);
                var p = command.Parameters;
                p.AddWithValue("$tenant", context.Tenant);
                p.AddWithValue("$seq", sequence);
                p.AddWithValue("$name", message.Name);
                p.AddWithValue("$key", message.Key);
                p.AddWithValue("$payload", (object?)payload ?? DBNull.Value);
                p.AddWithValue("$message_id", (object?)message.MessageId ?? DBNull.Value);
                p.AddWithValue("$expires", message.ExpiresTicks);
                command.ExecuteNonQuery();
                return true;
            },
            cancellationToken);
    }

    private static byte[] WritePayload(IReadOnlyDictionary<string, object?> payload)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            InstanceCodec.WriteValue(json, payload, "payload");
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static Dictionary<string, object?> ReadPayload(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                values[property.Name] = InstanceCodec.Untyped(property.Value);
            }

            return values;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ProcessStoreException(
                ProcessErrorCodes.StoreFormatUnsupported,
                $"A buffered message's payload cannot be read ({e.Message}); the store was changed outside ProcessKit or is damaged.",
                e);
        }
    }

    async ValueTask IProcessStore.TakeDueAsync(long nowTicks, List<TimerRecord> due, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(due);

        // Most calls find nothing due: a read answers those without a write (and its fsync).
        var any = await ReadAsync(
            connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT EXISTS (SELECT 1 FROM timers WHERE tenant = $tenant AND due_ticks <= $now AND (lease_owner IS NULL OR lease_expires <= $now));";
                command.Parameters.AddWithValue("$tenant", _tenant);
                command.Parameters.AddWithValue("$now", nowTicks);
                return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
            },
            cancellationToken).ConfigureAwait(false);
        if (!any)
        {
            return;
        }

        var cleanup = nowTicks - Interlocked.Read(ref _lastCleanupTicks) >= CleanupEveryTicks;
        if (cleanup)
        {
            Interlocked.Exchange(ref _lastCleanupTicks, nowTicks);
        }

        var owner = _leaseOwner;
        var taken = await WriteAsync(
            context =>
            {
                var command = context.Command("""
                    UPDATE timers SET lease_owner = $owner, lease_expires = $expires, attempt = attempt + 1
                    WHERE tenant = $tenant AND due_ticks <= $now AND (lease_owner IS NULL OR lease_expires <= $now)
                    RETURNING id, instance_id, node, step_instance, kind, idx, due_ticks, attempt;
                    """);
                var p = command.Parameters;
                p.AddWithValue("$tenant", context.Tenant);
                p.AddWithValue("$owner", owner);
                p.AddWithValue("$expires", nowTicks + _leaseTicks);
                p.AddWithValue("$now", nowTicks);
                var timers = new List<TimerRecord>();
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        timers.Add(new TimerRecord(
                            reader.GetInt64(6),
                            new InstanceId(reader.GetInt64(1)),
                            reader.GetInt32(2),
                            reader.GetInt32(3),
                            (TimerKind)reader.GetInt32(4),
                            reader.GetInt32(5),
                            reader.GetInt64(0),
                            reader.GetInt32(7)));
                    }
                }

                if (cleanup)
                {
                    foreach (var sql in (string[])["DELETE FROM seen_messages WHERE tenant = $tenant AND expires_ticks <= $now;", "DELETE FROM buffered_messages WHERE tenant = $tenant AND expires_ticks <= $now;"])
                    {
                        var delete = context.Command(sql);
                        delete.Parameters.AddWithValue("$tenant", context.Tenant);
                        delete.Parameters.AddWithValue("$now", nowTicks);
                        delete.ExecuteNonQuery();
                    }
                }

                return timers;
            },
            cancellationToken).ConfigureAwait(false);

        taken.Sort(static (a, b) => a.DueTicks != b.DueTicks ? a.DueTicks.CompareTo(b.DueTicks) : a.Id.CompareTo(b.Id));
        due.AddRange(taken);
    }

    /// <summary>
    /// The earliest due time of a timer nobody leases, or the earliest end of a lease (a timer taken and never fired
    /// or put back, because its run crashed in-process, threw or was cancelled, is due again then), whichever is first.
    /// </summary>
    long? IProcessStore.NextDueTicks() => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT min(t) FROM (
                SELECT min(due_ticks) AS t FROM timers WHERE tenant = $tenant AND lease_owner IS NULL
                UNION ALL
                SELECT min(lease_expires) FROM timers WHERE tenant = $tenant AND lease_owner IS NOT NULL);
            """;
        command.Parameters.AddWithValue("$tenant", _tenant);
        return command.ExecuteScalar() is long ticks ? ticks : (long?)null;
    });

    async ValueTask IProcessStore.DropTimerAsync(TimerRecord timer, CancellationToken cancellationToken)
    {
        var owner = _leaseOwner;
        await WriteAsync(
            context =>
            {
                var command = context.Command("DELETE FROM timers WHERE tenant = $tenant AND id = $id AND lease_owner = $owner AND attempt = $attempt;");
                command.Parameters.AddWithValue("$tenant", context.Tenant);
                command.Parameters.AddWithValue("$id", timer.Id);
                command.Parameters.AddWithValue("$owner", owner);
                command.Parameters.AddWithValue("$attempt", timer.Lease);
                return command.ExecuteNonQuery();
            },
            cancellationToken).ConfigureAwait(false);
    }

    ValueTask<bool> IProcessStore.HoldsTimerAsync(TimerRecord timer, CancellationToken cancellationToken)
    {
        if (timer.Id == 0)
        {
            return ValueTask.FromResult(true);
        }

        var owner = _leaseOwner;
        return ReadAsync(
            connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT EXISTS (SELECT 1 FROM timers WHERE tenant = $tenant AND id = $id AND lease_owner = $owner AND attempt = $attempt);";
                command.Parameters.AddWithValue("$tenant", _tenant);
                command.Parameters.AddWithValue("$id", timer.Id);
                command.Parameters.AddWithValue("$owner", owner);
                command.Parameters.AddWithValue("$attempt", timer.Lease);
                return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
            },
            cancellationToken);
    }

    async ValueTask IProcessStore.RescheduleAsync(IReadOnlyList<TimerRecord> timers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timers);
        if (timers.Count == 0)
        {
            return;
        }

        var owner = _leaseOwner;
        await WriteAsync(
            context =>
            {
                foreach (var timer in timers)
                {
                    var command = context.Command("UPDATE timers SET lease_owner = NULL, lease_expires = NULL WHERE tenant = $tenant AND id = $id AND lease_owner = $owner AND attempt = $attempt;");
                    command.Parameters.AddWithValue("$tenant", context.Tenant);
                    command.Parameters.AddWithValue("$id", timer.Id);
                    command.Parameters.AddWithValue("$owner", owner);
                    command.Parameters.AddWithValue("$attempt", timer.Lease);
                    command.ExecuteNonQuery();
                }

                return timers.Count;
            },
            cancellationToken).ConfigureAwait(false);
    }

    ValueTask<List<Incident>> IProcessStore.QueryIncidentsAsync(InstanceId? instance, CancellationToken cancellationToken) =>
        ReadAsync(
            connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = instance is null
                    ? "SELECT instance_id, step_id, step_instance, message, raised_ticks FROM incidents WHERE tenant = $tenant ORDER BY raised_ticks, step_instance;"
                    : "SELECT instance_id, step_id, step_instance, message, raised_ticks FROM incidents WHERE tenant = $tenant AND instance_id = $instance ORDER BY raised_ticks, step_instance;";
                command.Parameters.AddWithValue("$tenant", _tenant);
                if (instance is { } id)
                {
                    command.Parameters.AddWithValue("$instance", id.Value);
                }

                using var reader = command.ExecuteReader();
                var incidents = new List<Incident>();
                while (reader.Read())
                {
                    incidents.Add(new Incident(new InstanceId(reader.GetInt64(0)), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero)));
                }

                return incidents;
            },
            cancellationToken);
}
