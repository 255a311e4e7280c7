using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using ProcessKit;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Sqlite;
using ProcessKit.Tasks;

// The SQLite store, measured (never asserted). Modes:
//   throughput [seconds] [full|normal] [starters,...]  five automated steps start→end per instance, beside plain
//                                                      SQLite baselines measured in the same run (default mode;
//                                                      a number as the first argument is the seconds)
//   latency [seconds] [full|normal]                    human task complete → next task open, 1 and 16 users
//   flat [seconds] [full|normal] [max]                 both at 10k, 100k and 1M stored ended instances
// `dotnet run -c Release --project benchmarks/ProcessKit.Sqlite.Throughput -- throughput 4 full`
var mode = args.Length > 0 && !double.TryParse(args[0], CultureInfo.InvariantCulture, out _) ? args[0] : "throughput";
var rest = mode == "throughput" && args.Length > 0 && double.TryParse(args[0], CultureInfo.InvariantCulture, out _) ? args : args.Skip(1).ToArray();
var seconds = 4.0;
if (rest.Length > 0 && (!double.TryParse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) || !(seconds > 0)))
{
    await Console.Error.WriteLineAsync($"{mode}: the seconds per case are a positive number (e.g. 4 or 0.5), not '{rest[0]}'.").ConfigureAwait(false);
    return 2;
}

var synchronous = rest.Length > 1 && rest[1] == "normal" ? SqliteSynchronousMode.Normal : SqliteSynchronousMode.Full;
var duration = TimeSpan.FromSeconds(seconds);
Harness.SqliteCheckpoints = args.Contains("sqlite-checkpoints");
Console.WriteLine($"mode={mode}, checkpoints={(Harness.SqliteCheckpoints ? "SQLite's automatic ones on the writer" : "checkpointer")}, synchronous={synchronous}, {seconds} s per case, {Environment.ProcessorCount} cores, load average {Harness.LoadAverage()}");
switch (mode)
{
    case "throughput":
        var starters = rest.Length > 2 ? rest[2].Split(',').Select(static s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 0).ToArray() : [1, 16, 64, 256];
        if (starters.Contains(0))
        {
            await Console.Error.WriteLineAsync($"throughput: the starters are positive whole numbers separated by commas (e.g. 1,16,64), not '{rest[2]}'.").ConfigureAwait(false);
            return 2;
        }

        await Harness.PlainAutocommitAsync(duration, synchronous).ConfigureAwait(false);
        var batched = await Harness.PlainBatchedAsync(duration, synchronous).ConfigureAwait(false);
        await Harness.InMemoryAsync(16, duration).ConfigureAwait(false);
        foreach (var concurrency in starters)
        {
            var rate = await Harness.InstancesAsync(concurrency, duration, synchronous).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    = {rate / batched:P1} of plain batched inserts (rows/s) of this run"));
            await Harness.PlainWritesAsync(concurrency, duration, synchronous).ConfigureAwait(false);
        }

        break;
    case "latency":
        foreach (var users in (int[])[1, 16])
        {
            var memory = new ProcessEngine(new ProcessEngineOptions { Store = new ProcessKit.Persistence.InMemoryProcessStore() });
            await memory.DeployAsync(Harness.Chain()).ConfigureAwait(false);
            Console.Write("in-memory store: ");
            await Harness.LatencyAsync(memory, users, duration).ConfigureAwait(false);

            await Harness.WithStoreAsync(synchronous, async (store, engine) =>
            {
                var writer = store.Storage.Writer;
                var (commits, writes, phases) = (writer.Commits, writer.CommittedWrites, writer.Phases);
                var cpu = Environment.CpuUsage.TotalTime;
                var wall = Stopwatch.StartNew();
                await Harness.LatencyAsync(engine, users, duration).ConfigureAwait(false);
                var transactions = Math.Max(1, writer.Commits - commits);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"    writer: {writer.Commits - commits} transactions, {(writer.CommittedWrites - writes) / (double)transactions:N1} writes per transaction, commit+fsync {(writer.Phases.Commit - phases.Commit).TotalMicroseconds / transactions:N0} µs per transaction, busy {(writer.Phases.Run + writer.Phases.Commit + writer.Phases.Complete - phases.Run - phases.Commit - phases.Complete).TotalSeconds / (duration.TotalSeconds + 0.5):P0} of the run; this process used {(Environment.CpuUsage.TotalTime - cpu) / wall.Elapsed:N2} cores"));
            }).ConfigureAwait(false);
        }

        break;
    case "flat":
        var max = 1_000_000;
        if (rest.Length > 2 && (!int.TryParse(rest[2], NumberStyles.None, CultureInfo.InvariantCulture, out max) || max < 10_000))
        {
            await Console.Error.WriteLineAsync($"flat: the largest number of stored instances is a whole number of at least 10000, not '{rest[2]}'.").ConfigureAwait(false);
            return 2;
        }

        await Harness.FlatAsync(duration, synchronous, max).ConfigureAwait(false);
        break;
    default:
        Console.Error.WriteLine("modes: throughput, latency, flat");
        return 2;
}

