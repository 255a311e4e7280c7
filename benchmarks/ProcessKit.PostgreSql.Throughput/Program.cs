using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Npgsql;
using ProcessKit;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.PostgreSql;
using ProcessKit.PostgreSql.Throughput;
using ProcessKit.Tasks;

// The PostgreSQL store measured (never asserted), on loopback with fsync on:
//   throughput  five automated steps start->end per instance, 1/4/16/64 concurrent starters: with group commit, without
//               (each commit its own transaction, as before), and plain single-row autocommit inserts, in the same run;
//   workers     4 workers: each awaiting one five-step start at a time, then each keeping 16 starts in flight, between
//               two runs of plain single-row inserts from 4 clients (each figure also as a share of those); the engine's
//               rates here and in throughput/flat are measured after the same load ran in 1 s periods until the JIT
//               compiled fewer than 20 methods in one;
//   latency     a chain of human tasks: complete -> the next task visible to a task query, p50/p90/p99/max, 1, 4 and 16
//               users (--users), measured after 20 chains, an ANALYZE of the schema's tables, the chain run with the
//               same users in periods of min(1 s, --seconds) until the JIT is nearly done, another ANALYZE and one more
//               period (the steady state of a store in use); each line gives how many methods the JIT compiled during the
//               measured window (0 or a few: the window was warm);
//   breakdown   the latency chain again, each sample split into its parts by timestamps: the task read by id, the
//               instance read, the commit's wait for a writer, its transaction (statements, COMMIT, flush), the time from
//               its completion to the caller's return, the next-task query, and the rest (the client's CPU and
//               scheduling); mean of all samples and of the slowest 1 %, with the server's WAL flushes (pg_stat_wal);
//   flat        fills one schema with five-step instances through the engine and measures both again at 10k, 100k, 1M stored
//               (after each fill a VACUUM ANALYZE of the filled tables and a CHECKPOINT, so that a level measures a store
//               holding that many instances rather than the aftermath of the bulk load; the 16-user latency after the
//               latency case's warm-up);
//   roundtrips  what a five-step start and a task completion send (Npgsql activities), and the CPU per five-step
//               instance of this process and of the throwaway server at 1/4/16 starters (less moved by other load), and
//               the same per task completion with its next-task query at 1/4/16 users;
// `dotnet run -c Release --project benchmarks/ProcessKit.PostgreSql.Throughput -- [--case all|roundtrips|throughput|workers|latency|breakdown|flat]
//   [--seconds 5] [--flat-max 1000000] [--writers 2] [--users 1,4,16] [--connection "Host=...;Database=..."] [--extra "Max Auto Prepare=64"]`
// (--extra is appended to the connection string, e.g. to try Npgsql settings.)
// Without --connection it starts a throwaway server (initdb + pg_ctl in a temporary directory) and stops it after.
var options = Arguments.Parse(args);
ThrowawayServer? server = null;
string connectionString;
if (options.Connection is { } given)
{
    connectionString = given;
}
else
{
    server = await ThrowawayServer.StartAsync().ConfigureAwait(false);
    connectionString = server.ConnectionString("postgres");
}

if (options.Extra is { } extra)
    connectionString += ";" + extra;

try
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PostgreSQL {server?.Version ?? "(given)"} {options.Extra}, fsync on, {options.Writers} commit writers, {options.Seconds} s per case, {Environment.ProcessorCount} cores, load average {Bench.Load()}"));
    var bench = new Bench(connectionString, TimeSpan.FromSeconds(options.Seconds), options.Writers) { ServerCpu = server is null ? null : server.Cpu, Users = options.Users, OwnsServer = server is not null };
    if (options.Case is "all" or "roundtrips")
        await bench.RoundTripsAsync().ConfigureAwait(false);
    if (options.Case is "all" or "throughput")
        await bench.ThroughputAsync().ConfigureAwait(false);
    if (options.Case is "all" or "workers")
        await bench.WorkersAsync().ConfigureAwait(false);
    if (options.Case is "all" or "latency")
        await bench.LatencyAsync().ConfigureAwait(false);
    if (options.Case is "breakdown")
        await bench.BreakdownAsync().ConfigureAwait(false);
    if (options.Case is "all" or "flat")
        await bench.FlatAsync(options.FlatMax).ConfigureAwait(false);
}
finally
{
    if (server is not null)
        await server.DisposeAsync().ConfigureAwait(false);
}

