using ProcessKit.Persistence;
using ProcessKit.PostgreSql.Schema;

namespace ProcessKit.PostgreSql;

/// <summary>
/// The SQL of <see cref="PostgreSqlProcessStore"/> for one schema, built once. Every value is a parameter; only the
/// validated schema name is part of the text. Every statement is limited to <c>@tenant</c>. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// The checks of a commit (the instance's version, the fired timer's lease, the consumed messages, the message id) are
/// guarded statements: a data-modifying CTE and a division by the number of rows it changed, which fails with
/// <see cref="GuardFailed"/> when the check does not hold. A commit is then one round trip (every statement in one
/// batch, which the server runs as one implicit transaction): a failed guard aborts the transaction, the server skips
/// the rest of the batch and rolls it back.
/// </remarks>
internal sealed class Statements
{
    /// <summary>The task columns in the order <see cref="Rows.TaskRows.Read"/> expects.</summary>
    public const string TaskColumns = TaskBodyCodec.RowColumns;

    public Statements(StoreSchema s)
    {
        var definitions = s.Table("definitions");
        var instances = s.Table("instances");
        var history = s.Table("history");
        var tasks = s.Table("tasks");
        var subscriptions = s.Table("subscriptions");
        var buffered = s.Table("buffered_messages");
        var seen = s.Table("seen_messages");
        var incidents = s.Table("incidents");
        var timers = s.Table("timers");

        // Deployment time by the database clock, as UTC ticks (ticks of the Unix epoch + microseconds * 10).
        InsertDefinition = $"""
            INSERT INTO {definitions} (tenant, process_id, version, json, deployed_ticks)
            VALUES (@tenant, @process_id, @version, @json, 621355968000000000 + (extract(epoch FROM now()) * 10000000)::bigint)
            ON CONFLICT DO NOTHING
            """;
        SelectDefinition = $"SELECT json FROM {definitions} WHERE tenant = @tenant AND process_id = @process_id AND version = @version";
        SelectDefinitionVersion = $"SELECT version, json FROM {definitions} WHERE tenant = @tenant AND process_id = @process_id AND version = @version";
        SelectNewestDefinition = $"SELECT version, json FROM {definitions} WHERE tenant = @tenant AND process_id = @process_id ORDER BY version DESC LIMIT 1";
        SelectDefinitions = $"SELECT process_id, version, json FROM {definitions} WHERE tenant = @tenant ORDER BY process_id, version";

        SelectInstance = $"""
            SELECT process_id, process_version, version, state, business_key, started_ticks, ended_ticks, state_blob, history_count
            FROM {instances} WHERE tenant = @tenant AND id = @id
            """;
        SelectHistory = $"""
            SELECT first_seq, count, events FROM {history} WHERE tenant = @tenant AND instance_id = @id ORDER BY first_seq
            """;
        var insertInstance = $"""
            WITH created AS (
            INSERT INTO {instances} (tenant, id, process_id, process_version, version, state, business_key, parent_id, started_ticks, ended_ticks, state_blob, history_count)
            VALUES (@tenant, @id, @process_id, @process_version, @version, @state, @business_key, @parent_id, @started_ticks, @ended_ticks, @state_blob, @history_count)
            ON CONFLICT DO NOTHING RETURNING 1)
            """;
        var updateInstance = $"""
            WITH changed AS (
            UPDATE {instances}
            SET version = @version, state = @state, ended_ticks = @ended_ticks, state_blob = @state_blob, history_count = @history_count
            WHERE tenant = @tenant AND id = @id AND version = @expected RETURNING 1)
            """;

        // The events a commit appends ride in the instance's statement (one statement less per commit): a
        // data-modifying CTE runs whatever the guard finds, and a failed guard rolls it back with the rest.
        var appendHistory = $"""
            , appended AS (
            INSERT INTO {history} (tenant, instance_id, first_seq, count, events)
            VALUES (@tenant, @id, @first_seq, @count, @events))
            """;
        InsertInstance = $"{insertInstance}\n{Guard("created")}";
        InsertInstanceWithHistory = $"{insertInstance}{appendHistory}\n{Guard("created")}";
        UpdateInstance = $"{updateInstance}\n{Guard("changed")}";
        UpdateInstanceWithHistory = $"{updateInstance}{appendHistory}\n{Guard("changed")}";
        CompleteTimer = $"""
            WITH completed AS (
            DELETE FROM {timers} WHERE tenant = @tenant AND id = @id AND lease_owner = @owner AND attempt = @attempt RETURNING 1)
            {Guard("completed")}
            """;

        UpsertTask = $"""
            INSERT INTO {tasks} (tenant, {TaskColumns})
            VALUES (@tenant, @id, @instance_id, @step_id, @step_instance, @state, @role, @assigned_to, @claimed_by, @created_ticks, @claimed_ticks, @due_ticks, @closed_ticks, @outcome, @body)
            ON CONFLICT (tenant, id) DO UPDATE SET
                state = EXCLUDED.state, role = EXCLUDED.role, assigned_to = EXCLUDED.assigned_to, claimed_by = EXCLUDED.claimed_by,
                claimed_ticks = EXCLUDED.claimed_ticks, due_ticks = EXCLUDED.due_ticks, closed_ticks = EXCLUDED.closed_ticks,
                outcome = EXCLUDED.outcome, body = EXCLUDED.body
            """;
        SelectTask = $"SELECT {TaskColumns} FROM {tasks} WHERE tenant = @tenant AND id = @id";
        SelectTasks = $"SELECT {TaskColumns} FROM {tasks} WHERE tenant = @tenant";
        // The task's columns, then its instance's (as SelectInstance reads them; null when the instance is gone).
        SelectTaskAndInstance = $"""
            SELECT {string.Join(", ", TaskColumns.Split(", ").Select(static c => "t." + c))},
                i.process_id, i.process_version, i.version, i.state, i.business_key, i.started_ticks, i.ended_ticks, i.state_blob, i.history_count
            FROM {tasks} t LEFT JOIN {instances} i ON i.tenant = t.tenant AND i.id = t.instance_id
            WHERE t.tenant = @tenant AND t.id = @id
            """;
        CountOpenTasks = $"""
            SELECT (SELECT count(*) FROM {tasks} WHERE tenant = @tenant AND claimed_by = @user AND state IN (0, 1))
                 + (SELECT count(*) FROM {tasks} WHERE tenant = @tenant AND assigned_to = @user AND claimed_by IS DISTINCT FROM @user AND state IN (0, 1))
            """;

        CountOpenTasksByProcess = $"""
            SELECT i.process_id, count(*)::int, count(*) FILTER (WHERE t.due_ticks < @now)::int
            FROM {tasks} t JOIN {instances} i ON i.tenant = t.tenant AND i.id = t.instance_id
            WHERE t.tenant = @tenant AND t.state IN (0, 1)
            GROUP BY i.process_id
            """;

        InsertSubscription = $"""
            INSERT INTO {subscriptions} (tenant, name, key, instance_id, node, step_instance)
            VALUES (@tenant, @name, @key, @instance_id, @node, @step_instance)
            ON CONFLICT DO NOTHING
            """;
        DeleteSubscription = $"DELETE FROM {subscriptions} WHERE tenant = @tenant AND name = @name AND key = @key AND instance_id = @instance_id AND step_instance = @step_instance";
        SelectSubscription = $"""
            SELECT instance_id, node, step_instance FROM {subscriptions}
            WHERE tenant = @tenant AND name = @name AND key = @key ORDER BY seq LIMIT 1
            """;

        InsertBuffered = $"""
            INSERT INTO {buffered} (tenant, name, key, payload, message_id, expires_ticks)
            VALUES (@tenant, @name, @key, @payload, @message_id, @expires_ticks)
            """;
        SelectBuffered = $"""
            SELECT seq, payload, message_id, expires_ticks FROM {buffered}
            WHERE tenant = @tenant AND name = @name AND key = @key AND expires_ticks > @now ORDER BY seq LIMIT 1
            """;
        DeleteConsumed = $"""
            WITH consumed AS (DELETE FROM {buffered} WHERE tenant = @tenant AND seq = ANY(@seqs) RETURNING 1)
            SELECT 1 / ((SELECT count(*) FROM consumed) = @count)::int
            """;
        DeleteExpiredBuffered = $"DELETE FROM {buffered} WHERE tenant = @tenant AND expires_ticks <= @now";

        // A row whose expiry has passed is taken over; an unexpired one means the id was applied (0 rows).
        UpsertSeen = $"""
            WITH applied AS (
            INSERT INTO {seen} (tenant, message_id, expires_ticks) VALUES (@tenant, @message_id, @expires_ticks)
            ON CONFLICT (tenant, message_id) DO UPDATE SET expires_ticks = EXCLUDED.expires_ticks
            WHERE {seen}.expires_ticks <= @now RETURNING 1)
            {Guard("applied")}
            """;
        var starts = s.Table("start_requests");
        // A plain insert: a request id already stored fails on the primary key, which refuses the commit.
        InsertStartRequest = $"INSERT INTO {starts} (tenant, request_id, instance_id, fingerprint, created_ticks) VALUES (@tenant, @request_id, @instance_id, @fingerprint, @created_ticks)";
        SelectStartRequest = $"SELECT instance_id, fingerprint FROM {starts} WHERE tenant = @tenant AND request_id = @request_id";
        SelectSeen = $"SELECT EXISTS (SELECT 1 FROM {seen} WHERE tenant = @tenant AND message_id = @message_id AND expires_ticks > @now)";
        DeleteExpiredSeen = $"DELETE FROM {seen} WHERE tenant = @tenant AND expires_ticks <= @now";

        UpsertIncident = $"""
            INSERT INTO {incidents} (tenant, instance_id, step_instance, step_id, message, raised_ticks)
            VALUES (@tenant, @instance_id, @step_instance, @step_id, @message, @raised_ticks)
            ON CONFLICT (tenant, instance_id, step_instance) DO UPDATE SET
                step_id = EXCLUDED.step_id, message = EXCLUDED.message, raised_ticks = EXCLUDED.raised_ticks
            """;
        DeleteIncident = $"DELETE FROM {incidents} WHERE tenant = @tenant AND instance_id = @instance_id AND step_instance = @step_instance";
        SelectIncidents = $"""
            SELECT instance_id, step_id, step_instance, message, raised_ticks FROM {incidents}
            WHERE tenant = @tenant AND (@instance_id::bigint IS NULL OR instance_id = @instance_id)
            ORDER BY raised_ticks, step_instance
            """;
    }