Console.WriteLine($"load average at the end {Harness.LoadAverage()}");
return 0;

/// <summary>The measured loops.</summary>
internal static class Harness
{
    private const int ChainLength = 20;

    /// <summary>With "sqlite-checkpoints" among the arguments: the checkpointer is stopped and SQLite's automatic checkpoints run in the writer's commits again (for comparison).</summary>
    public static bool SqliteCheckpoints { get; set; }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

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

    /// <summary>A chain of human tasks offered to one role.</summary>
    public static ProcessDefinition Chain()
    {
        var p = ProcessBuilder.Create("bench.chain", "Chain of tasks").Version(1);
        var clerk = p.Role("clerk", "Clerk");
        var tasks = Enumerable.Range(1, ChainLength).Select(i => p.HumanTask($"t{i}", $"Task {i}", clerk)).ToArray();
        for (var i = 0; i < tasks.Length - 1; i++)
        {
            tasks[i].Then(tasks[i + 1]);
        }

        tasks[^1].Then(p.End("done", "Done"));
        return p.Build();
    }

    private static ProcessEngine Engine(ProcessKit.Persistence.IProcessStore store) =>
        new(new ProcessEngineOptions { Store = store }.AddHandler("bench.noop", static _ => { }));

    public static string NewPath() => Path.Combine(Path.GetTempPath(), $"processkit-bench-{Guid.NewGuid():N}.db");

    private static SqliteStoreOptions Options(string path, SqliteSynchronousMode synchronous) =>
        new() { ConnectionString = $"Data Source={path}", Synchronous = synchronous };

    /// <summary>A new file with both processes deployed.</summary>
    public static async Task WithStoreAsync(SqliteSynchronousMode synchronous, Func<SqliteProcessStore, ProcessEngine, Task> run)
    {
        var path = NewPath();
        try
        {
            await using var store = await SqliteProcessStore.OpenAsync(Options(path, synchronous)).ConfigureAwait(false);
            if (SqliteCheckpoints)
            {
                await store.Storage.Checkpointer.DisposeAsync().ConfigureAwait(false);
                await store.Storage.Writer.SubmitAsync(
                    static context =>
                    {
                        using var command = context.Connection.CreateCommand();
                        command.CommandText = "PRAGMA wal_autocheckpoint = 1000;";
                        return command.ExecuteNonQuery();
                    },
                    CancellationToken.None).ConfigureAwait(false);
            }

            var engine = Engine(store);
            await engine.DeployAsync(FiveSteps()).ConfigureAwait(false);
            await engine.DeployAsync(Chain()).ConfigureAwait(false);
            await run(store, engine).ConfigureAwait(false);
        }
        finally
        {
            Delete(path);
        }
    }

