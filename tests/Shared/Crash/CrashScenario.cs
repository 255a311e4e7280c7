using System.Globalization;
using ProcessKit.CrashHost;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Persistence;

namespace ProcessKit.Crash;

/// <summary>
/// The crash test, for any store the crash host can open: the host runs the workload and is killed with SIGKILL
/// at seeded random points, restarted on the same store each time, and finally asked to finish every instance.
/// Then the store must hold everything the killed processes acknowledged, with no task or job done twice, every
/// timer fired once and never early, and every instance ended.
/// </summary>
internal static class CrashScenario
{
    private const int StartsPerRun = 1_000;
    private const int AtLeastInstances = 2_000;

    /// <summary>Runs the kills and the finishing run, then checks the store. Returns the figures as one sentence.</summary>
    /// <param name="seed">Seeds the number of kills (3 to 5) and each kill's delay (0.3 to 1.5 s after the host is ready).</param>
    /// <param name="storeArguments">How the host opens the store (<c>--sqlite FILE</c> or <c>--postgres CONNSTRING</c>).</param>
    /// <param name="open">Opens the same store in the test.</param>
    /// <param name="businessKeys">Every stored instance id with its business key, read from the database.</param>
    public static async Task<string> RunAsync(int seed, string[] storeArguments, Func<CancellationToken, ValueTask<IProcessStore>> open, Func<CancellationToken, Task<Dictionary<long, string>>> businessKeys)
    {
        var ct = TestContext.Current.CancellationToken;
        var random = new Random(seed);
        var acks = new Acknowledged();
        var kills = random.Next(3, 6);
        for (var run = 0; run < kills; run++)
        {
            await using var child = CrashChild.Start([.. storeArguments, "--run", "k" + run.ToString(CultureInfo.InvariantCulture), "--start", StartsPerRun.ToString(CultureInfo.InvariantCulture)]);
            await child.WaitReadyAsync(ct);

            // The kill point, not a synchronization: whatever the child acknowledged before it must be in the store.
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 1_501)), ct);
            await child.KillAsync(ct);
            acks.Add(child.Lines);
        }

        var startedByKilledRuns = acks.Starts.Count;
        var topUp = Math.Max(0, AtLeastInstances - acks.Starts.Count);
        await using (var finisher = CrashChild.Start([.. storeArguments, "--run", "finish", "--start", topUp.ToString(CultureInfo.InvariantCulture), "--finish"]))
        {
            var exit = await finisher.WaitForExitAsync(ct);
            Assert.True(exit == 0, $"The finishing run exited with {exit}. stderr:\n{finisher.Errors}");
            acks.Add(finisher.Lines);
        }

        var store = await open(ct);
        try
        {
            var engine = new ProcessEngine(new ProcessEngineOptions { Store = store }
                .AddHandler(CrashProcess.Handler, _ => throw new InvalidOperationException("the check runs no job")));
            await engine.DeployAsync(CrashProcess.Build(), ct);

            var keys = await businessKeys(ct);
            Assert.True(keys.Count >= AtLeastInstances, $"only {keys.Count} instances were started");
            Assert.Equal(keys.Count, keys.Values.Distinct(StringComparer.Ordinal).Count());

            // Every instance acknowledged as started exists, under the business key it was started with.
            foreach (var (id, key) in acks.Starts)
            {
                Assert.True(keys.TryGetValue(id, out var stored), $"instance {id} ({key}) was acknowledged as started but is not in the store");
                Assert.Equal(key, stored);
            }

            var storedDueWork = 0;
            foreach (var id in keys.Keys)
            {
                var instance = await engine.GetInstanceAsync(new InstanceId(id), ct);
                Assert.True(instance.State == InstanceState.Completed, $"instance {id} ({keys[id]}) did not end: {instance.State} at {string.Join(", ", instance.ActiveSteps)}");
                var history = await engine.GetHistoryAsync(new InstanceId(id), ct);
                CheckHistory(id, history, acks);
                storedDueWork += history.Count(static e => e.Type is HistoryEventType.TimerFired or HistoryEventType.JobFailed
                    || (e.Type == HistoryEventType.StepCompleted && e.StepId == CrashProcess.SendStep));
            }

            // Each acknowledged firing (a timer step or a job attempt) is one of these events; a killed run may have committed more.
            Assert.True(storedDueWork >= acks.DueRuns, $"{acks.DueRuns} timers and jobs were acknowledged as run, {storedDueWork} are in the histories");
            Assert.True(acks.Completions.Count > 0 && acks.DueRuns > 0, "no task completion or no timer was acknowledged");
            return $"seed {seed}: {kills} kills, {keys.Count} instances, {acks.Starts.Count} acknowledged starts ({startedByKilledRuns} by the killed runs), {acks.Completions.Count} acknowledged completions, {acks.DueRuns} acknowledged timers and jobs";
        }
        finally
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    private static void CheckHistory(long id, IReadOnlyList<HistoryEvent> history, Acknowledged acks)
    {
        var what = $"instance {id}: " + string.Join(" | ", history.Select(static e => $"{e.Sequence} {e.Type} {e.StepId}#{e.StepInstance} {e.Time:HH:mm:ss.fff}"));
        Assert.True(history.Select(static e => e.Sequence).SequenceEqual(Enumerable.Range(1, history.Count).Select(static i => (long)i)), what);
        Assert.True(history.Count(static e => e.Type == HistoryEventType.InstanceStarted) == 1, what);
        Assert.True(history.Count(static e => e.Type == HistoryEventType.InstanceCompleted) == 1, what);

        // One task, completed once; an acknowledged completion is that one, by the acknowledged user.
        Assert.True(history.Count(static e => e.Type == HistoryEventType.TaskCreated) == 1, what);
        var completions = history.Where(static e => e.Type == HistoryEventType.StepCompleted && e.StepId == CrashProcess.ReviewStep).ToList();
        Assert.True(completions.Count == 1, "task completed more than once or never: " + what);
        if (acks.Completions.TryGetValue(id, out var acked))
        {
            Assert.True(completions[0].StepInstance == acked.StepInstance && completions[0].UserId == acked.User, $"acknowledged completion #{acked.StepInstance} by {acked.User} missing: {what}");
        }

        // The timer fired once, never before its due time.
        var entered = Assert.Single(history, static e => e.Type == HistoryEventType.StepEntered && e.StepId == CrashProcess.WaitStep);
        var fired = history.Where(static e => e.Type == HistoryEventType.TimerFired).ToList();
        Assert.True(fired.Count == 1, "timer fired more than once or never: " + what);
        Assert.True(fired[0].StepInstance == entered.StepInstance, what);
        Assert.True(fired[0].Time >= entered.Time + CrashProcess.Wait, "timer fired early: " + what);

        // The job's result was committed once.
        Assert.True(history.Count(static e => e.Type == HistoryEventType.StepCompleted && e.StepId == CrashProcess.SendStep) == 1, "job completed more than once or never: " + what);
    }

    /// <summary>What the children acknowledged, from their "ack kind instance detail" lines.</summary>
    private sealed class Acknowledged
    {
        public List<(long Id, string Key)> Starts { get; } = [];

        public Dictionary<long, (int StepInstance, string User)> Completions { get; } = [];

        public int DueRuns { get; private set; }

        public void Add(IEnumerable<string> lines)
        {
            foreach (var line in lines)
            {
                var parts = line.Split(' ');
                if (parts.Length != 4 || parts[0] != "ack")
                {
                    continue;
                }

                switch (parts[1])
                {
                    case "start":
                        Starts.Add((long.Parse(parts[2], CultureInfo.InvariantCulture), parts[3]));
                        break;
                    case "complete":
                        var detail = parts[3].Split(':');
                        Assert.True(Completions.TryAdd(long.Parse(parts[2], CultureInfo.InvariantCulture), (int.Parse(detail[1], CultureInfo.InvariantCulture), detail[2])), "two completions acknowledged for one instance: " + line);
                        break;
                    case "due":
                        DueRuns += int.Parse(parts[3], CultureInfo.InvariantCulture);
                        break;
                    default:
                        Assert.Fail("unknown acknowledgement: " + line);
                        break;
                }
            }
        }
    }
}
