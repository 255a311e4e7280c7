using Microsoft.Data.Sqlite;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Persistence;
using ProcessKit.Sqlite.Reading;
using ProcessKit.Sqlite.Storing;
using ProcessKit.Sqlite.Writing;

namespace ProcessKit.Sqlite;

/// <summary>Instances: reading one back, and committing a command's changes.</summary>
public sealed partial class SqliteProcessStore
{
    private const string FindInstanceSql = """
        SELECT process_id, process_version, version, state, business_key, started_ticks, ended_ticks, state_blob, history_count
        FROM instances WHERE tenant = $tenant AND id = $id;
        """;

    private const string HistorySql = """
        SELECT first_seq, count, events FROM history WHERE tenant = $tenant AND instance_id = $id ORDER BY first_seq;
        """;

    private const string InsertHistorySql = "INSERT INTO history (tenant, instance_id, first_seq, count, events) VALUES (?1, ?2, ?3, ?4, ?5);";

    private const string InsertInstanceSql = """
        INSERT INTO instances (tenant, id, process_id, process_version, version, state, business_key, parent_id, started_ticks, ended_ticks, state_blob, history_count)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
        ON CONFLICT (tenant, id) DO NOTHING;
        """;

    private const string UpdateInstanceSql = """
        UPDATE instances SET version = ?3, state = ?4, ended_ticks = ?5, state_blob = ?6, history_count = ?7
        WHERE tenant = ?1 AND id = ?2 AND version = ?8;
        """;

    private const string UpsertTaskSql = """
        INSERT INTO tasks (tenant, id, instance_id, step_id, step_instance, state, role, assigned_to, claimed_by, created_ticks, claimed_ticks, due_ticks, closed_ticks, outcome, body)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
        ON CONFLICT (tenant, id) DO UPDATE SET
            state = excluded.state, role = excluded.role, assigned_to = excluded.assigned_to, claimed_by = excluded.claimed_by,
            claimed_ticks = excluded.claimed_ticks, due_ticks = excluded.due_ticks, closed_ticks = excluded.closed_ticks,
            outcome = excluded.outcome, body = excluded.body;
        """;

    private const string DeleteSubscriptionSql = """
        DELETE FROM subscriptions WHERE tenant = ?1 AND name = ?2 AND key = ?3 AND instance_id = ?4 AND step_instance = ?5;
        """;

    private const string InsertSubscriptionSql = """
        INSERT INTO subscriptions (tenant, name, key, instance_id, step_instance, node) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
        ON CONFLICT DO NOTHING;
        """;

    private const string InsertTimerSql = """
        INSERT INTO timers (tenant, id, instance_id, node, step_instance, kind, idx, due_ticks) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8);
        """;

    /// <summary>The fired timer's delete, fenced: only under the lease (owner and attempt) it was taken with.</summary>
    private const string DeleteTimerSql = "DELETE FROM timers WHERE tenant = ?1 AND id = ?2 AND lease_owner = ?3 AND attempt = ?4;";

    private const string InsertStartRequestSql = """
        INSERT INTO start_requests (tenant, request_id, instance_id, fingerprint, created_ticks) VALUES ($tenant, $request_id, $instance, $fingerprint, $created)
        ON CONFLICT (tenant, request_id) DO NOTHING;
        """;

    private const string DeleteBufferedSql = "DELETE FROM buffered_messages WHERE tenant = $tenant AND seq = $seq;";

    private const string DeleteIncidentSql = "DELETE FROM incidents WHERE tenant = $tenant AND instance_id = $instance AND step_instance = $step_instance;";

    private const string UpsertIncidentSql = """
        INSERT INTO incidents (tenant, instance_id, step_instance, step_id, message, raised_ticks) VALUES ($tenant, $instance, $step_instance, $step_id, $message, $raised)
        ON CONFLICT (tenant, instance_id, step_instance) DO UPDATE SET step_id = excluded.step_id, message = excluded.message, raised_ticks = excluded.raised_ticks;
        """;

    private const string UpsertSeenSql = """
        INSERT INTO seen_messages (tenant, message_id, expires_ticks) VALUES ($tenant, $message_id, $expires)
        ON CONFLICT (tenant, message_id) DO UPDATE SET expires_ticks = excluded.expires_ticks;
        """;

