using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.PostgreSql.Tests.Server;

namespace ProcessKit.PostgreSql.Tests.Store;

/// <summary>
/// A smoke test of the commit path under concurrency: five-step automated instances (start to end, one commit each)
/// started by 1, 4 and 16 concurrent starters, with group commit and with a transaction per commit. The rates go to the
/// test output and are never asserted (the benchmark <c>benchmarks/ProcessKit.PostgreSql.Throughput</c> measures them);
/// the test checks that every instance ended with its whole history stored.
/// </summary>
public sealed class ThroughputTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    public async Task Five_step_instances_started_concurrently_all_end_with_their_whole_history(int writers)
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await using var store = await PostgreSqlProcessStore.OpenAsync(new() { ConnectionString = db.ConnectionString, CommitWriters = writers }, Ct);
        var options = new ProcessEngineOptions { Store = store, TimeProvider = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)) };
        for (var i = 1; i <= 5; i++)
            options.AddHandler("bench.step" + i, static _ => { });
        var engine = new ProcessEngine(options);
        await engine.DeployAsync(FiveSteps(), Ct);

        var started = 0;
        foreach (var starters in (int[])[1, 4, 16])
        {
            var perStarter = 160 / starters;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, starters).Select(_ => Task.Run(
                async () =>
                {
                    for (var i = 0; i < perStarter; i++)
                        await engine.StartAsync("bench.five", cancellationToken: Ct);
                },
                Ct)));
            started += starters * perStarter;
            var rate = starters * perStarter / clock.Elapsed.TotalSeconds;
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{starters,2} starters, {writers} commit writers: {rate,7:F0} five-step instances/s"));
        }

        var (transactions, commits) = store.CommitCounts;
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"group commit: {commits} commits in {transactions} transactions"));
        Assert.Equal((long)started, await db.ScalarAsync<long>("SELECT count(*) FROM processkit.instances WHERE state = 1"));
        Assert.Equal(await db.ScalarAsync<long>("SELECT sum(history_count) FROM processkit.instances"), await db.ScalarAsync<long>("SELECT sum(count) FROM processkit.history"));
        Assert.Equal(writers == 0 ? 0 : started, commits);
    }

    private static ProcessDefinition FiveSteps()
    {
        var p = ProcessBuilder.Create("bench.five", "Five steps");
        var steps = Enumerable.Range(1, 5).Select(i => p.Automated("s" + i, "Step " + i, "bench.step" + i)).ToList();
        for (var i = 0; i < 4; i++)
            steps[i].Then(steps[i + 1]);
        steps[^1].Then(p.End("done", "Done"));
        return p.Build();
    }
}