return 0;

internal sealed record Arguments(string Case, double Seconds, long FlatMax, string? Connection, string? Extra = null, int Writers = 2, int[]? Users = null)
{
    public static Arguments Parse(string[] args)
    {
        var result = new Arguments("all", 5, 1_000_000, null);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            result = args[i] switch
            {
                "--case" => result with { Case = args[i + 1] },
                "--seconds" => result with { Seconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--flat-max" => result with { FlatMax = long.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--connection" => result with { Connection = args[i + 1] },
                "--extra" => result with { Extra = args[i + 1] },
                "--writers" => result with { Writers = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--users" => result with { Users = [.. args[i + 1].Split(',').Select(static u => int.Parse(u, CultureInfo.InvariantCulture))] },
                _ => throw new ArgumentException($"Unknown argument {args[i]}."),
            };
        }

        return result;
    }
}

/// <summary>The measured cases. Each case uses schemas of its own in the database, so runs never see each other's rows.</summary>
internal sealed class Bench(string connectionString, TimeSpan duration, int writers)
{
    private const int ChainLength = 10;
    private static readonly ProcessUser Clerk = new("clerk-1", ["clerk"]);
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<PostgreSqlProcessStore, string> _schemaOf = [];
    private int _schemas;

    /// <summary>The CPU time the server has used so far, when the benchmark started it.</summary>
    public Func<TimeSpan?>? ServerCpu { get; init; }

    /// <summary>The numbers of concurrent users the latency cases run with.</summary>
    public int[]? Users { get; init; }

    public static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "?";

    /// <summary>
    /// Counts what one operation sends to the server, by Npgsql's tracing (one activity per command or batch sent,
    /// that is per round trip): a five-step start, and a task completion followed by the query for the next task.
    /// </summary>
    public async Task RoundTripsAsync()
    {
        Console.WriteLine();
        Console.WriteLine("Round trips per operation (Npgsql activities, 200 operations after 20 unmeasured)");
        foreach (var mode in (int[])[writers, 0])
        {
            await using var store = await OpenAsync(mode).ConfigureAwait(false);
            var engine = await EngineAsync(store).ConfigureAwait(false);
            var label = mode > 0 ? "group commit" : "one transaction per commit";
            var five = await CountRoundTripsAsync(() => engine.StartAsync("bench.five").AsTask()).ConfigureAwait(false);
            Console.WriteLine($"  five-step start, {label}: {five}");
            var instance = await engine.StartAsync("bench.chain").ConfigureAwait(false);
            var chain = await CountRoundTripsAsync(async () =>
            {
                var task = await OpenTaskAsync(engine, instance).ConfigureAwait(false);
                await engine.CompleteTaskAsync(task!.TaskId, Clerk).ConfigureAwait(false);
            }, chainLength: ChainLength - 1, restart: async () => instance = await engine.StartAsync("bench.chain").ConfigureAwait(false)).ConfigureAwait(false);
            Console.WriteLine($"  task query + complete, {label}: {chain}");
        }

        // CPU per instance is what bounds the rate on a machine whose cores the client and the server share, and it
        // moves far less with other load than the rates do.
        Console.WriteLine("CPU per five-step instance (µs; this process and the server's processes), 4,000 instances after 1,000 unmeasured");
        foreach (var concurrency in (int[])[1, 4, 16])
        {
            foreach (var mode in (int[])[writers, 0])
            {
                await using var store = await OpenAsync(mode).ConfigureAwait(false);
                var engine = await EngineAsync(store).ConfigureAwait(false);
                await FixedCountAsync(concurrency, 1_000, () => engine.StartAsync("bench.five").AsTask()).ConfigureAwait(false);
                await CpuLineAsync($"{concurrency,4} starters", mode, count => FixedCountAsync(concurrency, count, () => engine.StartAsync("bench.five").AsTask())).ConfigureAwait(false);
            }
        }

        Console.WriteLine($"CPU per task completion and next-task query (µs; this process and the server's processes; chains of {ChainLength} tasks, their starts included), 4,000 completions after 1,000 unmeasured and an ANALYZE");
        foreach (var users in (int[])[1, 4, 16])
        {
            foreach (var mode in (int[])[writers, 0])
            {
                await using var store = await OpenAsync(mode).ConfigureAwait(false);
                var engine = await EngineAsync(store).ConfigureAwait(false);
                await ChainCountAsync(engine, users, 1_000).ConfigureAwait(false);
                await AnalyzeAsync(store).ConfigureAwait(false);
                await CpuLineAsync($"{users,4} users", mode, count => ChainCountAsync(engine, users, count)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs 4,000 operations through <paramref name="run"/> and prints the CPU this process and the server used per operation, and the rate.</summary>
    private async Task CpuLineAsync(string label, int mode, Func<int, Task> run)
    {
        const int Count = 4_000;
        var client = Environment.CpuUsage.TotalTime;
        var server = ServerCpu?.Invoke();
        var clock = Stopwatch.StartNew();
        await run(Count).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        var clientUs = (Environment.CpuUsage.TotalTime - client).TotalMicroseconds / Count;
        var serverUs = server is { } s0 && ServerCpu?.Invoke() is { } s1 ? $"{(s1 - s0).TotalMicroseconds / Count,5:N0}" : "    ?";
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{label,-13}, {(mode > 0 ? "group commit" : "one transaction per commit"),-26}: client {clientUs,5:N0}, server {serverUs} | {Count / elapsed.TotalSeconds,7:N0}/s | load {Load()}"));
    }

    /// <summary>Users run chains (start, then query and complete each task) until <paramref name="count"/> tasks were completed among them.</summary>
    private static async Task ChainCountAsync(ProcessEngine engine, int users, int count)
    {
        var left = count;
        await Task.WhenAll(Enumerable.Range(0, users).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref left) > 0)
            {
                var instance = await engine.StartAsync("bench.chain").ConfigureAwait(false);
                for (var i = 0; i < ChainLength && Interlocked.Decrement(ref left) >= 0; i++)
                {
                    var task = await OpenTaskAsync(engine, instance).ConfigureAwait(false);
                    await engine.CompleteTaskAsync(task!.TaskId, Clerk).ConfigureAwait(false);
                }
            }
        }))).ConfigureAwait(false);
    }

