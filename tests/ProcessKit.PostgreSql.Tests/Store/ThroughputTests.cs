using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.PostgreSql.Tests.Server;

namespace ProcessKit.PostgreSql.Tests.Store;

/// <summary>
/// Measures five-step automated instances (start to end, one commit each) per second with 1, 4 and 16 concurrent
/// starters on loopback (fsync on), beside plain single-row autocommit inserts per second on the same database in the
/// same run. The figures go to the test output and are never asserted; the test checks that every instance ended.
/// </summary>
public sealed class ThroughputTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Five_step_instances_end_with_1_4_and_16_starters_and_the_rates_are_reported_beside_plain_inserts()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await using var store = await PostgreSqlProcessStore.OpenAsync(new() { ConnectionString = db.ConnectionString }, Ct);
        var options = new ProcessEngineOptions { Store = store, TimeProvider = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)) };
        for (var i = 1; i <= 5; i++)
            options.AddHandler("bench.step" + i, static _ => { });
        var engine = new ProcessEngine(options);
        await engine.DeployAsync(FiveSteps(), Ct);
        await engine.StartAsync("bench.five", cancellationToken: Ct); // warm up
        await db.ExecuteAsync("CREATE TABLE plain (id bigint PRIMARY KEY, payload text)");

        var lines = new List<string>();
        var started = 1;
        long plainId = 0;
        foreach (var starters in (int[])[1, 4, 16])
        {
            var perStarter = 1_600 / starters;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, starters).Select(_ => Task.Run(
                async () =>
                {
                    for (var i = 0; i < perStarter; i++)
                        await engine.StartAsync("bench.five", cancellationToken: Ct);
                },
                Ct)));
            var instanceRate = starters * perStarter / clock.Elapsed.TotalSeconds;
            started += starters * perStarter;

            clock.Restart();
            await Task.WhenAll(Enumerable.Range(0, starters).Select(_ => Task.Run(
                async () =>
                {
                    await using var connection = await db.DataSource.OpenConnectionAsync(Ct);
                    await using var insert = new NpgsqlCommand("INSERT INTO plain (id, payload) VALUES (@id, 'x')", connection);
                    var id = insert.Parameters.AddWithValue("id", 0L);
                    for (var i = 0; i < perStarter; i++)
                    {
                        id.Value = Interlocked.Increment(ref plainId);
                        await insert.ExecuteNonQueryAsync(Ct);
                    }
                },
                Ct)));
            var insertRate = starters * perStarter / clock.Elapsed.TotalSeconds;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{starters,2} starters: {instanceRate,7:F0} five-step instances/s; plain single-row commits: {insertRate,7:F0} rows/s ({instanceRate / insertRate:P0})"));
        }

        foreach (var line in lines)
            TestContext.Current.TestOutputHelper?.WriteLine(line);
        Console.WriteLine(string.Join(Environment.NewLine, lines));
        Assert.Equal((long)started, await db.ScalarAsync<long>("SELECT count(*) FROM processkit.instances WHERE state = 1"));
        Assert.Equal(await db.ScalarAsync<long>("SELECT sum(history_count) FROM processkit.instances"), await db.ScalarAsync<long>("SELECT count(*) FROM processkit.history"));
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
