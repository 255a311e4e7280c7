using System.Runtime.CompilerServices;
using Npgsql;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Persistence;
using ProcessKit.PostgreSql.Leasing;
using ProcessKit.PostgreSql.Rows;
using ProcessKit.PostgreSql.Writing;
using ProcessKit.Tasks;

namespace ProcessKit.PostgreSql;

/// <content>Instances: reading one back, and committing a command's changes in one transaction.</content>
public sealed partial class PostgreSqlProcessStore
{
    /// <summary>
    /// Records read with their whole history (<see cref="InstanceRecord.HistoryBase"/> 0) and how many of their events
    /// are stored: a commit of such a record appends only the events after those. The engine commits records read
    /// without history; this keeps a direct caller that commits a record read with it from storing events twice.
    /// </summary>
    private readonly ConditionalWeakTable<InstanceRecord, StrongBox<int>> _wholeHistory = [];

    /// <summary>Instance rows read with a task by id, for the command on that task that reads them next.</summary>
    private readonly InstancePrefetch _prefetch = new();

    async ValueTask<InstanceRecord?> IProcessStore.FindInstanceAsync(InstanceId id, IModelSource models, bool withHistory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);
        var infrastructure = Ready();
        try
        {
            return await FindInstanceAsync(infrastructure, id, models, withHistory, 0, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    async ValueTask<(InstanceRecord? Instance, HumanTaskInfo? Task)> IProcessStore.FindInstanceAndTaskAsync(InstanceId id, long taskId, IModelSource models, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);
        var infrastructure = Ready();
        try
        {
            if (_prefetch.TryTake(id.Value, taskId, out var row, out var read))
                return (Decode(id, row!, models, null), read);
            var task = new StrongBox<HumanTaskInfo?>();
            var instance = await FindInstanceAsync(infrastructure, id, models, false, taskId, task, cancellationToken).ConfigureAwait(false);
            return (instance, instance is null ? null : task.Value);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    /// <summary>
    /// Reads an instance, with its history when asked, and (when <paramref name="task"/> is given) the task
    /// <paramref name="taskId"/> in the same round trip: the task's statement runs after the instance's, so it sees the
    /// task as committed with that instance version or later (a later one makes the command's commit stale, and refused).
    /// </summary>
    private async Task<InstanceRecord?> FindInstanceAsync(PostgreSqlInfrastructure infrastructure, InstanceId id, IModelSource models, bool withHistory, long taskId, StrongBox<HumanTaskInfo?>? task, CancellationToken cancellationToken)
    {
        InstanceRow row;
        StoredHistory? history = null;

        // Everything is read and the connection given back before the model is looked up: that may read a definition
        // on a connection of its own, and holding two per caller could drain the pool.
        var connection = await infrastructure.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var batch = new NpgsqlBatch(connection);
            var header = new NpgsqlBatchCommand(Sql.SelectInstance);
            header.Parameters.AddWithValue("tenant", Tenant);
            header.Parameters.AddWithValue("id", id.Value);
            batch.BatchCommands.Add(header);
            if (withHistory)
            {
                // Read in the same round trip; events are only appended, so every event the header counts is there.
                var events = new NpgsqlBatchCommand(Sql.SelectHistory);
                events.Parameters.AddWithValue("tenant", Tenant);
                events.Parameters.AddWithValue("id", id.Value);
                batch.BatchCommands.Add(events);
            }

            if (task is not null)
            {
                var read = new NpgsqlBatchCommand(Sql.SelectTask);
                read.Parameters.AddWithValue("tenant", Tenant);
                read.Parameters.AddWithValue("id", taskId);
                batch.BatchCommands.Add(read);
            }

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                return null;

            row = InstanceRow.Read(reader, 0);
            if (withHistory)
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                history = await ReadHistoryAsync(reader, row.HistoryCount, cancellationToken).ConfigureAwait(false);
            }

            if (task is not null)
            {
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                task.Value = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? TaskRows.Read(reader) : null;
            }
        }

        return Decode(id, row, models, history);
    }

    /// <summary>
    /// The record of an instance row: its model looked up, its state decoded, and with <paramref name="history"/> (the
    /// row's stored events, read with it) when given; without, the record counts the stored events as already stored.
    /// </summary>
    private InstanceRecord Decode(InstanceId id, InstanceRow row, IModelSource models, StoredHistory? history)
    {
        var model = models.FindModel(row.ProcessId, row.ProcessVersion)
            ?? throw new ProcessNotFoundException(
                ProcessErrorCodes.ProcessNotFound,
                $"The instance {id} runs version {row.ProcessVersion} of the process '{row.ProcessId}', which is not deployed on this node. Deploy it at start (a definition with C# lambdas is not stored as JSON and must be deployed on every node).");
        var columns = new InstanceHeader(id, row.Version, row.State, row.BusinessKey, row.StartedTicks, row.EndedTicks, history is null ? row.HistoryCount : 0);
        var record = InstanceCodec.Read(row.StateBlob, columns, model);
        if (history is { } h)
        {
            // Its events are stored already: a commit of this very record appends only those added after them.
            _wholeHistory.AddOrUpdate(record, new StrongBox<int>(h.Count));
            record.History = h.Events;
            record.HistoryCount = h.Count;
            record.Notes = h.Notes;
            record.NoteCount = h.NoteCount;
        }

        return record;
    }

    private static async Task<StoredHistory> ReadHistoryAsync(NpgsqlDataReader reader, int count, CancellationToken cancellationToken)
    {
        var events = new HistoryRecord[Math.Max(4, count + 4)];
        HistoryNote[]? notes = null;
        var n = 0;
        var noteCount = 0;
        while (n < count && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // Rows past the count the header was read with belong to commits after it: left out.
            var rowCount = Math.Min(reader.GetInt32(1), count - n);
            HistoryRows.Read(reader.GetFieldValue<byte[]>(2), rowCount, events, ref n, ref notes, ref noteCount);
        }

        return new StoredHistory(events, n, notes, noteCount);
    }

    /// <summary>The stored events of an instance, as a record keeps them.</summary>
    private sealed record StoredHistory(HistoryRecord[] Events, int Count, HistoryNote[]? Notes, int NoteCount);

    async ValueTask<StartRequestRecord?> IProcessStore.FindStartRequestAsync(string requestId, CancellationToken cancellationToken)
    {
        var infrastructure = Ready();
        try
        {
            var connection = await infrastructure.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await using var command = new NpgsqlCommand(Sql.SelectStartRequest, connection);
                command.Parameters.AddWithValue("tenant", Tenant);
                command.Parameters.AddWithValue("request_id", requestId);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    return null;
                return new StartRequestRecord(requestId, new InstanceId(reader.GetInt64(0)), reader.GetFieldValue<byte[]>(1));
            }
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    async ValueTask<bool> IProcessStore.TryCommitAsync(InstanceCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var infrastructure = Ready();
        try
        {
            return await CommitAsync(infrastructure, commit, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    private async Task<bool> CommitAsync(PostgreSqlInfrastructure infrastructure, InstanceCommit commit, CancellationToken cancellationToken)
    {
        var instance = commit.Instance;
        // Encoded here, on the caller's thread; the writer only assembles the statements.
        var state = InstanceCodec.Write(instance);
        var now = Volatile.Read(ref _lastNowTicks);
        bool committed;
        try
        {
            if (_writer is { } writer)
            {
                var pending = new PendingCommit(instance.Id.Value, commands => AddCommit(commands, infrastructure, commit, state, now));
                committed = await writer.SubmitAsync(pending, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                committed = await CommitAloneAsync(infrastructure, commit, state, now, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // Whatever the outcome (a failed commit may have been applied), rows of this instance read before are stale.
            _prefetch.Changed(instance.Id.Value);
        }

        if (!committed)
            return false;
        CountCommit(infrastructure);
        instance.Version = commit.ExpectedVersion + 1;
        if (_wholeHistory.TryGetValue(instance, out var stored))
            stored.Value = instance.HistoryBase + instance.HistoryCount;
        if (commit.EarliestDueTicks != long.MaxValue)
            LowerNextDue(commit.EarliestDueTicks);
        return true;
    }

    /// <summary>Without group commit: the commit is a transaction of its own, on a connection of its own.</summary>
    private async Task<bool> CommitAloneAsync(PostgreSqlInfrastructure infrastructure, InstanceCommit commit, byte[] state, long now, CancellationToken cancellationToken)
    {
        var commands = new List<NpgsqlBatchCommand>();
        AddCommit(commands, infrastructure, commit, state, now);
        var connection = await infrastructure.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var batch = new NpgsqlBatch(connection);
            foreach (var command in commands)
                batch.BatchCommands.Add(command);
            return await ExecuteGuardedAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The statements of one commit, checks first (see <see cref="Statements"/>): the version check before all (it
    /// locks the instance row, so commits of one instance queue up there), the fired timer's lease, the consumed
    /// messages, the message id; then the changes.
    /// </summary>
    private void AddCommit(List<NpgsqlBatchCommand> batch, PostgreSqlInfrastructure infrastructure, InstanceCommit commit, byte[] state, long now)
    {
        var instance = commit.Instance;
        batch.Add(InstanceCommand(commit, instance, state));
        if (commit.FiredTimer is { Id: not 0 } fired)
        {
            var complete = new NpgsqlBatchCommand(Sql.CompleteTimer);
            complete.Parameters.AddWithValue("tenant", Tenant);
            complete.Parameters.AddWithValue("id", fired.Id);
            complete.Parameters.AddWithValue("owner", infrastructure.LeaseOwner);
            complete.Parameters.AddWithValue("attempt", fired.Lease);
            batch.Add(complete);
        }

        if (commit.Consumed is { Count: > 0 } consumed)
        {
            var seqs = consumed.Select(static m => m.Sequence).Distinct().ToArray();
            var delete = new NpgsqlBatchCommand(Sql.DeleteConsumed);
            delete.Parameters.AddWithValue("tenant", Tenant);
            delete.Parameters.AddWithValue("seqs", seqs);
            delete.Parameters.AddWithValue("count", (long)seqs.Length);
            batch.Add(delete);
        }

        if (commit.StartRequest is { } request)
        {
            var start = new NpgsqlBatchCommand(Sql.InsertStartRequest);
            start.Parameters.AddWithValue("tenant", Tenant);
            start.Parameters.AddWithValue("request_id", request.RequestId);
            start.Parameters.AddWithValue("instance_id", request.Instance.Value);
            start.Parameters.AddWithValue("fingerprint", request.Fingerprint);
            start.Parameters.AddWithValue("created_ticks", commit.Instance.StartedTicks);
            batch.Add(start);
        }

        if (commit.MessageId is { } messageId)
        {
            var seen = new NpgsqlBatchCommand(Sql.UpsertSeen);
            seen.Parameters.AddWithValue("tenant", Tenant);
            seen.Parameters.AddWithValue("message_id", messageId);
            seen.Parameters.AddWithValue("expires_ticks", commit.MessageIdExpiresTicks);
            seen.Parameters.AddWithValue("now", now);
            batch.Add(seen);
        }

        AddTasks(batch, commit);
        AddSubscriptions(batch, commit);
        if (commit.Timers is { Count: > 0 } timers)
        {
            foreach (var t in timers)
                batch.Add(infrastructure.Timers.CreateInsertCommand(new NewTimer(t.Instance.Value, t.Node, t.StepInstance, (short)t.Kind, t.Index, t.DueTicks)));
        }

        AddIncidents(batch, commit);
    }

    /// <summary>
    /// Runs a batch outside any explicit transaction, so that the server runs its statements as one implicit transaction,
    /// committed at the batch's end (one round trip). False when a guard failed or a concurrent commit of the same rows
    /// won (a unique key taken, a deadlock): then the server skipped the rest of the batch and nothing was applied.
    /// </summary>
    private static async Task<bool> ExecuteGuardedAsync(NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PostgresException e) when (e.SqlState is Statements.GuardFailed or PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected)
        {
            return false;
        }
    }

    /// <summary>
    /// The instance's guarded insert or update, with the events added since the record was loaded (numbered after those
    /// stored before, <see cref="InstanceRecord.HistoryBase"/>) appended as one packed row in the same statement. A
    /// record read with its whole history holds the stored events again (its base is 0): those are skipped.
    /// </summary>
    private NpgsqlBatchCommand InstanceCommand(InstanceCommit commit, InstanceRecord instance, byte[] state)
    {
        var created = commit.ExpectedVersion == 0;
        var from = _wholeHistory.TryGetValue(instance, out var stored) ? Math.Max(0, stored.Value - instance.HistoryBase) : 0;
        var withHistory = instance.HistoryCount > from;
        var command = new NpgsqlBatchCommand(created
            ? withHistory ? Sql.InsertInstanceWithHistory : Sql.InsertInstance
            : withHistory ? Sql.UpdateInstanceWithHistory : Sql.UpdateInstance);
        var p = command.Parameters;
        if (withHistory)
        {
            p.AddWithValue("first_seq", instance.HistoryBase + from + 1);
            p.AddWithValue("count", instance.HistoryCount - from);
            p.AddWithValue("events", HistoryRows.Write(instance, from));
        }

        p.AddWithValue("tenant", Tenant);
        p.AddWithValue("id", instance.Id.Value);
        p.AddWithValue("version", commit.ExpectedVersion + 1);
        p.AddWithValue("state", (short)instance.State);
        p.Add(Parameters.Bigint("ended_ticks", instance.IsEnded ? instance.EndedTicks : null));
        p.AddWithValue("state_blob", state);
        p.AddWithValue("history_count", instance.HistoryBase + instance.HistoryCount);
        if (created)
        {
            p.AddWithValue("process_id", instance.Model.Id);
            p.AddWithValue("process_version", instance.Model.Version);
            p.Add(Parameters.Text("business_key", instance.BusinessKey));
            p.Add(Parameters.Bigint("parent_id", instance.Parent?.Instance.Value));
            p.AddWithValue("started_ticks", instance.StartedTicks);
        }
        else
        {
            p.AddWithValue("expected", commit.ExpectedVersion);
        }

        return command;
    }

    private void AddTasks(List<NpgsqlBatchCommand> batch, InstanceCommit commit)
    {
        if (commit.Tasks is not { Count: > 0 } tasks)
            return;
        foreach (var task in tasks)
        {
            var command = new NpgsqlBatchCommand(Sql.UpsertTask);
            TaskRows.AddParameters(command.Parameters, Tenant, task);
            batch.Add(command);
        }
    }

    private void AddSubscriptions(List<NpgsqlBatchCommand> batch, InstanceCommit commit)
    {
        // Ended waits first, as the in-memory store does: a wait ended and entered again in one command stays.
        if (commit.Unsubscribe is { Count: > 0 } unsubscribe)
        {
            foreach (var s in unsubscribe)
                batch.Add(SubscriptionCommand(Sql.DeleteSubscription, s));
        }

        if (commit.Subscribe is { Count: > 0 } subscribe)
        {
            foreach (var s in subscribe)
                batch.Add(SubscriptionCommand(Sql.InsertSubscription, s));
        }
    }

    private NpgsqlBatchCommand SubscriptionCommand(string sql, Messaging.Subscription s)
    {
        var command = new NpgsqlBatchCommand(sql);
        var p = command.Parameters;
        p.AddWithValue("tenant", Tenant);
        p.AddWithValue("name", s.Name);
        p.AddWithValue("key", s.Key);
        p.AddWithValue("instance_id", s.Instance.Value);
        p.AddWithValue("node", s.Node);
        p.AddWithValue("step_instance", s.StepInstance);
        return command;
    }

    private void AddIncidents(List<NpgsqlBatchCommand> batch, InstanceCommit commit)
    {
        if (commit.ResolvedIncidents is { Count: > 0 } resolved)
        {
            foreach (var incident in resolved)
            {
                var command = new NpgsqlBatchCommand(Sql.DeleteIncident);
                command.Parameters.AddWithValue("tenant", Tenant);
                command.Parameters.AddWithValue("instance_id", incident.Instance.Value);
                command.Parameters.AddWithValue("step_instance", incident.StepInstance);
                batch.Add(command);
            }
        }

        if (commit.Incidents is { Count: > 0 } raised)
        {
            foreach (var incident in raised)
            {
                var command = new NpgsqlBatchCommand(Sql.UpsertIncident);
                var p = command.Parameters;
                p.AddWithValue("tenant", Tenant);
                p.AddWithValue("instance_id", incident.Instance.Value);
                p.AddWithValue("step_instance", incident.StepInstance);
                p.AddWithValue("step_id", incident.StepId);
                p.AddWithValue("message", incident.Message);
                p.AddWithValue("raised_ticks", incident.RaisedAt.UtcTicks);
                batch.Add(command);
            }
        }
    }
}