    private static async Task FixedCountAsync(int concurrency, int count, Func<Task> operation)
    {
        var left = count;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref left) >= 0)
                await operation().ConfigureAwait(false);
        }))).ConfigureAwait(false);
    }

    private static async Task<string> CountRoundTripsAsync(Func<Task> operation, int chainLength = int.MaxValue, Func<Task>? restart = null)
    {
        var counts = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var on = false;
        using var listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name.StartsWith("Npgsql", StringComparison.Ordinal),
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (Volatile.Read(ref on))
                    counts.AddOrUpdate(Describe(activity), 1, static (_, n) => n + 1);
            },
        };
        ActivitySource.AddActivityListener(listener);
        const int Warm = 20, Measured = 200;
        var done = 0;
        for (var i = 0; i < Warm + Measured; i++)
        {
            if (done == chainLength && restart is not null)
            {
                Volatile.Write(ref on, false);
                await restart().ConfigureAwait(false);
                done = 0;
            }

            Volatile.Write(ref on, i >= Warm);
            await operation().ConfigureAwait(false);
            done++;
        }

        Volatile.Write(ref on, false);
        var total = counts.Values.Sum() / (double)Measured;
        return string.Create(CultureInfo.InvariantCulture, $"{total:N2} per operation ({string.Join(", ", counts.OrderBy(static c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value / (double)Measured:N2}"))})");
    }

    /// <summary>The first words of what an activity sent (one statement, or the first of a batch and how many there were).</summary>
    private static string Describe(Activity activity)
    {
        var text = (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) as string ?? activity.DisplayName;
        var statements = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = string.Join(' ', (statements.Length > 0 ? statements[0] : text).Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Take(4));
        return statements.Length > 1 ? $"[{first} +{statements.Length - 1}]" : $"[{first}]";
    }

    public async Task ThroughputAsync()
    {
        Console.WriteLine();
        Console.WriteLine("Five automated steps start->end (instances/s); plain = single-row autocommit inserts/s, same concurrency");
        foreach (var concurrency in (int[])[1, 4, 16, 64])
        {
            var (grouped, groups) = await InstancesAsync(concurrency, writers).ConfigureAwait(false);
            var (alone, _) = await InstancesAsync(concurrency, 0).ConfigureAwait(false);
            var plain = await PlainInsertsAsync(concurrency).ConfigureAwait(false);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{concurrency,3} starters: group commit {grouped,7:N0}/s ({groups:N1} commits/transaction) | one transaction per commit {alone,7:N0}/s | plain inserts {plain,7:N0}/s | grouped/alone {grouped / alone:N2}, grouped/plain {grouped / plain:N2} | load {Load()}"));
        }
    }

    /// <summary>
    /// Four workers starting five-step instances: (a) each awaits its start before the next; (b) each keeps
    /// <see cref="InFlight"/> starts in flight, so group commit shares each flush among up to 64 commits. Plain single-row
    /// autocommit inserts from 4 clients are measured before and after, in the same minute, as what the disk allows.
    /// </summary>
    public async Task WorkersAsync()
    {
        Console.WriteLine();
        Console.WriteLine($"4 workers, five automated steps start->end (instances/s), group commit ({writers} writers); plain = single-row autocommit inserts/s from 4 clients");
        var before = await PlainInsertsAsync(4).ConfigureAwait(false);
        var (awaiting, g1) = await InstancesAsync(4, writers).ConfigureAwait(false);
        var (inFlight, g2) = await InFlightAsync(4, InFlight).ConfigureAwait(false);
        var after = await PlainInsertsAsync(4).ConfigureAwait(false);
        var plain = (before + after) / 2;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  plain inserts, 4 clients: {before,7:N0}/s before, {after,7:N0}/s after (mean {plain:N0}/s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  (a) 4 workers, each awaiting its start:      {awaiting,7:N0}/s ({g1:N1} commits/transaction) = {awaiting / plain:P0} of plain"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  (b) 4 workers, {InFlight} starts in flight each: {inFlight,7:N0}/s ({g2:N1} commits/transaction) = {inFlight / plain:P0} of plain | load {Load()}"));
    }

    private const int InFlight = 16;

    /// <summary>Each worker starts instances without awaiting each one: it keeps up to <paramref name="inFlight"/> starts outstanding.</summary>
    private async Task<(double Rate, double PerTransaction)> InFlightAsync(int workers, int inFlight)
    {
        await using var store = await OpenAsync(writers).ConfigureAwait(false);
        var engine = await EngineAsync(store).ConfigureAwait(false);
        for (var i = 0; i < 20; i++)
            await engine.StartAsync("bench.five").ConfigureAwait(false);
        await WarmUntilJitRestsAsync(window => RunAsync(window)).ConfigureAwait(false);
        var (transactions, commits) = store.CommitCounts;
        var clock = Stopwatch.StartNew();
        var done = await RunAsync(duration).ConfigureAwait(false);
        var rate = done / clock.Elapsed.TotalSeconds;
        var (t, c) = store.CommitCounts;
        return (rate, t == transactions ? 1 : (double)(c - commits) / (t - transactions));

        async Task<long> RunAsync(TimeSpan window)
        {
            long done = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                var outstanding = new List<Task>(inFlight);
                while (clock.Elapsed < window)
                {
                    while (outstanding.Count < inFlight)
                        outstanding.Add(engine.StartAsync("bench.five").AsTask());
                    var finished = await Task.WhenAny(outstanding).ConfigureAwait(false);
                    await finished.ConfigureAwait(false);
                    outstanding.Remove(finished);
                    Interlocked.Increment(ref done);
                }

                await Task.WhenAll(outstanding).ConfigureAwait(false);
                Interlocked.Add(ref done, outstanding.Count);
            }))).ConfigureAwait(false);
            return done;
        }
    }

    public async Task LatencyAsync()
    {
        Console.WriteLine();
        Console.WriteLine($"Human task chain ({ChainLength} tasks): complete -> next task open and found by a task query (ms)");
        foreach (var users in Users ?? [1, 4, 16])
        {
            foreach (var mode in (int[])[writers, 0])
            {
                await using var store = await OpenAsync(mode).ConfigureAwait(false);
                var engine = await EngineAsync(store).ConfigureAwait(false);
                await WarmAsync(engine, store, users, mode > 0, traced: false).ConfigureAwait(false);
                var jit = JitInfo.GetCompiledMethodCount();
                var line = await ChainAsync(engine, users, null, duration).ConfigureAwait(false);
                var compiled = JitInfo.GetCompiledMethodCount() - jit;
                Console.WriteLine($"{users,3} users, {(mode > 0 ? "group commit" : "one transaction per commit"),-26}: {line} | JIT {compiled} methods | load {Load()}");
            }
        }
    }

    /// <summary>The latency chain with each sample split into its parts (see <see cref="Breakdown"/>), and the server's WAL flushes meanwhile.</summary>
    public async Task BreakdownAsync()
    {
        Console.WriteLine();
        Console.WriteLine($"Human task chain ({ChainLength} tasks), each sample split into its parts by timestamps (ms; mean over the samples)");
        await using var source = NpgsqlDataSource.Create(connectionString);
        if (OwnsServer)
        {
            // The server is this run's own: time its WAL flushes (pg_stat_wal.wal_sync_time).
            await using var on = source.CreateCommand("ALTER SYSTEM SET track_wal_io_timing = on");
            await on.ExecuteNonQueryAsync().ConfigureAwait(false);
            await using var reload = source.CreateCommand("SELECT pg_reload_conf()");
            await reload.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        foreach (var users in Users ?? [1, 4, 16])
        {
            foreach (var mode in (int[])[writers, 0])
            {
                await using var store = await OpenAsync(mode).ConfigureAwait(false);
                var engine = await EngineAsync(store).ConfigureAwait(false);
                await WarmAsync(engine, store, users, mode > 0, traced: true).ConfigureAwait(false);
                using var breakdown = new Breakdown(mode > 0);
                store.TraceCommits(breakdown.OnCommit);
                var (syncs0, syncMs0) = await WalSyncsAsync(source).ConfigureAwait(false);
                var (t0, c0) = store.CommitCounts;
                var jit = JitInfo.GetCompiledMethodCount();
                var line = await ChainAsync(engine, users, breakdown, duration).ConfigureAwait(false);
                var compiled = JitInfo.GetCompiledMethodCount() - jit;
                var (syncs1, syncMs1) = await WalSyncsAsync(source).ConfigureAwait(false);
                var (t1, c1) = store.CommitCounts;
                store.TraceCommits(null);
                var flushes = syncs1 - syncs0;
                var grouping = t1 > t0 ? string.Create(CultureInfo.InvariantCulture, $", {(double)(c1 - c0) / (t1 - t0):F1} commits per transaction") : "";
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{users,3} users, {(mode > 0 ? "group commit" : "one transaction per commit"),-26}: {line} | server WAL flushes {flushes}, {(flushes > 0 ? (syncMs1 - syncMs0) / flushes : 0):F2} ms each{grouping} | JIT {compiled} methods | load {Load()}"));
                foreach (var part in breakdown.Report())
                    Console.WriteLine(part);
            }
        }
    }

    private static async Task<(long Syncs, double Ms)> WalSyncsAsync(NpgsqlDataSource source)
    {
        await using var command = source.CreateCommand("SELECT wal_sync, wal_sync_time FROM pg_stat_wal");
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        await reader.ReadAsync().ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetDouble(1));
    }

    /// <summary>Whether the server is this run's own (then the breakdown turns on its WAL timing).</summary>
    public bool OwnsServer { get; init; }

    /// <summary>
    /// Runs 20 chains to their end, then analyzes the schema's tables: a store in use has statistics (autovacuum analyzes
    /// a table after its first changes), while a new schema has none until then. Then runs the chain with
    /// <paramref name="users"/> users in periods of <see cref="WarmUp"/> until the JIT is nearly done (with a breakdown of
    /// its own when <paramref name="traced"/>, so that its tracing is compiled too), analyzes the tables again and runs one
    /// more period, so that the measured window starts in the steady state: the tiered JIT has recompiled the hot methods,
    /// the pool holds the connections that many users need, each of them has prepared its statements, and the plans were
    /// made for the tables as they are. Autovacuum analyzes a table again once a tenth of it changed; the warm-up grows the
    /// tables tens of times over in seconds, far faster than its one-minute rounds, and plans kept from the first
    /// analysis (made for a table of a few hundred rows: a sequential scan, or an index searched by tenant alone) cost a
    /// scan of the table per statement by the end of it (the task read's mean 0.34 ms instead of 0.05 ms in
    /// pg_stat_statements on a new server).
    /// </summary>
    private async Task WarmAsync(ProcessEngine engine, PostgreSqlProcessStore store, int users, bool grouped, bool traced)
    {
        for (var n = 0; n < 20; n++)
        {
            var instance = await engine.StartAsync("bench.chain").ConfigureAwait(false);
            for (var i = 0; i < ChainLength; i++)
                await engine.CompleteTaskAsync((await OpenTaskAsync(engine, instance).ConfigureAwait(false))!.TaskId, Clerk).ConfigureAwait(false);
        }

        await AnalyzeAsync(store).ConfigureAwait(false);
        using var warm = traced ? new Breakdown(grouped) : null;
        store.TraceCommits(warm is null ? null : warm.OnCommit);
        await WarmUntilJitRestsAsync(window => ChainAsync(engine, users, warm, window)).ConfigureAwait(false);
        await AnalyzeAsync(store).ConfigureAwait(false);
        await ChainAsync(engine, users, warm, WarmUp).ConfigureAwait(false);
        store.TraceCommits(null);
    }

    /// <summary>
    /// Lets the server settle after a fill: the fill writes in a minute the WAL a store in use writes in hours, and the
    /// checkpoint and autovacuum rounds it sets off would otherwise fall into the measured windows of this level. Vacuums
    /// and analyzes the schema's filled tables (as autovacuum soon would), then checkpoints (superuser or
    /// pg_checkpoint; skipped with a note when the login may not).
    /// </summary>
    private async Task SettleAsync(PostgreSqlProcessStore store)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        var schema = SchemaOf(store);
        await using (var vacuum = source.CreateCommand($"VACUUM (ANALYZE) {schema}.instances, {schema}.history, {schema}.tasks"))
        {
            vacuum.CommandTimeout = 0;
            await vacuum.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        try
        {
            await using var checkpoint = source.CreateCommand("CHECKPOINT");
            checkpoint.CommandTimeout = 0;
            await checkpoint.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            Console.WriteLine($"  (no CHECKPOINT: {e.MessageText})");
        }
    }

    /// <summary>The schema a store of this benchmark was opened with.</summary>
    private string SchemaOf(PostgreSqlProcessStore store) =>
        _schemaOf.TryGetValue(store, out var name) ? name : throw new InvalidOperationException("The store was not opened by this benchmark.");

    /// <summary>Analyzes the tables a chain writes in the store's schema.</summary>
    private async Task AnalyzeAsync(PostgreSqlProcessStore store)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        var schema = SchemaOf(store);
        await using var analyze = source.CreateCommand($"ANALYZE {schema}.tasks, {schema}.instances, {schema}.history");
        await analyze.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>How long one warm-up period runs the chain: 1 s, or the case's seconds when less.</summary>
    private TimeSpan WarmUp => duration < TimeSpan.FromSeconds(1) ? duration : TimeSpan.FromSeconds(1);

    /// <summary>The warm-up ends after a period in which the JIT compiled fewer methods than this (the code the chain runs is compiled at its last tier)...</summary>
    private const int WarmJitMethods = 20;

    /// <summary>...or after this many periods, whichever comes first (the line's JIT count then says the window was not warm).</summary>
    private const int MaxWarmUpPeriods = 15;

    public async Task FlatAsync(long max)
    {
        Console.WriteLine();
        Console.WriteLine("Flatness: one schema filled with five-step instances through the engine (64 starters, group commit)");
        await using var store = await OpenAsync(writers).ConfigureAwait(false);
        var engine = await EngineAsync(store).ConfigureAwait(false);
        long stored = 0;
        foreach (var level in (long[])[10_000, 100_000, 1_000_000])
        {
            if (level > max)
                break;
            var clock = Stopwatch.StartNew();
            var before = stored;
            string filled;
            if (before < level)
            {
                await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
                {
                    while (Interlocked.Increment(ref stored) <= level)
                        await engine.StartAsync("bench.five").ConfigureAwait(false);
                }))).ConfigureAwait(false);
                stored = level;
                filled = string.Create(CultureInfo.InvariantCulture, $"filled at {(level - before) / clock.Elapsed.TotalSeconds:N0}/s");
            }
            else
            {
                // The previous level's measurements started more instances than this level holds.
                filled = string.Create(CultureInfo.InvariantCulture, $"already {before:N0} after the previous level");
            }

            await SettleAsync(store).ConfigureAwait(false);
            var four = await CountAsync(4, () => engine.StartAsync("bench.five").AsTask()).ConfigureAwait(false);
            var sixtyFour = await CountAsync(64, () => engine.StartAsync("bench.five").AsTask()).ConfigureAwait(false);
            // The chain's tables (tasks, and the instances it reads by id) warmed and analyzed as in the latency case.
            await WarmAsync(engine, store, 16, grouped: true, traced: false).ConfigureAwait(false);
            var latency = await ChainAsync(engine, 16, null, duration).ConfigureAwait(false);
            stored += (long)((four + sixtyFour) * duration.TotalSeconds);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{level,9:N0} stored ({filled}): 4 starters {four,7:N0}/s, 64 starters {sixtyFour,7:N0}/s; 16 users {latency} | load {Load()}"));
        }
    }

    private async Task<(double Rate, double PerTransaction)> InstancesAsync(int concurrency, int mode)
    {
        await using var store = await OpenAsync(mode).ConfigureAwait(false);
        var engine = await EngineAsync(store).ConfigureAwait(false);
        var (transactions, commits) = (0L, 0L);
        var rate = await CountAsync(concurrency, () => engine.StartAsync("bench.five").AsTask(), () => (transactions, commits) = store.CommitCounts).ConfigureAwait(false);
        var (t, c) = store.CommitCounts;
        return (rate, t == transactions ? 1 : (double)(c - commits) / (t - transactions));
    }

    private async Task<double> PlainInsertsAsync(int concurrency)
    {
        var table = $"plain_{Interlocked.Increment(ref _schemas).ToString(CultureInfo.InvariantCulture)}";
        await using var source = NpgsqlDataSource.Create(connectionString);
        await using (var create = source.CreateCommand($"CREATE TABLE {table} (id bigint PRIMARY KEY, payload text)"))
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        long id = 0;
        long done = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            await using var connection = await source.OpenConnectionAsync().ConfigureAwait(false);
            await using var insert = new NpgsqlCommand($"INSERT INTO {table} (id, payload) VALUES (@id, 'x')", connection);
            var value = insert.Parameters.AddWithValue("id", 0L);
            while (clock.Elapsed < duration)
            {
                value.Value = Interlocked.Increment(ref id);
                await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
                Interlocked.Increment(ref done);
            }
        }))).ConfigureAwait(false);
        var rate = done / clock.Elapsed.TotalSeconds;
        await using (var drop = source.CreateCommand($"DROP TABLE {table}"))
            await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
        return rate;
    }

    /// <summary>Each user starts chain instances and completes their tasks one after the other for <paramref name="window"/>; the time from each completion to the next task found open.</summary>
    private static async Task<string> ChainAsync(ProcessEngine engine, int users, Breakdown? breakdown, TimeSpan window)
    {
        var samples = new List<double>[users];
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, users, new ParallelOptions { MaxDegreeOfParallelism = users }, async (u, _) =>
        {
            var mine = samples[u] = [];
            while (clock.Elapsed < window)
            {
                var instance = await engine.StartAsync("bench.chain").ConfigureAwait(false);
                var task = await OpenTaskAsync(engine, instance).ConfigureAwait(false);
                for (var i = 0; i < ChainLength; i++)
                {
                    using var activity = breakdown?.Begin(instance.Value, i < ChainLength - 1);
                    var t0 = Stopwatch.GetTimestamp();
                    await engine.CompleteTaskAsync(task!.TaskId, Clerk).ConfigureAwait(false);
                    breakdown?.Returned(activity);
                    if (i == ChainLength - 1)
                        break;
                    task = await OpenTaskAsync(engine, instance).ConfigureAwait(false);
                    mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                    breakdown?.End(activity, t0);
                }
            }
        }).ConfigureAwait(false);
        var all = samples.SelectMany(static s => s).Order().ToArray();
        if (all.Length == 0)
            return "no samples";
        double At(double q) => all[Math.Min(all.Length - 1, (int)Math.Ceiling(q * all.Length) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"p50 {At(0.50),6:F2}  p90 {At(0.90),6:F2}  p99 {At(0.99),6:F2}  max {all[^1],7:F2}  ({all.Length} completions)");
    }

    private static async Task<HumanTaskInfo?> OpenTaskAsync(ProcessEngine engine, InstanceId instance)
    {
        var tasks = await engine.QueryTasksAsync(new TaskQuery { Instance = instance, State = TaskState.Offered }).ConfigureAwait(false);
        return tasks.Count == 1 ? tasks[0] : throw new InvalidOperationException($"Instance {instance} has {tasks.Count} open tasks.");
    }

    /// <summary>
    /// Runs <paramref name="operation"/> 20 times, then from <paramref name="concurrency"/> callers in periods of
    /// <see cref="WarmUp"/> until the JIT is nearly done, then (after <paramref name="measuring"/>) measures the rate over
    /// the case's window.
    /// </summary>
    private async Task<double> CountAsync(int concurrency, Func<Task> operation, Action? measuring = null)
    {
        for (var i = 0; i < 20; i++)
            await operation().ConfigureAwait(false);
        await WarmUntilJitRestsAsync(window => RunAsync(window)).ConfigureAwait(false);
        measuring?.Invoke();
        var clock = Stopwatch.StartNew();
        var done = await RunAsync(duration).ConfigureAwait(false);
        return done / clock.Elapsed.TotalSeconds;

        async Task<long> RunAsync(TimeSpan window)
        {
            long done = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                while (clock.Elapsed < window)
                {
                    await operation().ConfigureAwait(false);
                    Interlocked.Increment(ref done);
                }
            }))).ConfigureAwait(false);
            return done;
        }
    }

    /// <summary>
    /// Runs <paramref name="period"/> with <see cref="WarmUp"/> until the JIT compiled fewer than
    /// <see cref="WarmJitMethods"/> methods in one (at most <see cref="MaxWarmUpPeriods"/>), so that a measured window
    /// does not share the cores with the tiered JIT recompiling the code it runs.
    /// </summary>
    private async Task WarmUntilJitRestsAsync(Func<TimeSpan, Task> period)
    {
        for (var i = 0; i < MaxWarmUpPeriods; i++)
        {
            var jit = JitInfo.GetCompiledMethodCount();
            await period(WarmUp).ConfigureAwait(false);
            if (JitInfo.GetCompiledMethodCount() - jit < WarmJitMethods)
                return;
        }
    }

    private async Task<PostgreSqlProcessStore> OpenAsync(int mode)
    {
        var schema = $"bench_{Interlocked.Increment(ref _schemas).ToString(CultureInfo.InvariantCulture)}";
        // A store in use: its first analyses (AnalyzeWhileNew, at fixed commit counts) are long behind it, and one landing
        // in some measured windows and not in others would only add noise; the latency cases analyze in their warm-up.
        var store = await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = connectionString, SchemaName = schema, CommitWriters = mode, AnalyzeWhileNew = false }).ConfigureAwait(false);
        _schemaOf.AddOrUpdate(store, schema);
        return store;
    }

    private static async Task<ProcessEngine> EngineAsync(PostgreSqlProcessStore store)
    {
        var engine = new ProcessEngine(new ProcessEngineOptions { Store = store }.AddHandler("bench.noop", static _ => { }));
        await engine.DeployAsync(FiveSteps()).ConfigureAwait(false);
        await engine.DeployAsync(Chain()).ConfigureAwait(false);
        return engine;
    }

    private static ProcessDefinition FiveSteps()
    {
        var p = ProcessBuilder.Create("bench.five", "Five steps").Version(1);
        var steps = Enumerable.Range(1, 5).Select(i => p.Automated($"s{i}", $"Step {i}", "bench.noop")).ToArray();
        for (var i = 0; i < steps.Length - 1; i++)
            steps[i].Then(steps[i + 1]);
        steps[^1].Then(p.End("done", "Done"));
        return p.Build();
    }

    private static ProcessDefinition Chain()
    {
        var p = ProcessBuilder.Create("bench.chain", "Chain of human tasks").Version(1);
        var clerk = p.Role("clerk", "Clerk");
        var tasks = Enumerable.Range(1, ChainLength).Select(i => p.HumanTask($"t{i}", $"Task {i}", clerk)).ToArray();
        for (var i = 0; i < tasks.Length - 1; i++)
            tasks[i].Then(tasks[i + 1]);
        tasks[^1].Then(p.End("done", "Done"));
        return p.Build();
    }
}
