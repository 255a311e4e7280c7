using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using ProcessKit.Execution;
using ProcessKit.PostgreSql.Tests.Server;
using ProcessKit.Tasks;

namespace ProcessKit.PostgreSql.Tests.Store;

/// <summary>
/// The task queries' plans where the planner knows least: a new schema, a few rows, no statistics yet, and the generic
/// plan a prepared statement keeps (the store prepares its statements). A query with an instance searches the
/// instance index rather than walking the primary key over every task of the tenant.
/// </summary>
public sealed partial class TaskQueryPlanTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> InstanceQueries => new() { "instance and state", "instance" };

    [Theory]
    [MemberData(nameof(InstanceQueries))]
    public async Task A_query_with_an_instance_searches_the_instance_index_in_its_generic_plan_on_a_table_without_statistics(string criteria)
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await using var store = await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString }, Ct);
        await db.ExecuteAsync("""
            INSERT INTO processkit.tasks (tenant, id, instance_id, step_id, step_instance, state, role, created_ticks, body)
            SELECT 'default', g, g / 10, 't', 1, 2, 'clerk', 0, '\x00'::bytea FROM generate_series(1, 10) g
            """);
        var query = criteria == "instance"
            ? new TaskQuery { Instance = new InstanceId(7) }
            : new TaskQuery { Instance = new InstanceId(7), State = TaskState.Offered };

        var plan = await GenericPlanAsync(db, store, query);

        Assert.Contains("tasks_by_instance", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("tasks_pkey", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_with_neither_an_instance_nor_a_state_keeps_the_id_order_of_the_primary_key()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await using var store = await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString }, Ct);
        var parameters = new NpgsqlCommand().Parameters;

        var sql = store.TaskQueryText(new TaskQuery { Role = "clerk" }, parameters);

        Assert.EndsWith(" ORDER BY id", sql, StringComparison.Ordinal);
    }

    /// <summary>
    /// The plan PostgreSQL keeps for the query once prepared, without looking at the values (<c>plan_cache_mode =
    /// force_generic_plan</c>): the statement is prepared by name with positional parameters, then explained.
    /// </summary>
    private static async Task<string> GenericPlanAsync(TestDatabase db, PostgreSqlProcessStore store, TaskQuery query)
    {
        var parameters = new NpgsqlCommand().Parameters;
        var sql = store.TaskQueryText(query, parameters);
        var values = new List<string>();
        foreach (var parameter in parameters.OrderByDescending(static p => p.ParameterName.Length))
        {
            values.Add(Literal(parameter.Value));
            sql = Regex.Replace(sql, "@" + parameter.ParameterName + @"\b", "$" + values.Count.ToString(CultureInfo.InvariantCulture));
        }

        Assert.DoesNotMatch(Parameter(), sql);
        await using var connection = await db.DataSource.OpenConnectionAsync(Ct);
        await using (var setup = new NpgsqlCommand($"SET plan_cache_mode = force_generic_plan; PREPARE q AS {sql}", connection))
            await setup.ExecuteNonQueryAsync(Ct);
        await using var explain = new NpgsqlCommand($"EXPLAIN EXECUTE q({string.Join(", ", values)})", connection);
        await using var reader = await explain.ExecuteReaderAsync(Ct);
        var lines = new List<string>();
        while (await reader.ReadAsync(Ct))
            lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }

    private static string Literal(object? value) => value switch
    {
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        string[] a => "ARRAY[" + string.Join(", ", a.Select(static s => Literal(s))) + "]::text[]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"No literal for {value}."),
    };

    [GeneratedRegex(@"@[a-z_]+")]
    private static partial Regex Parameter();
}
