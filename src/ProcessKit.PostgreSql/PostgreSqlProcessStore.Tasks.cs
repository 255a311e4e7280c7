using System.Globalization;
using System.Text;
using Npgsql;
using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.PostgreSql.Rows;
using ProcessKit.Tasks;

namespace ProcessKit.PostgreSql;

/// <content>Tasks: by id, by query, and a user's open-task count; and incidents.</content>
public sealed partial class PostgreSqlProcessStore
{
    HumanTaskInfo? IProcessStore.FindTask(long taskId)
    {
        var infrastructure = Ready();
        try
        {
            using var connection = infrastructure.DataSource.OpenConnection();
            using var command = new NpgsqlCommand(Sql.SelectTask, connection);
            command.Parameters.AddWithValue("tenant", Tenant);
            command.Parameters.AddWithValue("id", taskId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? TaskRows.Read(reader) : null;
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    async ValueTask<HumanTaskInfo?> IProcessStore.FindTaskAsync(long taskId, CancellationToken cancellationToken)
    {
        var infrastructure = Ready();
        try
        {
            // The task's instance comes along in the same round trip: a command on the task reads it next (see InstancePrefetch).
            var mark = _prefetch.Mark();
            var connection = await infrastructure.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await using var command = new NpgsqlCommand(Sql.SelectTaskAndInstance, connection);
                command.Parameters.AddWithValue("tenant", Tenant);
                command.Parameters.AddWithValue("id", taskId);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    return null;
                var task = TaskRows.Read(reader);
                if (!reader.IsDBNull(Statements.TaskColumnCount))
                    _prefetch.Keep(task, InstanceRow.Read(reader, Statements.TaskColumnCount), mark);
                return task;
            }
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    async ValueTask<List<HumanTaskInfo>> IProcessStore.QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var infrastructure = Ready();
        try
        {
            var connection = await infrastructure.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await using var command = new NpgsqlCommand { Connection = connection };
                command.CommandText = TaskQueryText(query, command.Parameters);
                var result = new List<HumanTaskInfo>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    result.Add(TaskRows.Read(reader));
                return result;
            }
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    /// <summary>The query's criteria as a parameterized WHERE clause, in the same sense as <see cref="TaskQuery.Matches"/>.</summary>
    internal string TaskQueryText(TaskQuery query, NpgsqlParameterCollection p)
    {
        var sql = new StringBuilder(Sql.SelectTasks);
        p.AddWithValue("tenant", Tenant);
        if (query.Role is { } role)
        {
            sql.Append(" AND role = @role");
            p.AddWithValue("role", role);
        }

        if (query.User is { } user)
        {
            sql.Append(" AND (claimed_by = @user OR assigned_to = @user)");
            p.AddWithValue("user", user);
        }

        if (query.AvailableTo is { } available)
        {
            sql.Append(" AND state IN (@offered, @claimed) AND CASE WHEN claimed_by IS NOT NULL THEN claimed_by = @available")
                .Append(" WHEN assigned_to IS NOT NULL THEN assigned_to = @available ELSE role = ANY(@roles) END");
            p.AddWithValue("offered", (short)TaskState.Offered);
            p.AddWithValue("claimed", (short)TaskState.Claimed);
            p.AddWithValue("available", available.Id);
            p.AddWithValue("roles", available.Roles.ToArray());
        }

        if (query.Instance is { } instance)
        {
            sql.Append(" AND instance_id = @instance");
            p.AddWithValue("instance", instance.Value);
        }

        if (query.State is { } state)
        {
            sql.Append(" AND state = @state");
            p.AddWithValue("state", (short)state);
        }

        if (query.DueBefore is { } due)
        {
            sql.Append(" AND due_ticks <= @due");
            p.AddWithValue("due", due.UtcTicks);
        }

        // "ORDER BY id" offers the planner the primary key's order, and on a table without statistics yet (a new schema,
        // before autovacuum's first ANALYZE) it may take that walk over every task of the tenant, filtering each row, for
        // a plan it then keeps for the prepared statement. With an instance or a state among the criteria, "id + 0" (the
        // same order) leaves only the indexes on those columns worth searching, and sorts the few rows found.
        var narrowed = query.Instance is not null || query.State is not null || query.AvailableTo is not null;
        return sql.Append(narrowed ? " ORDER BY id + 0" : " ORDER BY id").ToString();
    }

    int IProcessStore.CountOpenTasks(string userId)
    {
        var infrastructure = Ready();
        try
        {
            using var connection = infrastructure.DataSource.OpenConnection();
            using var command = new NpgsqlCommand(Sql.CountOpenTasks, connection);
            command.Parameters.AddWithValue("tenant", Tenant);
            command.Parameters.AddWithValue("user", userId);
            return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    List<OpenTaskCount> IProcessStore.CountOpenTasksByProcess(long nowTicks)
    {
        var infrastructure = Ready();
        try
        {
            using var connection = infrastructure.DataSource.OpenConnection();
            using var command = new NpgsqlCommand(Sql.CountOpenTasksByProcess, connection);
            command.Parameters.AddWithValue("tenant", Tenant);
            command.Parameters.AddWithValue("now", nowTicks);
            var result = new List<OpenTaskCount>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                result.Add(new OpenTaskCount(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)));
            }

            return result;
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    async ValueTask<List<Incident>> IProcessStore.QueryIncidentsAsync(InstanceId? instance, CancellationToken cancellationToken)
    {
        var infrastructure = Ready();
        try
        {
            var connection = await infrastructure.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await using var command = new NpgsqlCommand(Sql.SelectIncidents, connection);
                command.Parameters.AddWithValue("tenant", Tenant);
                command.Parameters.Add(Parameters.Bigint("instance_id", instance?.Value));
                var result = new List<Incident>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    result.Add(new Incident(
                        new InstanceId(reader.GetInt64(0)),
                        reader.GetString(1),
                        reader.GetInt32(2),
                        reader.GetString(3),
                        new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero)));
                }

                return result;
            }
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }
}
