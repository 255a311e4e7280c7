using ProcessKit.Execution;
using ProcessKit.Sqlite.Reading;
using ProcessKit.Tasks;

namespace ProcessKit.Sqlite.Tests.Reading;

/// <summary>The task queries' plans: a query with an instance or a state searches an index rather than every task of the tenant.</summary>
public sealed class TaskQuerySqlTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    public static TheoryData<string, string> NarrowedQueries => new()
    {
        { "instance and state", "ix_tasks_instance" },
        { "instance", "ix_tasks_instance" },
        { "state", "ix_tasks_state_role_due" },
        { "state and role", "ix_tasks_state_role_due" },
        { "available to a user", "ix_tasks_state_role_due" },
    };

    [Theory]
    [MemberData(nameof(NarrowedQueries))]
    public async Task A_query_with_an_instance_or_a_state_searches_its_index_instead_of_walking_the_tenants_tasks(string criteria, string index)
    {
        await (await SqliteProcessStore.OpenAsync(_db.Options(), TestContext.Current.CancellationToken)).DisposeAsync();
        var query = criteria switch
        {
            "instance and state" => new TaskQuery { Instance = new InstanceId(7), State = TaskState.Offered },
            "instance" => new TaskQuery { Instance = new InstanceId(7) },
            "state" => new TaskQuery { State = TaskState.Claimed },
            "state and role" => new TaskQuery { State = TaskState.Offered, Role = "clerk" },
            _ => new TaskQuery { AvailableTo = new ProcessUser("ann", ["clerk"]) },
        };

        var plan = Plan(query);

        Assert.Contains($"USING INDEX {index} ", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("sqlite_autoindex_tasks_1", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_with_neither_an_instance_nor_a_state_reads_the_tasks_in_id_order_without_sorting_them()
    {
        await (await SqliteProcessStore.OpenAsync(_db.Options(), TestContext.Current.CancellationToken)).DisposeAsync();

        var plan = Plan(new TaskQuery());

        Assert.Contains("sqlite_autoindex_tasks_1", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }

    private string Plan(TaskQuery query)
    {
        var parameters = new List<(string Name, object Value)>();
        var sql = TaskQuerySql.Build(query, "default", parameters);
        return _db.QueryPlan(sql, parameters);
    }
}