    public static async Task<double> InstancesAsync(int concurrency, TimeSpan duration, SqliteSynchronousMode synchronous)
    {
        double rate = 0;
        await WithStoreAsync(synchronous, async (store, engine) =>
        {
            rate = await FiveStepRateAsync(store, engine, concurrency, duration).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return rate;
    }

    private static async Task<double> FiveStepRateAsync(SqliteProcessStore store, ProcessEngine engine, int concurrency, TimeSpan duration)
    {
        var writer = store.Storage.Writer;
        await RunAsync(concurrency, TimeSpan.FromSeconds(0.5), async () => await engine.StartAsync("bench.five").ConfigureAwait(false)).ConfigureAwait(false);
        var before = (writer.Commits, writer.CommittedWrites, writer.Phases, store.Storage.Checkpointer.Checkpoints);
        var count = await RunAsync(concurrency, duration, async () => await engine.StartAsync("bench.five").ConfigureAwait(false)).ConfigureAwait(false);
        var commits = writer.Commits - before.Commits;
        Report($"instances, {concurrency,3} starters", count, duration, commits, writer.CommittedWrites - before.CommittedWrites);
        var phases = writer.Phases;
        double PerCommit(TimeSpan after, TimeSpan earlier) => commits == 0 ? 0 : (after - earlier).TotalMicroseconds / commits;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"    writer per transaction: run {PerCommit(phases.Run, before.Phases.Run):N0} µs ({(phases.Run - before.Phases.Run).TotalMicroseconds / Math.Max(1, count):N1} µs per instance), commit+fsync {PerCommit(phases.Commit, before.Phases.Commit):N0} µs, complete callers {PerCommit(phases.Complete, before.Phases.Complete):N0} µs; busy {(phases.Run + phases.Commit + phases.Complete - before.Phases.Run - before.Phases.Commit - before.Phases.Complete) / duration:P0} of the time; {store.Storage.Checkpointer.Checkpoints - before.Checkpoints} checkpoints"));
        var sizes = store.Storage.Readers.Read(static connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT (SELECT avg(length(state_blob)) FROM instances), (SELECT avg(length(events)) FROM history), (SELECT state_blob FROM instances ORDER BY id DESC LIMIT 1);";
            using var reader = command.ExecuteReader();
            reader.Read();
            return (reader.GetDouble(0), reader.GetDouble(1), System.Text.Encoding.UTF8.GetString((byte[])reader.GetValue(2)));
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    stored per instance: state document {sizes.Item1:N0} B, packed history row {sizes.Item2:N0} B"));
        if (concurrency == 1)
        {
            Console.WriteLine("    state document: " + sizes.Item3);
        }

        return count / duration.TotalSeconds;
    }

    public static async Task InMemoryAsync(int concurrency, TimeSpan duration)
    {
        var engine = Engine(new ProcessKit.Persistence.InMemoryProcessStore());
        await engine.DeployAsync(FiveSteps()).ConfigureAwait(false);
        await RunAsync(concurrency, TimeSpan.FromSeconds(0.5), async () => await engine.StartAsync("bench.five").ConfigureAwait(false)).ConfigureAwait(false);
        var count = await RunAsync(concurrency, duration, async () => await engine.StartAsync("bench.five").ConfigureAwait(false)).ConfigureAwait(false);
        Report($"in-memory instances, {concurrency,3} starters", count, duration, 0, 0);
    }

    public static async Task PlainWritesAsync(int concurrency, TimeSpan duration, SqliteSynchronousMode synchronous)
    {
        var path = NewPath();
        try
        {
            await using var store = await SqliteProcessStore.OpenAsync(Options(path, synchronous)).ConfigureAwait(false);
            var writer = store.Storage.Writer;
            long seq = 0;
            Func<Task> write = async () =>
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
            };
            await RunAsync(concurrency, TimeSpan.FromSeconds(0.5), write).ConfigureAwait(false);
            var before = (writer.Commits, writer.CommittedWrites);
            var count = await RunAsync(concurrency, duration, write).ConfigureAwait(false);
            Report($"one-row writes through the writer, {concurrency,3} writers", count, duration, writer.Commits - before.Commits, writer.CommittedWrites - before.CommittedWrites);
        }
        finally
        {
            Delete(path);
        }
    }

    /// <summary>Baseline: one row per transaction on a plain connection (WAL, the same synchronous setting).</summary>
    public static Task PlainAutocommitAsync(TimeSpan duration, SqliteSynchronousMode synchronous) =>
        PlainAsync(duration, synchronous, 1, "plain one-row commits (autocommit loop)");

    /// <summary>Baseline: rows inserted 512 per transaction on a plain connection; returns rows/s.</summary>
    public static Task<double> PlainBatchedAsync(TimeSpan duration, SqliteSynchronousMode synchronous) =>
        PlainAsync(duration, synchronous, 512, "plain batched inserts (512 rows per transaction), rows");

