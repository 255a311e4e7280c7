using System.Diagnostics.Metrics;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.PostgreSql.Tests.Server;

namespace ProcessKit.PostgreSql.Tests.Store;

/// <summary>
/// <see cref="PostgreSqlStoreOptions.AnalyzeWhileNew"/>: the store analyzes its tables after its first commits, so the
/// plans of its prepared statements are made for the tables' sizes while they grow fastest. A table never analyzed nor
/// vacuumed has <c>reltuples = -1</c> in <c>pg_class</c>; an analysis sets it (autovacuum analyzes a table only after
/// 50 changes, which these tests never reach).
/// </summary>
public sealed class AnalyzeWhileNewTests(PostgresServer server)
{
    private static readonly string[] Tables = ["instances", "tasks", "history", "timers", "subscriptions"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_store_analyzes_its_tables_in_the_background_after_the_commits_set_and_counts_it()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        using var counted = new OutcomeCounter();
        await using var store = await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString, NodeName = counted.Node, AnalyzeAfterCommits = [3] }, Ct);
        var engine = await EngineAsync(store);

        await engine.StartAsync("review", cancellationToken: Ct);
        await engine.StartAsync("review", cancellationToken: Ct);
        await store.Analyzing.WaitAsync(Ct);
        Assert.All(await RowEstimatesAsync(db), static t => Assert.Equal(-1, t.Rows));

        await engine.StartAsync("review", cancellationToken: Ct);
        await store.Analyzing.WaitAsync(Ct);

        var estimates = await RowEstimatesAsync(db);
        Assert.Equal(Tables.Order(StringComparer.Ordinal), estimates.Select(static t => t.Table).Order(StringComparer.Ordinal));
        Assert.All(estimates, static t => Assert.True(t.Rows >= 0, $"{t.Table} was not analyzed."));
        Assert.Equal(3, estimates.Single(static t => t.Table == "instances").Rows);
        Assert.Equal(3, estimates.Single(static t => t.Table == "tasks").Rows);
        Assert.Equal(1, counted.Count("done"));
        Assert.Equal(0, counted.Count("failed"));
    }

    [Fact]
    public async Task Turned_off_the_store_never_analyzes()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await using var store = await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString, AnalyzeWhileNew = false, AnalyzeAfterCommits = [1, 2] }, Ct);
        var engine = await EngineAsync(store);

        for (var i = 0; i < 3; i++)
            await engine.StartAsync("review", cancellationToken: Ct);
        await store.Analyzing.WaitAsync(Ct);

        Assert.All(await RowEstimatesAsync(db), static t => Assert.Equal(-1, t.Rows));
    }

    [Fact]
    public async Task A_failed_analysis_is_counted_and_the_commits_go_on()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        using var counted = new OutcomeCounter();
        await using var store = await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString, NodeName = counted.Node, AnalyzeAfterCommits = [1] }, Ct);
        var engine = await EngineAsync(store);
        // A table the analysis names is gone: ANALYZE fails with "relation does not exist".
        await db.ExecuteAsync("DROP TABLE processkit.subscriptions");

        var first = await engine.StartAsync("review", cancellationToken: Ct);
        await store.Analyzing.WaitAsync(Ct);
        var second = await engine.StartAsync("review", cancellationToken: Ct);

        Assert.Equal(1, counted.Count("failed"));
        Assert.Equal(0, counted.Count("done"));
        Assert.Equal(-1, (await RowEstimatesAsync(db)).Single(static t => t.Table == "instances").Rows);
        Assert.NotEqual(first, second);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM processkit.instances"));
    }

    [Fact]
    public async Task Closing_the_store_waits_for_an_analysis_it_started()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        var store = await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString, AnalyzeAfterCommits = [1] }, Ct);
        var engine = await EngineAsync(store);
        await engine.StartAsync("review", cancellationToken: Ct);
        var analyzing = store.Analyzing;

        await store.DisposeAsync();

        Assert.True(analyzing.IsCompletedSuccessfully);
    }

    private static async Task<ProcessEngine> EngineAsync(PostgreSqlProcessStore store)
    {
        var p = ProcessBuilder.Create("review", "Review");
        var clerk = p.Role("clerk", "Clerk");
        p.HumanTask("check", "Check", clerk).Then(p.End("done", "Done"));
        var engine = new ProcessEngine(new ProcessEngineOptions { Store = store });
        await engine.DeployAsync(p.Build(), Ct);
        return engine;
    }

    private static async Task<List<(string Table, long Rows)>> RowEstimatesAsync(TestDatabase db)
    {
        await using var command = db.DataSource.CreateCommand(
            "SELECT c.relname, c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'processkit' AND c.relname = ANY($1)");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Tables });
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<(string, long)>();
        while (await reader.ReadAsync(Ct))
            rows.Add((reader.GetString(0), reader.GetInt64(1)));
        return rows;
    }

    /// <summary>
    /// Counts the statistics refreshes of the stores opened with <see cref="Node"/> as their node name, by outcome (every
    /// store of the test process reports to the one meter; the lease owner tag tells this test's store apart).
    /// </summary>
    private sealed class OutcomeCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, int> _counts = [];

        public OutcomeCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == PostgreSqlProcessStore.MeterName && instrument.Name == PostgreSqlProcessStore.StatisticsRefreshesInstrument)
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? outcome = null;
                var mine = false;
                foreach (var tag in tags)
                {
                    if (tag.Key == "outcome")
                        outcome = tag.Value as string;
                    else if (tag.Key == "processkit.node")
                        mine = tag.Value is string owner && owner.StartsWith(Node + "#", StringComparison.Ordinal);
                }

                if (mine && outcome is not null)
                {
                    lock (_counts)
                        _counts[outcome] = _counts.GetValueOrDefault(outcome) + (int)value;
                }
            });
            _listener.Start();
        }

        /// <summary>The node name to open the store with.</summary>
        public string Node { get; } = "analyze-" + Guid.NewGuid().ToString("N");

        public int Count(string outcome)
        {
            lock (_counts)
                return _counts.GetValueOrDefault(outcome);
        }

        public void Dispose() => _listener.Dispose();
    }
}