    async ValueTask<InstanceRecord?> IProcessStore.FindInstanceAsync(InstanceId id, IModelSource models, bool withHistory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);
        var row = await ReadAsync(connection => ReadInstance(connection, id.Value, withHistory), cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var model = models.FindModel(row.ProcessId, row.ProcessVersion) ?? throw new ProcessNotFoundException(
            ProcessErrorCodes.ProcessNotFound,
            $"The instance {id} belongs to the process '{row.ProcessId}' version {row.ProcessVersion}, which is not deployed: a process whose definition holds C# lambdas must be deployed by the application at every start.");
        var header = new InstanceHeader(id, row.Version, row.State, row.BusinessKey, row.StartedTicks, row.EndedTicks, withHistory ? 0 : row.HistoryCount);
        var record = InstanceCodec.Read(row.State_, header, model);
        if (row.History is { } history)
        {
            foreach (var e in history)
            {
                ref var r = ref record.Append();
                r.UtcTicks = e.Ticks;
                r.Type = e.Type;
                r.Node = e.Node;
                r.StepInstance = e.StepInstance;
                r.Role = e.Role;
                r.Path = e.Path;
                if (e.User is not null || e.Detail is not null || e.Amount != 0 || e.HasValue)
                {
                    record.AddNote(ref r, new HistoryNote(e.User, e.Detail, e.Amount, e.HasValue));
                }
            }
        }

        return record;
    }

    /// <summary>
    /// Reads an instance's row, and its history when asked, in one read transaction (one snapshot); the row alone is
    /// one statement, a snapshot of its own, so it needs no transaction around it.
    /// </summary>
    private InstanceRow? ReadInstance(SqliteConnection connection, long id, bool withHistory)
    {
        using var transaction = withHistory ? connection.BeginTransaction(deferred: true) : null;
        InstanceRow row;
        {
            // In a block of its own: the row's reader is closed before the history is read on the same connection.
            var command = ReaderCommands.For(connection, FindInstanceSql);
            command.Transaction = transaction;
            command.Parameters.AddWithValue("$tenant", _tenant);
            command.Parameters.AddWithValue("$id", id);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            row = new InstanceRow(
                reader.GetString(0),
                reader.GetInt32(1),
                reader.GetInt64(2),
                (InstanceState)reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetInt64(5),
                reader.IsDBNull(6) ? 0 : reader.GetInt64(6),
                (byte[])reader.GetValue(7),
                reader.GetInt32(8));
        }

        if (withHistory)
        {
            var command = ReaderCommands.For(connection, HistorySql);
            command.Transaction = transaction;
            command.Parameters.AddWithValue("$tenant", _tenant);
            command.Parameters.AddWithValue("$id", id);
            using var reader = command.ExecuteReader();
            var events = new List<HistoryEntry>(row.HistoryCount);
            while (reader.Read())
            {
                var first = reader.GetInt64(0);
                if (first != events.Count + 1)
                {
                    throw new ProcessStoreException(
                        ProcessErrorCodes.StoreFormatUnsupported,
                        $"The history of the instance {id} has a gap before event {first}; the store was changed outside ProcessKit or is damaged.");
                }

                HistoryPack.Read((byte[])reader.GetValue(2), reader.GetInt32(1), events);
            }

            row = row with { History = events };
        }

        transaction?.Commit();
        return row;
    }