    private static async Task<double> PlainAsync(TimeSpan duration, SqliteSynchronousMode synchronous, int perTransaction, string name)
    {
        await Task.Yield();
        var path = NewPath();
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            using (var setup = connection.CreateCommand())
            {
                setup.CommandText = $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {(int)synchronous}; CREATE TABLE rows (tenant TEXT NOT NULL, id TEXT NOT NULL, expires INTEGER NOT NULL, PRIMARY KEY (tenant, id)) STRICT, WITHOUT ROWID;";
                setup.ExecuteNonQuery();
            }

            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO rows (tenant, id, expires) VALUES ($tenant, $id, 0);";
            var tenant = insert.Parameters.Add("$tenant", SqliteType.Text);
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            tenant.Value = "default";
            insert.Prepare();
            long rows = 0;
            long commits = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                for (var i = 0; i < perTransaction; i++)
                {
                    id.Value = (rows++).ToString(CultureInfo.InvariantCulture);
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
                commits++;
            }

            var rate = rows / clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {rate,10:N0}/s  ({rows} rows, {commits} transactions in {clock.Elapsed.TotalSeconds:N1} s)"));
            return rate;
        }
        finally
        {
            Delete(path);
        }
    }

    /// <summary>
    /// Each user runs chains of human tasks: completes the open task (the await returns once the commit is
    /// durable) and then finds the next one open by a query; both times are recorded per completion.
    /// </summary>
    public static async Task LatencyAsync(ProcessEngine engine, int users, TimeSpan duration)
    {
        var complete = new List<double>[users];
        var completeAndFind = new List<double>[users];
        var clock = Stopwatch.StartNew();
        var warmUntil = TimeSpan.FromSeconds(0.5);
        var until = warmUntil + duration;
        await Task.WhenAll(Enumerable.Range(0, users).Select(u => Task.Run(async () =>
        {
            var user = new ProcessUser($"user{u}", ["clerk"]);
            var mine = complete[u] = new List<double>(4096);
            var mineFind = completeAndFind[u] = new List<double>(4096);
            while (clock.Elapsed < until)
            {
                var id = await engine.StartAsync("bench.chain").ConfigureAwait(false);
                var task = await OpenTaskAsync(engine, id).ConfigureAwait(false) ?? throw new InvalidOperationException("The chain's first task is not open.");
                while (task is not null && clock.Elapsed < until)
                {
                    var measured = clock.Elapsed >= warmUntil;
                    var started = Stopwatch.GetTimestamp();
                    await engine.CompleteTaskAsync(task.TaskId, user).ConfigureAwait(false);
                    var completed = Stopwatch.GetTimestamp();
                    var next = await OpenTaskAsync(engine, id).ConfigureAwait(false);
                    var found = Stopwatch.GetTimestamp();
                    if (next is not null && next.TaskId == task.TaskId)
                    {
                        throw new InvalidOperationException("The completed task is still open.");
                    }

                    if (measured)
                    {
                        mine.Add(Stopwatch.GetElapsedTime(started, completed).TotalMilliseconds);
                        mineFind.Add(Stopwatch.GetElapsedTime(started, found).TotalMilliseconds);
                    }

                    task = next;
                }
            }
        }))).ConfigureAwait(false);
        Percentiles($"task complete (durable), {users,2} users", [.. complete.SelectMany(static l => l)], duration);
        Percentiles($"task complete + next task found open, {users,2} users", [.. completeAndFind.SelectMany(static l => l)], duration);
    }

    private static async Task<HumanTaskInfo?> OpenTaskAsync(ProcessEngine engine, InstanceId id) =>
        (await engine.QueryTasksAsync(new TaskQuery { Instance = id, State = TaskState.Offered }).ConfigureAwait(false)).FirstOrDefault();

    private static void Percentiles(string name, double[] ms, TimeSpan duration)
    {
        Array.Sort(ms);
        double At(double q) => ms.Length == 0 ? double.NaN : ms[Math.Min(ms.Length - 1, (int)Math.Ceiling(q * ms.Length) - 1)];
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: p50 {At(0.50):N2} ms, p90 {At(0.90):N2} ms, p99 {At(0.99):N2} ms, max {(ms.Length == 0 ? double.NaN : ms[^1]):N2} ms  ({ms.Length} completions, {ms.Length / duration.TotalSeconds:N0}/s)"));
    }

    /// <summary>
    /// Throughput and latency at 10k, 100k and 1M stored ended instances in one file. The first 10,000 are
    /// started through the engine; the rest are copies of one of them made by SQL (the same instance and
    /// history rows with new ids, and the id counter moved past them), much faster than the engine.
    /// </summary>
    public static async Task FlatAsync(TimeSpan duration, SqliteSynchronousMode synchronous, int max)
    {
        var path = NewPath();
        try
        {
            var options = Options(path, synchronous);
            await using (var store = await SqliteProcessStore.OpenAsync(options).ConfigureAwait(false))
            {
                var engine = Engine(store);
                await engine.DeployAsync(FiveSteps()).ConfigureAwait(false);
                await engine.DeployAsync(Chain()).ConfigureAwait(false);
                var fill = Stopwatch.StartNew();
                long started = 0;
                await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
                {
                    while (Interlocked.Increment(ref started) <= 10_000)
                    {
                        await engine.StartAsync("bench.five").ConfigureAwait(false);
                    }
                }))).ConfigureAwait(false);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"filled 10,000 through the engine in {fill.Elapsed.TotalSeconds:N1} s"));
            }

            foreach (var target in (int[])[10_000, 100_000, 1_000_000])
            {
                if (target > max)
                {
                    break;
                }

                var stored = BulkFill(path, target);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"--- {stored:N0} stored instances; file {FileSize(path) / 1048576.0:N1} MiB (+ WAL {FileSize(path + "-wal") / 1048576.0:N1} MiB)"));
                await using var store = await SqliteProcessStore.OpenAsync(options).ConfigureAwait(false);
                var engine = Engine(store);
                await engine.DeployAsync(FiveSteps()).ConfigureAwait(false);
                await engine.DeployAsync(Chain()).ConfigureAwait(false);
                foreach (var concurrency in (int[])[16, 64])
                {
                    await FiveStepRateAsync(store, engine, concurrency, duration).ConfigureAwait(false);
                }

                await LatencyAsync(engine, 16, duration).ConfigureAwait(false);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"final file {FileSize(path) / 1048576.0:N1} MiB"));
        }
        finally
        {
            Delete(path);
        }
    }

    /// <summary>Copies one ended five-step instance (its row and history rows) until the file holds <paramref name="target"/> instances; returns the count.</summary>
    private static long BulkFill(string path, int target)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        long Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        void Execute(string sql, params (string Name, object Value)[] values)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in values)
            {
                command.Parameters.AddWithValue(name, value);
            }

            command.ExecuteNonQuery();
        }

        Execute("PRAGMA synchronous = NORMAL;");
        var count = Scalar("SELECT count(*) FROM instances;");
        var template = Scalar("SELECT max(id) FROM instances WHERE process_id = 'bench.five' AND ended_ticks IS NOT NULL;");
        while (count < target)
        {
            var chunk = Math.Min(100_000, target - count);
            var first = Scalar("SELECT next_id FROM id_blocks WHERE tenant = 'default' AND kind = 'instance';");
            using var transaction = connection.BeginTransaction();
            const string Numbers = "WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k + 1 < $chunk) ";
            Execute(
                Numbers + "INSERT INTO instances SELECT tenant, $first + k, process_id, process_version, version, state, business_key, parent_id, started_ticks, ended_ticks, state_blob, history_count FROM instances, n WHERE tenant = 'default' AND id = $template;",
                ("$chunk", chunk), ("$first", first), ("$template", template));
            Execute(
                Numbers + "INSERT INTO history SELECT tenant, $first + k, first_seq, count, events FROM history, n WHERE tenant = 'default' AND instance_id = $template;",
                ("$chunk", chunk), ("$first", first), ("$template", template));
            Execute("UPDATE id_blocks SET next_id = $next WHERE tenant = 'default' AND kind = 'instance';", ("$next", first + chunk));
            transaction.Commit();
            count += chunk;
        }

        Execute("PRAGMA wal_checkpoint(TRUNCATE);");
        return Scalar("SELECT count(*) FROM instances;");
    }

    private static long FileSize(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static async Task<long> RunAsync(int concurrency, TimeSpan duration, Func<Task> operation)
    {
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
        foreach (var file in new[] { path, path + "-wal", path + "-shm" }.Concat(Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "-*.lock")))
        {
            File.Delete(file);
        }
    }
}
