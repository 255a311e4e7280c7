using System.Diagnostics;
using System.Runtime;

namespace ProcessKit.Benchmarks.Compare;

/// <summary>
/// Runs every scenario at every N on every engine in one process, alternating the engines' order
/// from one line to the next, and measures each timed phase: wall-clock time, bytes allocated on
/// every thread (<see cref="GC.GetTotalAllocatedBytes(bool)"/> deltas) and, for the memory
/// scenario, the managed heap kept after a full collection. Each engine warms up on each scenario
/// first by the same rule (<see cref="WarmUpPolicy"/>: rounds until the rate stops rising), so
/// that the figures are of optimised code rather than of JIT compilation; each figure is the median
/// of runs on fresh engines filling <see cref="CompareOptions.MinLineTime"/>. A column is not run at
/// an N above its <see cref="IEngineUnderTest.MaxCount"/> (shown as capped). A phase
/// that exceeds the time limit is reported as timed out, never as a rate.
/// </summary>
internal sealed class CompareRunner(IReadOnlyList<IEngineUnderTest> engines, CompareOptions options, TextWriter log)
{
    /// <summary>The note of an engine left out with <c>--engine</c>.</summary>
    public const string LeftOut = "left out by --engine";

    private readonly HashSet<(string Engine, Scenario Scenario)> _warm = [];
    private readonly List<WarmUpRecord> _warmUps = [];

    /// <summary>How each engine's warm-up on each scenario went, in the order they ran.</summary>
    public IReadOnlyList<WarmUpRecord> WarmUps => _warmUps;

    /// <summary>The phases of a scenario, as the table names them.</summary>
    public static IReadOnlyList<string> Phases(Scenario scenario) => scenario switch
    {
        Scenario.Wait => ["wait: park", "wait: resume"],
        Scenario.Memory => ["memory: kept"],
        Scenario.TaskMemory => ["memory: kept, open task"],
        Scenario.HumanTask => ["human task"],
        _ => [scenario.ToString().ToLowerInvariant()],
    };

    /// <summary>Runs everything and returns the table's lines.</summary>
    public async Task<IReadOnlyList<ResultRow>> RunAsync(CancellationToken cancellationToken)
    {
        var rows = new List<ResultRow>();
        var line = 0;
        foreach (var n in options.Counts)
        {
            foreach (var scenario in options.Scenarios)
            {
                var runs = engines.ToDictionary(e => e.Name, _ => new List<IReadOnlyList<EngineFigure>>());
                for (var round = 0; engines.Any(e => NeedsAnotherRun(scenario, runs[e.Name])); round++)
                {
                    var order = (line + round) % 2 == 0 ? engines : engines.Reverse().ToList();
                    foreach (var engine in order.Where(e => NeedsAnotherRun(scenario, runs[e.Name])))
                    {
                        runs[engine.Name].Add(await RunOneAsync(engine, scenario, n, cancellationToken).ConfigureAwait(false));
                    }
                }

                line += options.Repeat;
                var phases = Phases(scenario);
                for (var p = 0; p < phases.Count; p++)
                {
                    var byEngine = engines.ToDictionary(e => e.Name, e => Median(runs[e.Name].Select(r => r[p]).ToList()));
                    rows.Add(new ResultRow(scenario, phases[p], n, scenario.KeepsMemory() ? "kept" : "allocated", byEngine));
                }
            }
        }

        return rows;
    }

    /// <summary>
    /// Whether an engine runs a line once more: fewer than <see cref="CompareOptions.Repeat"/> runs so far, or (every run
    /// measured, not the memory scenario, whose figure is the heap kept) their timed phases add up to less than
    /// <see cref="CompareOptions.MinLineTime"/>, up to <see cref="CompareOptions.MaxRuns"/> runs. A line of a fast engine
    /// can last a few tens of milliseconds, where one garbage collection or one method promoted in the background moves
    /// its rate by a third; the median of several runs filling the minimum time does not.
    /// </summary>
    internal bool NeedsAnotherRun(Scenario scenario, IReadOnlyList<IReadOnlyList<EngineFigure>> runs)
    {
        if (runs.Count < options.Repeat)
        {
            return true;
        }

        return !scenario.KeepsMemory()
            && runs.Count < CompareOptions.MaxRuns
            && runs.All(r => r.All(f => f.Outcome == Outcome.Measured))
            && runs.Sum(r => r.Sum(f => f.Seconds ?? 0)) < options.MinLineTime.TotalSeconds;
    }

    /// <summary>
    /// The median of repeated runs of one phase (by rate, or by bytes kept when there is no rate);
    /// any run that did not measure wins, so a failure or a timeout is never hidden by a median.
    /// </summary>
    private static EngineFigure Median(IReadOnlyList<EngineFigure> runs)
    {
        if (runs.FirstOrDefault(f => f.Outcome != Outcome.Measured) is { } notMeasured)
        {
            return notMeasured;
        }

        var sorted = runs.OrderBy(f => f.InstancesPerSecond ?? -f.BytesPerInstance ?? 0).ToList();
        return sorted[sorted.Count / 2] with
        {
            Runs = runs.Count,
            EachRun = [.. runs.Select(f => new RunReading(f.InstancesPerSecond, f.Machine))],
        };
    }

