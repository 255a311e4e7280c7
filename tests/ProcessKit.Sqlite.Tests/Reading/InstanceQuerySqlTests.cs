using ProcessKit.Execution;
using ProcessKit.Sqlite.Reading;
using ProcessKit.Sqlite.Schema;

namespace ProcessKit.Sqlite.Tests.Reading;

/// <summary>The instance listing's plan and index: a page walks ix_instances_process, which a file of schema v2 gains on open.</summary>
public sealed class InstanceQuerySqlTests : IDisposable
{
    private readonly TempDatabase _db = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _db.Dispose();

    public static TheoryData<string> Queries => ["process", "version", "states and key", "after", "started"];

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task A_page_walks_the_process_index_in_order_without_sorting(string criteria)
    {
        await (await SqliteProcessStore.OpenAsync(_db.Options(), Ct)).DisposeAsync();
        var query = new InstanceQuery("p");
        var after = (0, 0L);
        switch (criteria)
        {
            case "version": query = query with { Version = 2 }; break;
            case "states and key": query = query with { States = [InstanceState.Running], BusinessKey = "k" }; break;
            case "after": after = (1, 42L); break;
            case "started": query = query with { StartedFrom = DateTimeOffset.UnixEpoch, StartedBefore = DateTimeOffset.UnixEpoch.AddDays(1) }; break;
        }

        var parameters = new List<(string Name, object Value)>();
        InstanceQuerySql.Bind(query, "default", after, 101, parameters);
        var plan = _db.QueryPlan(InstanceQuerySql.Page, parameters);

        Assert.Contains("USING INDEX ix_instances_process (tenant=? AND process_id=? AND (process_version,id)>(?,?) AND process_version<?)", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_of_schema_v2_gains_the_index_on_open_keeps_its_instances_and_dates_its_start_requests()
    {
        using (var connection = _db.Connect())
        {
            Assert.Equal(0, SqliteMigrations.Apply(connection, 2));
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO instances (tenant, id, process_id, process_version, version, state, business_key, parent_id, started_ticks, ended_ticks, state_blob, history_count)
                VALUES ('default', 7, 'p', 1, 3, 1, 'K-7', NULL, 100, 200, x'00', 0), ('default', 8, 'p', 1, 1, 0, NULL, NULL, 150, NULL, x'00', 0);
                """;
            insert.ExecuteNonQuery();
            insert.CommandText = "INSERT INTO start_requests (tenant, request_id, instance_id, fingerprint) VALUES ('default', 'r-7', 7, x'01');";
            insert.ExecuteNonQuery();
        }

        Assert.Equal(2, _db.Scalar("PRAGMA user_version;"));
        Assert.Equal(0, _db.Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'ix_instances_process';"));

        await using var store = await SqliteProcessStore.OpenAsync(_db.Options(), Ct);
        var engine = new ProcessEngine(new ProcessEngineOptions { Store = store });
        var page = await engine.QueryInstancesAsync(new InstanceQuery("p"), Ct);

        Assert.Equal(3, _db.Scalar("PRAGMA user_version;"));
        Assert.Equal(1, _db.Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_instances_process';"));
        Assert.Equal(
            [
                new InstanceSummary(new InstanceId(7), "p", 1, InstanceState.Completed, "K-7", new DateTimeOffset(100, TimeSpan.Zero), new DateTimeOffset(200, TimeSpan.Zero)),
                new InstanceSummary(new InstanceId(8), "p", 1, InstanceState.Running, null, new DateTimeOffset(150, TimeSpan.Zero), null),
            ],
            page.Instances);
        Assert.Null(page.ContinueAfter);
        Assert.Equal(100, _db.Scalar("SELECT created_ticks FROM start_requests WHERE request_id = 'r-7';"));
    }
}