    /// <summary>
    /// The error a guard raises when its condition fails (division by zero): it aborts the transaction, so the rest of
    /// the batch is skipped and nothing of it is applied, and tells the store that a check failed rather than something broke.
    /// </summary>
    public const string GuardFailed = "22012";

    public string InsertDefinition { get; }

    public string SelectDefinition { get; }

    public string SelectDefinitionVersion { get; }

    public string SelectNewestDefinition { get; }

    public string SelectDefinitions { get; }

    public string SelectInstance { get; }

    public string SelectHistory { get; }

    public string InsertInstance { get; }

    public string UpdateInstance { get; }

    /// <summary><see cref="InsertInstance"/> that also appends the commit's packed history row (<c>@first_seq</c>, <c>@count</c>, <c>@events</c>).</summary>
    public string InsertInstanceWithHistory { get; }

    /// <summary><see cref="UpdateInstance"/> that also appends the commit's packed history row (<c>@first_seq</c>, <c>@count</c>, <c>@events</c>).</summary>
    public string UpdateInstanceWithHistory { get; }

    public string CompleteTimer { get; }

    public string UpsertTask { get; }

    public string SelectTask { get; }

    public string SelectTasks { get; }

    /// <summary>A task by id (<see cref="TaskColumns"/>) and, from column <see cref="TaskColumnCount"/> on, its instance's row as <see cref="SelectInstance"/> reads it.</summary>
    public string SelectTaskAndInstance { get; }

    /// <summary>How many columns <see cref="TaskColumns"/> names.</summary>
    public static int TaskColumnCount { get; } = TaskColumns.Split(", ").Length;

    public string CountOpenTasks { get; }

    public string CountOpenTasksByProcess { get; }

    public string InsertSubscription { get; }

    public string DeleteSubscription { get; }

    public string SelectSubscription { get; }

    public string InsertBuffered { get; }

    public string SelectBuffered { get; }

    public string DeleteConsumed { get; }

    public string DeleteExpiredBuffered { get; }

    public string UpsertSeen { get; }

    public string SelectSeen { get; }

    public string InsertStartRequest { get; }

    public string SelectStartRequest { get; }

    public string DeleteExpiredSeen { get; }

    public string UpsertIncident { get; }

    public string DeleteIncident { get; }

    public string SelectIncidents { get; }

    /// <summary>A statement that fails with <see cref="GuardFailed"/> unless the data-modifying CTE <paramref name="cte"/> changed exactly one row.</summary>
    private static string Guard(string cte) => $"SELECT 1 / (SELECT count(*) FROM {cte})::int";
}
