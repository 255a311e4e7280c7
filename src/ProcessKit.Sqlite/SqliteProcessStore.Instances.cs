using Microsoft.Data.Sqlite;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Persistence;
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
        SELECT ticks, type, node, step_instance, role, path, user_id, detail, amount, has_value
        FROM history WHERE tenant = $tenant AND instance_id = $id ORDER BY seq;
        """;

    private const string InsertInstanceSql = """
        INSERT INTO instances (tenant, id, process_id, process_version, version, state, business_key, parent_id, started_ticks, ended_ticks, state_blob, history_count)
        VALUES ($tenant, $id, $process, $process_version, $version, $state, $business_key, $parent, $started, $ended, $blob, $history_count)
        ON CONFLICT (tenant, id) DO NOTHING;
        """;

    private const string UpdateInstanceSql = """
        UPDATE instances SET version = $version, state = $state, ended_ticks = $ended, state_blob = $blob, history_count = $history_count
        WHERE tenant = $tenant AND id = $id AND version = $expected;
        """;

    private const string InsertHistorySql = """
        INSERT INTO history (tenant, instance_id, seq, ticks, type, node, step_instance, role, path, user_id, detail, amount, has_value)
        VALUES ($tenant, $instance, $seq, $ticks, $type, $node, $step_instance, $role, $path, $user, $detail, $amount, $has_value);
        """;

    private const string UpsertTaskSql = """
        INSERT INTO tasks (tenant, id, instance_id, step_id, step_instance, state, role, assigned_to, claimed_by, created_ticks, claimed_ticks, due_ticks, closed_ticks, outcome, body)
        VALUES ($tenant, $id, $instance, $step_id, $step_instance, $state, $role, $assigned_to, $claimed_by, $created, $claimed, $due, $closed, $outcome, $body)
        ON CONFLICT (tenant, id) DO UPDATE SET
            state = excluded.state, role = excluded.role, assigned_to = excluded.assigned_to, claimed_by = excluded.claimed_by,
            claimed_ticks = excluded.claimed_ticks, due_ticks = excluded.due_ticks, closed_ticks = excluded.closed_ticks,
            outcome = excluded.outcome, body = excluded.body;
        """;

    private const string DeleteSubscriptionSql = """
        DELETE FROM subscriptions WHERE tenant = $tenant AND name = $name AND key = $key AND instance_id = $instance AND step_instance = $step_instance;
        """;

    private const string InsertSubscriptionSql = """
        INSERT INTO subscriptions (tenant, name, key, instance_id, node, step_instance) VALUES ($tenant, $name, $key, $instance, $node, $step_instance)
        ON CONFLICT DO NOTHING;
        """;

    private const string InsertTimerSql = """
        INSERT INTO timers (tenant, id, instance_id, node, step_instance, kind, idx, due_ticks) VALUES ($tenant, $id, $instance, $node, $step_instance, $kind, $idx, $due);
        """;

    private const string DeleteTimerSql = "DELETE FROM timers WHERE tenant = $tenant AND id = $id;";

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

    /// <summary>Reads an instance's row, and its history when asked, in one read transaction (one snapshot).</summary>
    private InstanceRow? ReadInstance(SqliteConnection connection, long id, bool withHistory)
    {
        using var transaction = connection.BeginTransaction(deferred: true);
        InstanceRow row;
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = FindInstanceSql;
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
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = HistorySql;
            command.Parameters.AddWithValue("$tenant", _tenant);
            command.Parameters.AddWithValue("$id", id);
            using var reader = command.ExecuteReader();
            var events = new List<HistoryRow>(row.HistoryCount);
            while (reader.Read())
            {
                events.Add(new HistoryRow(
                    reader.GetInt64(0),
                    (HistoryEventType)reader.GetInt32(1),
                    reader.GetInt32(2),
                    reader.GetInt32(3),
                    (short)reader.GetInt32(4),
                    (Definitions.PathKind)reader.GetInt32(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.GetInt64(8),
                    reader.GetInt64(9) != 0));
            }

            row = row with { History = events };
        }

        transaction.Commit();
        return row;
    }

    async ValueTask<bool> IProcessStore.TryCommitAsync(InstanceCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var storage = Storage;

        // Everything that costs CPU is made here, on the caller's thread, so that the writer's loop only steps SQL.
        var prepared = new PreparedCommit(commit, InstanceCodec.Write(commit.Instance));
        if (commit.Tasks is { Count: > 0 } tasks)
        {
            prepared.TaskBodies = new byte[tasks.Count][];
            for (var i = 0; i < tasks.Count; i++)
            {
                prepared.TaskBodies[i] = TaskRows.WriteBody(tasks[i]);
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
        public List<HistoryRow>? History { get; init; }
    }

    private readonly record struct HistoryRow(long Ticks, HistoryEventType Type, int Node, int StepInstance, short Role, Definitions.PathKind Path, string? User, string? Detail, long Amount, bool HasValue);

    /// <summary>One commit, serialized, applied on the writer's loop.</summary>
    private sealed class PreparedCommit(InstanceCommit commit, byte[] state)
    {
        public byte[][]? TaskBodies { get; set; }

        public long[]? TimerIds { get; set; }

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
            object ended = instance.IsEnded ? instance.EndedTicks : DBNull.Value;
            SqliteCommand command;
            if (commit.ExpectedVersion == 0)
            {
                command = context.Command(InsertInstanceSql);
                var p = command.Parameters;
                p.AddWithValue("$tenant", tenant);
                p.AddWithValue("$id", instance.Id.Value);
                p.AddWithValue("$process", instance.Model.Id);
                p.AddWithValue("$process_version", instance.Model.Version);
                p.AddWithValue("$version", version);
                p.AddWithValue("$state", (int)instance.State);
                p.AddWithValue("$business_key", (object?)instance.BusinessKey ?? DBNull.Value);
                p.AddWithValue("$parent", instance.Parent is { } parent ? parent.Instance.Value : DBNull.Value);
                p.AddWithValue("$started", instance.StartedTicks);
                p.AddWithValue("$ended", ended);
                p.AddWithValue("$blob", state);
                p.AddWithValue("$history_count", historyCount);
            }
            else
            {
                command = context.Command(UpdateInstanceSql);
                var p = command.Parameters;
                p.AddWithValue("$tenant", tenant);
                p.AddWithValue("$id", instance.Id.Value);
                p.AddWithValue("$expected", commit.ExpectedVersion);
                p.AddWithValue("$version", version);
                p.AddWithValue("$state", (int)instance.State);
                p.AddWithValue("$ended", ended);
                p.AddWithValue("$blob", state);
                p.AddWithValue("$history_count", historyCount);
            }

            if (command.ExecuteNonQuery() != 1)
            {
                return false;
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

            for (var i = 0; i < instance.HistoryCount; i++)
            {
                ref readonly var r = ref instance.History[i];
                var note = instance.NoteOf(r);
                command = context.Command(InsertHistorySql);
                var p = command.Parameters;
                p.AddWithValue("$tenant", tenant);
                p.AddWithValue("$instance", instance.Id.Value);
                p.AddWithValue("$seq", instance.HistoryBase + i + 1);
                p.AddWithValue("$ticks", r.UtcTicks);
                p.AddWithValue("$type", (int)r.Type);
                p.AddWithValue("$node", r.Node);
                p.AddWithValue("$step_instance", r.StepInstance);
                p.AddWithValue("$role", (int)r.Role);
                p.AddWithValue("$path", (int)r.Path);
                p.AddWithValue("$user", (object?)note.User ?? DBNull.Value);
                p.AddWithValue("$detail", (object?)note.Detail ?? DBNull.Value);
                p.AddWithValue("$amount", note.Amount);
                p.AddWithValue("$has_value", note.HasValue ? 1 : 0);
                command.ExecuteNonQuery();
            }

            if (commit.Tasks is { Count: > 0 } tasks)
            {
                for (var i = 0; i < tasks.Count; i++)
                {
                    var task = tasks[i];
                    command = context.Command(UpsertTaskSql);
                    var p = command.Parameters;
                    p.AddWithValue("$tenant", tenant);
                    p.AddWithValue("$id", task.TaskId);
                    p.AddWithValue("$instance", task.Instance.Value);
                    p.AddWithValue("$step_id", task.StepId);
                    p.AddWithValue("$step_instance", task.StepInstance);
                    p.AddWithValue("$state", (int)task.State);
                    p.AddWithValue("$role", task.Role);
                    p.AddWithValue("$assigned_to", (object?)task.AssignedTo ?? DBNull.Value);
                    p.AddWithValue("$claimed_by", (object?)task.ClaimedBy ?? DBNull.Value);
                    p.AddWithValue("$created", task.CreatedAt.UtcTicks);
                    p.AddWithValue("$claimed", task.ClaimedAt is { } claimed ? claimed.UtcTicks : DBNull.Value);
                    p.AddWithValue("$due", task.DueAt is { } due ? due.UtcTicks : DBNull.Value);
                    p.AddWithValue("$closed", task.ClosedAt is { } closed ? closed.UtcTicks : DBNull.Value);
                    p.AddWithValue("$outcome", (object?)task.Outcome ?? DBNull.Value);
                    p.AddWithValue("$body", TaskBodies![i]);
                    command.ExecuteNonQuery();
                }
            }

            if (commit.Unsubscribe is { Count: > 0 } unsubscribe)
            {
                foreach (var s in unsubscribe)
                {
                    command = context.Command(DeleteSubscriptionSql);
                    AddSubscription(command, tenant, s);
                    command.ExecuteNonQuery();
                }
            }

            if (commit.Subscribe is { Count: > 0 } subscribe)
            {
                foreach (var s in subscribe)
                {
                    command = context.Command(InsertSubscriptionSql);
                    AddSubscription(command, tenant, s);
                    command.Parameters.AddWithValue("$node", s.Node);
                    command.ExecuteNonQuery();
                }
            }

            if (commit.Timers is { Count: > 0 } timers)
            {
                for (var i = 0; i < timers.Count; i++)
                {
                    var timer = timers[i];
                    command = context.Command(InsertTimerSql);
                    var p = command.Parameters;
                    p.AddWithValue("$tenant", tenant);
                    p.AddWithValue("$id", TimerIds![i]);
                    p.AddWithValue("$instance", timer.Instance.Value);
                    p.AddWithValue("$node", timer.Node);
                    p.AddWithValue("$step_instance", timer.StepInstance);
                    p.AddWithValue("$kind", (int)timer.Kind);
                    p.AddWithValue("$idx", timer.Index);
                    p.AddWithValue("$due", timer.DueTicks);
                    command.ExecuteNonQuery();
                }
            }

            // One process writes the file, so a timer it took cannot have been taken over: the fired timer
            // is deleted without checking its lease.
            if (commit.FiredTimer is { Id: not 0 } fired)
            {
                command = context.Command(DeleteTimerSql);
                command.Parameters.AddWithValue("$tenant", tenant);
                command.Parameters.AddWithValue("$id", fired.Id);
                command.ExecuteNonQuery();
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

        private static void AddSubscription(SqliteCommand command, string tenant, Messaging.Subscription s)
        {
            var p = command.Parameters;
            p.AddWithValue("$tenant", tenant);
            p.AddWithValue("$name", s.Name);
            p.AddWithValue("$key", s.Key);
            p.AddWithValue("$instance", s.Instance.Value);
            p.AddWithValue("$step_instance", s.StepInstance);
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
