using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using ProcessKit;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Sqlite;

// Throughput of the SQLite store, measured (never asserted): five automated steps from start to end per
// instance, with 1, 4 and 16 concurrent starters, beside plain one-row writes through the same writer and
// the same instances on the in-memory store (the engine's own cost).
// `dotnet run -c Release --project benchmarks/ProcessKit.Sqlite.Throughput -- [seconds] [full|normal]`
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var synchronous = args.Length > 1 && args[1] == "normal" ? SqliteSynchronousMode.Normal : SqliteSynchronousMode.Full;
var duration = TimeSpan.FromSeconds(seconds);
Console.WriteLine($"synchronous={synchronous}, {seconds} s per case, {Environment.ProcessorCount} cores");
foreach (var concurrency in (int[])[1, 4, 16])
{
    await Harness.InMemoryAsync(concurrency, duration).ConfigureAwait(false);
    await Harness.InstancesAsync(concurrency, duration, synchronous).ConfigureAwait(false);
    await Harness.PlainWritesAsync(concurrency, duration, synchronous).ConfigureAwait(false);
}

return 0;

/// <summary>The two measured loops.</summary>
internal static class Harness
{
    private static ProcessDefinition FiveSteps()
    {
        var p = ProcessBuilder.Create("bench.five", "Five steps").Version(1);
        var steps = Enumerable.Range(1, 5).Select(i => p.Automated($"s{i}", $"Step {i}", "bench.noop")).ToArray();
        for (var i = 0; i < steps.Length - 1; i++)
        {
            steps[i].Then(steps[i + 1]);
        }

        steps[^1].Then(p.End("done", "Done"));
        return p.Build();
    }

    public static async Task InstancesAsync(int concurrency, TimeSpan duration, SqliteSynchronousMode synchronous)
    {
        var path = Path.Combine(Path.GetTempPath(), $"processkit-bench-{Guid.NewGuid():N}.db");
        try
        {
            await using var store = await SqliteProcessStore.OpenAsync(new SqliteStoreOptions { ConnectionString = $"Data Source={path}", Synchronous = synchronous }).ConfigureAwait(false);
            var engine = new ProcessEngine(new ProcessEngineOptions { Store = store }.AddHandler("bench.noop", static _ => { }));
            await engine.DeployAsync(FiveSteps()).ConfigureAwait(false);
            var count = await RunAsync(concurrency, duration, async () =>
            {
                await engine.StartAsync("bench.five").ConfigureAwait(false);
            }).ConfigureAwait(false);
            var commits = store.Storage.Writer.Commits;
            var writes = store.Storage.Writer.CommittedWrites;
            Report($"instances, {concurrency,2} starters", count, duration, commits, writes);
        }
        finally
        {
            Delete(path);
        }
    }

    public static async Task InMemoryAsync(int concurrency, TimeSpan duration)
    {
        var engine = new ProcessEngine(new ProcessEngineOptions { Store = new ProcessKit.Persistence.InMemoryProcessStore() }.AddHandler("bench.noop", static _ => { }));
        await engine.DeployAsync(FiveSteps()).ConfigureAwait(false);
        var count = await RunAsync(concurrency, duration, async () =>
        {
            await engine.StartAsync("bench.five").ConfigureAwait(false);
        }).ConfigureAwait(false);
        Report($"in-memory instances, {concurrency,2} starters", count, duration, 0, 0);
    }

    public static async Task PlainWritesAsync(int concurrency, TimeSpan duration, SqliteSynchronousMode synchronous)
    {
        var path = Path.Combine(Path.GetTempPath(), $"processkit-bench-{Guid.NewGuid():N}.db");
        try
        {
            await using var store = await SqliteProcessStore.OpenAsync(new SqliteStoreOptions { ConnectionString = $"Data Source={path}", Synchronous = synchronous }).ConfigureAwait(false);
            var writer = store.Storage.Writer;
            var before = (writer.Commits, writer.CommittedWrites);
            long seq = 0;
            var count = await RunAsync(concurrency, duration, async () =>
            {
                var n = Interlocked.Increment(ref seq);
                await writer.SubmitAsync(
                    context =>
                    {
                        var command = context.Command("INSERT INTO seen_messages (tenant, message_id, expires_ticks) VALUES ($tenant, $id, 0);");
                        command.Parameters.Add(new SqliteParameter("$tenant", context.Tenant));
                        command.Parameters.Add(new SqliteParameter("$id", n.ToString(CultureInfo.InvariantCulture)));
                        return command.ExecuteNonQuery();
                    },
                    CancellationToken.None).ConfigureAwait(false);
            }).ConfigureAwait(false);
            Report($"one-row writes, {concurrency,2} writers", count, duration, writer.Commits - before.Commits, writer.CommittedWrites - before.CommittedWrites);
        }
        finally
        {
            Delete(path);
        }
    }

    private static async Task<long> RunAsync(int concurrency, TimeSpan duration, Func<Task> operation)
    {
        // Warm up (JIT, first id blocks), then count what completes within the duration.
        for (var i = 0; i < 50; i++)
        {
            await operation().ConfigureAwait(false);
        }

        long done = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                await operation().ConfigureAwait(false);
                Interlocked.Increment(ref done);
            }
        }))).ConfigureAwait(false);
        return done;
    }

    private static void Report(string name, long count, TimeSpan duration, long commits, long writes) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: {count / duration.TotalSeconds,10:N0}/s  ({count} in {duration.TotalSeconds} s; {commits} transactions, {(commits == 0 ? 0 : (double)writes / commits):N1} writes per transaction)"));

    private static void Delete(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