    ValueTask<StartRequestRecord?> IProcessStore.FindStartRequestAsync(string requestId, CancellationToken cancellationToken) =>
        ReadAsync<StartRequestRecord?>(
            connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT instance_id, fingerprint FROM start_requests WHERE tenant = $tenant AND request_id = $request_id;";
                command.Parameters.AddWithValue("$tenant", _tenant);
                command.Parameters.AddWithValue("$request_id", requestId);
                using var reader = command.ExecuteReader();
                return reader.Read() ? new StartRequestRecord(requestId, new InstanceId(reader.GetInt64(0)), (byte[])reader.GetValue(1)) : (StartRequestRecord?)null;
            },
            cancellationToken);

    async ValueTask<bool> IProcessStore.TryCommitAsync(InstanceCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var storage = Storage;

        // Everything that costs CPU is made here, on the caller's thread, so that the writer's loop only steps SQL.
        var prepared = new PreparedCommit(commit, InstanceCodec.Write(commit.Instance), _leaseOwner);
        if (commit.Instance.HistoryCount > 0)
        {
            prepared.History = HistoryPack.Write(commit.Instance, 0, commit.Instance.HistoryCount);
        }

        if (commit.Tasks is { Count: > 0 } tasks)
        {
            prepared.TaskBodies = new byte[tasks.Count][];
            for (var i = 0; i < tasks.Count; i++)
            {
                prepared.TaskBodies[i] = TaskBodyCodec.Write(tasks[i]);
            }
        }

        if (commit.Timers is { Count: > 0 } timers)
        {
            prepared.TimerIds = new long[timers.Count];
            for (var i = 0; i < timers.Count; i++)
            {
                prepared.TimerIds[i] = storage.TimerIds.Next();
            }
        }

        bool applied;
        try
        {
            applied = await WriteAsync(prepared.Apply, cancellationToken).ConfigureAwait(false);
        }
        catch (CommitRefusedException)
        {
            applied = false;
        }

        if (applied)
        {
            commit.Instance.Version = commit.ExpectedVersion + 1;
        }

        return applied;
    }

    private sealed record InstanceRow(
        string ProcessId,
        int ProcessVersion,
        long Version,
        InstanceState State,
        string? BusinessKey,
        long StartedTicks,
        long EndedTicks,
        byte[] State_,
        int HistoryCount)
    {
        public List<HistoryEntry>? History { get; init; }
    }

    /// <summary>One commit, serialized, applied on the writer's loop.</summary>
    private sealed class PreparedCommit(InstanceCommit commit, byte[] state, string leaseOwner)
    {
        public byte[][]? TaskBodies { get; set; }

        public long[]? TimerIds { get; set; }

        /// <summary>The events this commit appends, packed into one row (null when there are none).</summary>
        public byte[]? History { get; set; }

        /// <summary>
        /// Applies the commit inside the batch's transaction: the version check first (false, nothing
        /// written, when it fails), then every change. A later check that fails (a consumed message already
        /// gone) throws <see cref="CommitRefusedException"/>, which rolls the commit back to its savepoint.
        /// </summary>
        public bool Apply(SqliteWriteContext context)
        {
            var instance = commit.Instance;
            var tenant = context.Tenant;
            var version = commit.ExpectedVersion + 1;
            var historyCount = instance.HistoryBase + instance.HistoryCount;
            long? ended = instance.IsEnded ? instance.EndedTicks : null;
            var instanceId = instance.Id.Value;
            var changed = commit.ExpectedVersion == 0
                ? context.Statement(InsertInstanceSql)
                    .Bind(1, tenant)
                    .Bind(2, instanceId)
                    .Bind(3, instance.Model.Id)
                    .Bind(4, instance.Model.Version)
                    .Bind(5, version)
                    .Bind(6, (int)instance.State)
                    .Bind(7, instance.BusinessKey)
                    .Bind(8, instance.Parent?.Instance.Value)
                    .Bind(9, instance.StartedTicks)
                    .Bind(10, ended)
                    .Bind(11, state)
                    .Bind(12, historyCount)
                    .Execute()
                : context.Statement(UpdateInstanceSql)
                    .Bind(1, tenant)
                    .Bind(2, instanceId)
                    .Bind(3, version)
                    .Bind(4, (int)instance.State)
                    .Bind(5, ended)
                    .Bind(6, state)
                    .Bind(7, historyCount)
                    .Bind(8, commit.ExpectedVersion)
                    .Execute();
            if (changed != 1)
            {
                return false;
            }

            SqliteCommand command;
            if (commit.StartRequest is { } request)
            {
                // Taken by an earlier or concurrent start with the same request id: refused (the engine returns that start's instance).
                command = context.Command(InsertStartRequestSql);
                command.Parameters.AddWithValue("$tenant", tenant);
                command.Parameters.AddWithValue("$request_id", request.RequestId);
                command.Parameters.AddWithValue("$instance", request.Instance.Value);
                command.Parameters.AddWithValue("$fingerprint", request.Fingerprint);
                command.Parameters.AddWithValue("$created", commit.Instance.StartedTicks);
                if (command.ExecuteNonQuery() != 1)
                {
                    throw new CommitRefusedException();
                }
            }

            if (commit.Consumed is { Count: > 0 } consumed)
            {
                foreach (var message in consumed)
                {
                    command = context.Command(DeleteBufferedSql);
                    command.Parameters.AddWithValue("$tenant", tenant);
                    command.Parameters.AddWithValue("$seq", message.Sequence);
                    if (command.ExecuteNonQuery() != 1)
                    {
                        throw new CommitRefusedException();
                    }
                }
            }

            if (History is { } packed)
            {
                context.Statement(InsertHistorySql)
                    .Bind(1, tenant)
                    .Bind(2, instanceId)
                    .Bind(3, instance.HistoryBase + 1)
                    .Bind(4, instance.HistoryCount)
                    .Bind(5, packed)
                    .Execute();
            }

            if (commit.Tasks is { Count: > 0 } tasks)
            {
                var upsert = context.Statement(UpsertTaskSql);
                for (var i = 0; i < tasks.Count; i++)
                {
                    var task = tasks[i];
                    upsert
                        .Bind(1, tenant)
                        .Bind(2, task.TaskId)
                        .Bind(3, task.Instance.Value)
                        .Bind(4, task.StepId)
                        .Bind(5, task.StepInstance)
                        .Bind(6, (int)task.State)
                        .Bind(7, task.Role)
                        .Bind(8, task.AssignedTo)
                        .Bind(9, task.ClaimedBy)
                        .Bind(10, task.CreatedAt.UtcTicks)
                        .Bind(11, task.ClaimedAt?.UtcTicks)
                        .Bind(12, task.DueAt?.UtcTicks)
                        .Bind(13, task.ClosedAt?.UtcTicks)
                        .Bind(14, task.Outcome)
                        .Bind(15, TaskBodies![i])
                        .Execute();
                }
            }

            if (commit.Unsubscribe is { Count: > 0 } unsubscribe)
            {
                var delete = context.Statement(DeleteSubscriptionSql);
                foreach (var s in unsubscribe)
                {
                    delete.Bind(1, tenant).Bind(2, s.Name).Bind(3, s.Key).Bind(4, s.Instance.Value).Bind(5, s.StepInstance).Execute();
                }
            }

            if (commit.Subscribe is { Count: > 0 } subscribe)
            {
                var insert = context.Statement(InsertSubscriptionSql);
                foreach (var s in subscribe)
                {
                    insert.Bind(1, tenant).Bind(2, s.Name).Bind(3, s.Key).Bind(4, s.Instance.Value).Bind(5, s.StepInstance).Bind(6, s.Node).Execute();
                }
            }

            if (commit.Timers is { Count: > 0 } timers)
            {
                var insert = context.Statement(InsertTimerSql);
                for (var i = 0; i < timers.Count; i++)
                {
                    var timer = timers[i];
                    insert
                        .Bind(1, tenant)
                        .Bind(2, TimerIds![i])
                        .Bind(3, timer.Instance.Value)
                        .Bind(4, timer.Node)
                        .Bind(5, timer.StepInstance)
                        .Bind(6, (int)timer.Kind)
                        .Bind(7, timer.Index)
                        .Bind(8, timer.DueTicks)
                        .Execute();
                }
            }

            // One store writes the file, but a timer it took can still be taken again by a later run once its lease ran
            // out (the first run hung or crashed in-process): the fired timer is deleted under the lease it was taken
            // with, and a commit whose lease was taken over is refused, as in a shared store.
            if (commit.FiredTimer is { Id: not 0 } fired
                && context.Statement(DeleteTimerSql).Bind(1, tenant).Bind(2, fired.Id).Bind(3, leaseOwner).Bind(4, fired.Lease).Execute() != 1)
            {
                throw new CommitRefusedException();
            }

            if (commit.ResolvedIncidents is { Count: > 0 } resolved)
            {
                foreach (var incident in resolved)
                {
                    command = context.Command(DeleteIncidentSql);
                    command.Parameters.AddWithValue("$tenant", tenant);
                    command.Parameters.AddWithValue("$instance", incident.Instance.Value);
                    command.Parameters.AddWithValue("$step_instance", incident.StepInstance);
                    command.ExecuteNonQuery();
                }
            }

            if (commit.Incidents is { Count: > 0 } raised)
            {
                foreach (var incident in raised)
                {
                    command = context.Command(UpsertIncidentSql);
                    var p = command.Parameters;
                    p.AddWithValue("$tenant", tenant);
                    p.AddWithValue("$instance", incident.Instance.Value);
                    p.AddWithValue("$step_instance", incident.StepInstance);
                    p.AddWithValue("$step_id", incident.StepId);
                    p.AddWithValue("$message", incident.Message);
                    p.AddWithValue("$raised", incident.RaisedAt.UtcTicks);
                    command.ExecuteNonQuery();
                }
            }

            if (commit.MessageId is { } messageId)
            {
                command = context.Command(UpsertSeenSql);
                command.Parameters.AddWithValue("$tenant", tenant);
                command.Parameters.AddWithValue("$message_id", messageId);
                command.Parameters.AddWithValue("$expires", commit.MessageIdExpiresTicks);
                command.ExecuteNonQuery();
            }

            return true;
        }
    }

    /// <summary>Thrown inside a commit's write when a check after the version check fails: the writer rolls the commit back to its savepoint.</summary>
    private sealed class CommitRefusedException : Exception
    {
        public CommitRefusedException()
            : base("The commit's consumed message was already taken.")
        {
        }
    }
}