    private async Task<IReadOnlyList<EngineFigure>> RunOneAsync(IEngineUnderTest engine, Scenario scenario, int n, CancellationToken cancellationToken)
    {
        var phases = Phases(scenario);
        if (!options.Runs(engine))
        {
            return [.. phases.Select(_ => new EngineFigure(Outcome.NotRun, null, null, null, LeftOut))];
        }

        if (engine.CreateDriver(scenario) is not { } probe)
        {
            log.WriteLine($"  {scenario,-10} N={n,-9:N0} {engine.Name}: n/a ({engine.NotAvailableReason(scenario)})");
            return [.. phases.Select(_ => EngineFigure.NotAvailable(engine.NotAvailableReason(scenario)))];
        }

        await probe.DisposeAsync().ConfigureAwait(false);
        if (engine.MaxCount is { } max && n > max)
        {
            log.WriteLine($"  {scenario,-10} N={n,-9:N0} {engine.Name}: capped at N = {max:N0}");
            return [.. phases.Select(_ => EngineFigure.Capped(n, max))];
        }

        var firstScenario = !_warm.Any(w => w.Engine == engine.Name);
        if (_warm.Add((engine.Name, scenario)) && await WarmUpAsync(engine, scenario, n, firstScenario, cancellationToken).ConfigureAwait(false) is { } bad)
        {
            return [.. phases.Select(_ => bad with { Note = "in the warm-up: " + bad.Note })];
        }

        var figures = await MeasureAsync(engine, scenario, n, cancellationToken).ConfigureAwait(false);
        for (var p = 0; p < phases.Count; p++)
        {
            var f = figures[p];
            log.WriteLine(f.Outcome == Outcome.Measured
                ? $"  {phases[p],-13} N={n,-9:N0} {engine.Name,-14} {f.InstancesPerSecond,12:N0}/s {f.BytesPerInstance,10:N0} B {f.Seconds,8:N2} s {f.MethodsCompiled,5:N0} jitted {f.Collections} machine: fill {f.Machine?.FillMs:N2} ms, arithmetic {f.Machine?.ArithmeticMs:N2} ms"
                : $"  {phases[p],-13} N={n,-9:N0} {engine.Name,-14} {f.Outcome}: {f.Note}");
        }

        return figures;
    }

    /// <summary>
    /// Runs <paramref name="engine"/>'s warm-up rounds on <paramref name="scenario"/> by <see cref="CompareOptions.WarmUp"/>
    /// (its <see cref="WarmUpPolicy.First"/>, when set, for the engine's first scenario) and records how it went; returns
    /// the figure of a round that did not measure (the engine failed), or <c>null</c>.
    /// </summary>
    private async Task<EngineFigure?> WarmUpAsync(IEngineUnderTest engine, Scenario scenario, int n, bool firstScenario, CancellationToken cancellationToken)
    {
        var policy = options.WarmUp.For(firstScenario);
        var count = policy.RoundCount(n);
        var rates = new List<double>();
        var compiled = new List<long>();
        var clock = Stopwatch.StartNew();
        while (rates.Count < policy.MinRounds || clock.Elapsed < policy.MinDuration || (!policy.IsSteady(rates, compiled) && clock.Elapsed < policy.Budget))
        {
            var jitBefore = JitInfo.GetCompiledMethodCount(currentThread: false);
            var round = await MeasureAsync(engine, scenario, count, cancellationToken).ConfigureAwait(false);
            if (round.FirstOrDefault(f => f.Outcome != Outcome.Measured) is { } bad)
            {
                log.WriteLine($"  {scenario,-10} warm-up {engine.Name}: {bad.Outcome} {bad.Note}");
                return bad;
            }

            rates.Add(round.Count * count / Math.Max(round.Sum(f => f.Seconds ?? 0), 1e-9));
            await Task.Delay(policy.Pause, cancellationToken).ConfigureAwait(false);
            compiled.Add(JitInfo.GetCompiledMethodCount(currentThread: false) - jitBefore);
        }

        var steady = policy.IsSteady(rates, compiled);
        var settling = new List<double>();
        for (var i = 0; i < policy.SettlingRuns; i++)
        {
            var run = await MeasureAsync(engine, scenario, n, cancellationToken).ConfigureAwait(false);
            if (run.FirstOrDefault(f => f.Outcome != Outcome.Measured) is { } bad)
            {
                log.WriteLine($"  {scenario,-10} settling run {engine.Name}: {bad.Outcome} {bad.Note}");
                return bad;
            }

            settling.Add(run.Count * n / Math.Max(run.Sum(f => f.Seconds ?? 0), 1e-9));
        }

        var record = new WarmUpRecord(engine.Name, scenario, count, rates, clock.Elapsed.TotalSeconds, steady, compiled)
        {
            FirstScenario = firstScenario,
            SettlingRates = settling,
        };
        _warmUps.Add(record);
        log.WriteLine($"  {scenario,-10} warm-up {engine.Name}{(record.FirstScenario ? " (first scenario)" : "")}: {rates.Count} rounds of {count:N0} in {record.Seconds:N1} s, "
            + $"{(record.Steady ? "steady" : "NOT steady")}; rates {string.Join(" ", rates.Select(r => r.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))}/s; "
            + $"methods compiled {string.Join(" ", compiled)}"
            + (settling.Count > 0 ? $"; settling run(s) at N = {n:N0}: {string.Join(" ", settling.Select(r => r.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))}/s" : ""));
        return null;
    }

