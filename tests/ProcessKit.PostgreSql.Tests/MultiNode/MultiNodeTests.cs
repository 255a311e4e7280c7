using System.Diagnostics;
using System.Globalization;
using ProcessKit.Execution;
using ProcessKit.History;
using Npgsql;
using ProcessKit.MultiNodeHost;
using ProcessKit.PostgreSql.Rows;
using ProcessKit.PostgreSql.Tests.Server;
using ProcessKit.Processes;

namespace ProcessKit.PostgreSql.Tests.MultiNode;

/// <summary>
/// The multi-node test: three node processes (<c>tests/ProcessKit.MultiNodeHost</c>, each a generic host with the
/// ProcessKit worker on PostgreSQL, 2 s leases, no <c>WithMaxWait</c>) share 10,000 instances of three asynchronous
/// steps. One node is killed (SIGKILL) mid-run; another is stopped (SIGSTOP) inside a job handler, kept stopped until
/// another node took the job over and committed it, then continued (SIGCONT): its late commit must be refused. Every
/// instance must end with each step committed once; handlers run at least once per step, and every extra run is
/// counted from the handlers' own table.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class MultiNodeTests(PostgresServer server)
{
    private const int Instances = 10_000;

    /// <summary>The killed node goes after this many handler runs of its own (a "progress" line).</summary>
    private const int KillAfterRuns = 1_500;

    /// <summary>The paused node stops inside its handler run with this number.</summary>
    private const int PauseAtRun = 2_000;

    [Fact]
    public async Task Three_nodes_share_ten_thousand_instances_through_a_kill_and_a_pause_and_every_step_is_committed_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        await using var db = await server.CreateDatabaseAsync(ct);

        // The nodes fail, the server does not: what it committed survives them, so commits need not wait for the
        // server's WAL flush (2 shared cores). Fencing, leases and takeovers are unchanged by this.
        await db.ExecuteAsync($"ALTER DATABASE \"{db.Name}\" SET synchronous_commit = off");
        await db.ExecuteAsync(MultiNodeProcess.CreateRunsTable);

        var watch = Stopwatch.StartNew();
        await using var n1 = NodeProcess.Start("n1", db.ConnectionString);
        await using var n2 = NodeProcess.Start("n2", db.ConnectionString, "--pause-at", PauseAtRun.ToString(CultureInfo.InvariantCulture));
        await using var n3 = NodeProcess.Start("n3", db.ConnectionString);
        foreach (var node in (ChildProcess[])[n1, n2, n3])
        {
            await node.WaitForLineAsync("ready ", ct);
        }

        // The instances are started from here; only the nodes' workers run their jobs.
        await using var store = await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString }, ct);
        var engine = new ProcessEngine(new ProcessEngineOptions { Store = store }
            .AddHandler(MultiNodeProcess.Handler, _ => throw new InvalidOperationException("the test runs no job")));
        await engine.DeployAsync(MultiNodeProcess.Build(), ct);
        var startedIn = TimeSpan.Zero;
        var starting = Task.Run(
            async () =>
            {
                await Parallel.ForAsync(0, Instances, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (_, token) =>
                    await engine.StartAsync(MultiNodeProcess.Id, cancellationToken: token));
                startedIn = watch.Elapsed;
            },
            ct);

        var killing = KillMidRunAsync(n1, ct);
        var pausing = PauseInsideHandlerAsync(n2, db, ct);
        await Task.WhenAll(starting, killing, pausing);
        var pause = await pausing;

        // Every instance ends on the two nodes left.
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            timeout.CancelAfter(NodeProcess.Patience);
            while (await db.ScalarAsync<long>("SELECT count(*) FROM processkit.instances WHERE state = 1") < Instances)
            {
                Assert.False(n2.HasExited || n3.HasExited, $"a node exited before the end. n2 stderr:\n{n2.Errors}\nn3 stderr:\n{n3.Errors}");
                Assert.False(timeout.IsCancellationRequested, $"not every instance ended within {NodeProcess.Patience.TotalSeconds} s; running: {await db.ScalarAsync<long>("SELECT count(*) FROM processkit.instances WHERE state = 0")}. n2 stderr:\n{n2.Errors}\nn3 stderr:\n{n3.Errors}");
                await Task.Delay(200, ct);
            }
        }

        var duration = watch.Elapsed;
        var lost = new Dictionary<string, long> { ["n1"] = LastLostTotal(n1) };
        foreach (var node in (ChildProcess[])[n2, n3])
        {
            await node.SendAsync("stop");
            Assert.Equal(0, await node.WaitForExitAsync(ct));
            var summary = await node.WaitForLineAsync("summary ", ct);
            lost[node.Name] = long.Parse(summary.Split(' ').Single(static p => p.StartsWith("lost=", StringComparison.Ordinal))[5..], CultureInfo.InvariantCulture);
        }

        // From the database: every instance completed, and in history each step of each instance completed once.
        Assert.Equal(Instances, await db.ScalarAsync<long>("SELECT count(*) FROM processkit.instances"));
        Assert.Equal(Instances, await db.ScalarAsync<long>("SELECT count(*) FROM processkit.instances WHERE state = 1"));
        var completions = await CompletionsAsync(db, instance: null, ct);
        var twice = completions.Where(static c => c.Value != 1).Select(static c => c.Key).Take(5).ToArray();
        Assert.True(twice.Length == 0, "steps not completed exactly once (instance, node): " + string.Join(", ", twice));
        var stepsPerInstance = completions.Keys.Select(static k => k.Node).Distinct().Count();
        Assert.True(stepsPerInstance >= MultiNodeProcess.Steps.Length, $"only {stepsPerInstance} kinds of steps completed");
        Assert.Equal(Instances * stepsPerInstance, completions.Count);
        var pausedHistory = await engine.GetHistoryAsync(new InstanceId(pause.Instance), ct);
        foreach (var step in MultiNodeProcess.Steps)
        {
            Assert.Single(pausedHistory, e => e.Type == HistoryEventType.StepCompleted && e.StepId == step);
        }

        // Handlers ran at least once per step of every instance; every run beyond that is a duplicate, counted.
        var jobs = (long)Instances * MultiNodeProcess.Steps.Length;
        Assert.Equal(jobs, await db.ScalarAsync<long>($"SELECT count(*) FROM (SELECT DISTINCT instance_id, step FROM {MultiNodeProcess.RunsTable}) AS ran"));
        Assert.Equal(0L, await db.ScalarAsync<long>($"SELECT count(*) FROM {MultiNodeProcess.RunsTable} r WHERE NOT EXISTS (SELECT 1 FROM processkit.instances i WHERE i.id = r.instance_id)"));
        var runs = await db.ScalarAsync<long>($"SELECT count(*) FROM {MultiNodeProcess.RunsTable}");
        var duplicates = runs - jobs;
        var pausedRuns = await db.ScalarAsync<string>($"SELECT string_agg(node, ',' ORDER BY run) FROM {MultiNodeProcess.RunsTable} WHERE idempotency_key = '{pause.Key}'");
        Assert.True(pausedRuns.Split(',').Length >= 2 && pausedRuns.Split(',').Contains("n2"), $"the paused job {pause.Key} ran on: {pausedRuns}");
        Assert.True(duplicates >= 1, "the paused node's run must be counted as a duplicate");
        var byNode = await db.ScalarAsync<string>($"SELECT string_agg(node || ' ' || runs || ' runs (' || extra || ' repeated)', ', ' ORDER BY node) FROM (SELECT node, count(*) AS runs, count(*) FILTER (WHERE attempt > 1) AS extra FROM {MultiNodeProcess.RunsTable} GROUP BY node) AS n");

        output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Instances} instances of {MultiNodeProcess.Steps.Length} jobs on 3 nodes, all started after {startedIn.TotalSeconds:F1} s and completed after {duration.TotalSeconds:F1} s, from the nodes' start (load average {LoadAverage()})"));
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"handler runs {runs} for {jobs} jobs: {duplicates} duplicates; by node: {byNode}"));
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"n1 killed after {KillAfterRuns} runs; n2 stopped inside run {PauseAtRun} ({pause.Key}) for {pause.Stopped.TotalSeconds:F1} s, the job ran on {pausedRuns}"));
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"late results refused (leases lost to another node): n1 {lost["n1"]} before the kill, n2 {lost["n2"]}, n3 {lost["n3"]}"));
    }

    /// <summary>
    /// Counts the step completions in the stored history (packed rows, one per commit) by instance and step node,
    /// for one instance or all of them.
    /// </summary>
    private static async Task<Dictionary<(long Instance, int Node), int>> CompletionsAsync(TestDatabase db, long? instance, CancellationToken ct)
    {
        var counts = new Dictionary<(long, int), int>();
        await using var command = db.DataSource.CreateCommand(
            "SELECT instance_id, count, events FROM processkit.history" + (instance is null ? string.Empty : " WHERE instance_id = $1"));
        if (instance is { } id)
            command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(ct);
        HistoryNote[]? notes = null;
        while (await reader.ReadAsync(ct))
        {
            var events = new HistoryRecord[reader.GetInt32(1)];
            int n = 0, noteCount = 0;
            HistoryRows.Read((byte[])reader.GetValue(2), events.Length, events, ref n, ref notes, ref noteCount);
            for (var i = 0; i < n; i++)
            {
                if (events[i].Type == HistoryEventType.StepCompleted)
                    counts[(reader.GetInt64(0), events[i].Node)] = counts.GetValueOrDefault((reader.GetInt64(0), events[i].Node)) + 1;
            }
        }

        return counts;
    }

    /// <summary>SIGKILLs the node once it reports <see cref="KillAfterRuns"/> handler runs.</summary>
    private static async Task KillMidRunAsync(ChildProcess node, CancellationToken ct)
    {
        await node.WaitForLineAsync("progress " + KillAfterRuns.ToString(CultureInfo.InvariantCulture), ct);
        await node.KillAsync(ct);
    }

    /// <summary>
    /// Stops the node at its "pausing" line (its handler waits there for "continue", so it is inside the handler with
    /// the job's lease), keeps it stopped until another node committed that step (possible only once the lease ran
    /// out), continues it, and waits until it reports the lease lost: its late commit was refused.
    /// </summary>
    private static async Task<(long Instance, string Key, TimeSpan Stopped)> PauseInsideHandlerAsync(ChildProcess node, TestDatabase db, CancellationToken ct)
    {
        var line = await node.WaitForLineAsync("pausing ", ct);
        await node.SignalAsync("STOP", ct);
        var stopped = Stopwatch.StartNew();
        var parts = line.Split(' ');
        var instance = long.Parse(parts[1], CultureInfo.InvariantCulture);
        var step = Array.IndexOf(MultiNodeProcess.Steps, parts[2]);
        var key = parts[3];
        Assert.True(step >= 0, "unknown step in " + line);

        // The steps before the paused one completed; the paused one completes when another node commits it.
        while ((await CompletionsAsync(db, instance, ct)).Values.Sum() <= step)
        {
            Assert.True(stopped.Elapsed < NodeProcess.Patience, $"no other node took over the job {key} of the stopped node within {NodeProcess.Patience.TotalSeconds} s");
            await Task.Delay(100, ct);
        }

        var stoppedFor = stopped.Elapsed;
        await node.SendAsync("continue");
        await node.SignalAsync("CONT", ct);
        var resumed = "resumed " + key;
        await node.WaitForLineAsync(resumed, ct);
        await node.WaitForLineAsync(l => l.StartsWith("lost job ", StringComparison.Ordinal), node.IndexOf(resumed), "a lost lease after it resumed", ct);
        return (instance, key, stoppedFor);
    }

    /// <summary>The last "lost KIND TOTAL" a node wrote, or 0.</summary>
    private static long LastLostTotal(ChildProcess node) =>
        node.Lines.LastOrDefault(static l => l.StartsWith("lost ", StringComparison.Ordinal)) is { } line
            ? long.Parse(line.Split(' ')[2], CultureInfo.InvariantCulture)
            : 0;

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
