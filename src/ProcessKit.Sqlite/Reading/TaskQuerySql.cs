using System.Text;
using ProcessKit.Sqlite.Storing;
using ProcessKit.Tasks;

namespace ProcessKit.Sqlite.Reading;

/// <summary>The SQL of a task query: the criteria an index serves, as parameters; the rest of the query is applied to each row read.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class TaskQuerySql
{
    /// <summary>
    /// The statement selecting the tenant's tasks that meet the query's indexed criteria, in id order, and adds its parameters
    /// to <paramref name="parameters"/>. The SQL depends only on which criteria are set, so that a connection keeps one
    /// compiled command per combination.
    /// </summary>
    public static string Build(TaskQuery query, string tenant, List<(string Name, object Value)> parameters)
    {
        parameters.Add(("$tenant", tenant));
        var sql = new StringBuilder($"SELECT {TaskRows.Columns} FROM tasks WHERE tenant = $tenant");
        var narrowed = false;
        if (query.Instance is { } instance)
        {
            narrowed = true;
            sql.Append(" AND instance_id = $instance");
            parameters.Add(("$instance", instance.Value));
        }

        if (query.State is { } state)
        {
            narrowed = true;
            sql.Append(" AND state = $state");
            parameters.Add(("$state", (int)state));
        }
        else if (query.AvailableTo is not null)
        {
            narrowed = true;
            sql.Append(" AND state IN ($offered, $claimed)");
            parameters.Add(("$offered", (int)TaskState.Offered));
            parameters.Add(("$claimed", (int)TaskState.Claimed));
        }

        if (query.Role is { } role)
        {
            sql.Append(" AND role = $role");
            parameters.Add(("$role", role));
        }

        if (query.User is { } user)
        {
            sql.Append(" AND (claimed_by = $user OR assigned_to = $user)");
            parameters.Add(("$user", user));
        }

        if (query.DueBefore is { } dueBefore)
        {
            sql.Append(" AND due_ticks <= $due");
            parameters.Add(("$due", dueBefore.UtcTicks));
        }

        // With "ORDER BY id", SQLite walks the primary key's index to save a sort: every task of the tenant, read for
        // each query. With an instance or a state among the criteria, "+id" makes it search ix_tasks_instance or
        // ix_tasks_state_role_due instead and sort the few rows found. Without either, no index narrows the rows much,
        // and id order is kept.
        sql.Append(narrowed ? " ORDER BY +id;" : " ORDER BY id;");
        return sql.ToString();
    }
}