    private async Task<IReadOnlyList<EngineFigure>> MeasureAsync(IEngineUnderTest engine, Scenario scenario, int n, CancellationToken cancellationToken)
    {
        var phases = Phases(scenario);
        var figures = new List<EngineFigure>();
        var driver = engine.CreateDriver(scenario)!;
        await using (driver.ConfigureAwait(false))
        {
            try
            {
                await driver.PrepareAsync(n, cancellationToken).ConfigureAwait(false);
                if (scenario.KeepsMemory())
                {
                    var before = await SettledHeapAsync(cancellationToken).ConfigureAwait(false);
                    var park = await TimeAsync(driver, driver.StartAllAsync, n, cancellationToken).ConfigureAwait(false);
                    var kept = HeapAfterFullCollection() - before;
                    figures.Add(park.Outcome == Outcome.Measured ? park with { InstancesPerSecond = null, BytesPerInstance = (double)kept / n } : park);
                }
                else
                {
                    figures.Add(await TimeAsync(driver, driver.StartAllAsync, n, cancellationToken).ConfigureAwait(false));
                    if (scenario == Scenario.Wait)
                    {
                        figures.Add(figures[0].Outcome == Outcome.Measured
                            ? await TimeAsync(driver, driver.ResumeAllAsync, n, cancellationToken).ConfigureAwait(false)
                            : new EngineFigure(Outcome.NotRun, null, null, null, "parking did not finish"));
                    }
                }

                if (figures.All(f => f.Outcome == Outcome.Measured))
                {
                    var problems = await driver.VerifyAsync(cancellationToken).ConfigureAwait(false);
                    if (problems.Count > 0)
                    {
                        var note = "wrong results: " + string.Join("; ", problems);
                        return [.. phases.Select(_ => new EngineFigure(Outcome.Failed, null, null, null, note))];
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var note = $"{e.GetType().Name}: {e.Message}" + (e.InnerException is { } inner ? $" ({inner.GetType().Name}: {inner.Message})" : "");
                return [.. phases.Select(_ => new EngineFigure(Outcome.Failed, null, null, null, note))];
            }
        }

        return figures;
    }

    private async Task<EngineFigure> TimeAsync(ScenarioDriver driver, Func<CancellationToken, Task> phase, int n, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        HeapAfterFullCollection();
        var jitBefore = JitInfo.GetCompiledMethodCount(currentThread: false);
        var collectionsBefore = GcCounts.Now();
        var machineBefore = MachineProbe.Read();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        limit.CancelAfter(options.PhaseTimeout);
        try
        {
            await phase(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            clock.Stop();
            var done = driver.Progress;
            return new EngineFigure(Outcome.TimedOut, null, null, clock.Elapsed.TotalSeconds,
                $"over {options.PhaseTimeout.TotalSeconds:N0} s ({done:N0} of {n:N0} done by then)");
        }

        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var machineAfter = MachineProbe.Read();
        return new EngineFigure(Outcome.Measured, n / clock.Elapsed.TotalSeconds, (double)allocated / n, clock.Elapsed.TotalSeconds, null)
        {
            MethodsCompiled = JitInfo.GetCompiledMethodCount(currentThread: false) - jitBefore,
            Collections = GcCounts.Now().Since(collectionsBefore),
            Machine = MachineReading.Mean(machineBefore, machineAfter),
        };
    }

    /// <summary>
    /// The heap after full collections once it stops shrinking: an engine stopped just before may
    /// still be releasing its previous run's instances for a moment (background threads ending),
    /// and counting those as the baseline would understate what the next run keeps.
    /// </summary>
    private static async Task<long> SettledHeapAsync(CancellationToken cancellationToken)
    {
        var heap = HeapAfterFullCollection();
        for (var i = 0; i < 40; i++)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            var next = HeapAfterFullCollection();
            if (Math.Abs(next - heap) < 64 * 1024)
            {
                return Math.Min(next, heap);
            }

            heap = next;
        }

        return heap;
    }

    private static long HeapAfterFullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
