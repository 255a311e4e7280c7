using System.Diagnostics;
using ProcessKit.Benchmarks.Compare.ProcessKit;
using ProcessKit.Persistence;
using ProcessKit.PostgreSql.Throughput;

namespace ProcessKit.Benchmarks.Compare.Durable;

/// <summary>
/// The durable block of the comparison (ProcessKit alone): on each durable store, the sequential
/// scenario (5 automated steps, start → end, one commit per instance) and the human task round trip
/// (start, query, complete: two commits) for N instances from several concurrent starters, each
/// instance timed (p50/p99), checked afterwards like every other scenario; then, on the same
/// database in the same run, N plain single-row commits and N plain rows in 512-row transactions,
/// the physical limits of that store. The PostgreSQL lines need the server binaries; without them
/// they say so (not available) and the rest of the run goes on.
/// </summary>
internal sealed class DurableRunner(CompareOptions options, TextWriter log)
{
    private static readonly Scenario[] Scenarios = [Scenario.Sequential, Scenario.HumanTask];

    /// <summary>Runs the block on every store asked for and returns its lines.</summary>
    public async Task<IReadOnlyList<DurableRow>> RunAsync(CancellationToken cancellationToken)
    {
        var rows = new List<DurableRow>();
        foreach (var kind in options.Stores)
        {
            rows.AddRange(await RunStoreAsync(kind, cancellationToken).ConfigureAwait(false));
        }

        return rows;
    }

    private async Task<IReadOnlyList<DurableRow>> RunStoreAsync(DurableStoreKind kind, CancellationToken cancellationToken)
    {
        var n = options.DurableCount;
        var starters = options.DurableStarters;
        var name = kind == DurableStoreKind.Sqlite ? "SQLite" : "PostgreSQL";
        IReadOnlyList<DurableRow> Same(EngineFigure figure) =>
            [.. Scenarios.Select(s => new DurableRow(name, s, n, starters, figure, null, null, figure, figure))];

        if (kind == DurableStoreKind.PostgreSql && ThrowawayServer.Missing is { } missing)
        {
            log.WriteLine($"  durable {name}: not available — {missing}");
            return Same(EngineFigure.NotAvailable(missing));
        }

        DurableTarget target = kind == DurableStoreKind.Sqlite ? new SqliteTarget() : new PostgreSqlTarget();
        await using (target.ConfigureAwait(false))
        {
            try
            {
                if (target is PostgreSqlTarget server)
                {
                    await server.StartAsync().ConfigureAwait(false);
                }

                var store = await target.OpenStoreAsync(cancellationToken).ConfigureAwait(false);
                log.WriteLine($"  durable {name}: {target.Description}");
                var measured = new List<(Scenario Scenario, EngineFigure Figure, double? P50, double? P99)>();
                foreach (var scenario in Scenarios)
                {
                    measured.Add(await MeasureAsync(name, store, scenario, n, starters, cancellationToken).ConfigureAwait(false));
                }

                await target.CloseStoreAsync().ConfigureAwait(false);
                var connections = 1;
                var oneRow = await TimeAsync(async token => connections = await target.PlainOneRowCommitsAsync(n, starters, token).ConfigureAwait(false), n, cancellationToken).ConfigureAwait(false);
                log.WriteLine($"  durable {name,-10} plain one-row commits, {connections} connection(s): {Describe(oneRow)}");
                var batched = await TimeAsync(token => target.PlainBatchedAsync(n, token), n, cancellationToken).ConfigureAwait(false);
                log.WriteLine($"  durable {name,-10} plain rows, {DurableTarget.BatchRows} per transaction: {Describe(batched)}");
                return [.. measured.Select(m => new DurableRow(name, m.Scenario, n, starters, m.Figure, m.P50, m.P99, oneRow, batched) { Description = target.Description })];
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var note = $"{e.GetType().Name}: {e.Message}";
                log.WriteLine($"  durable {name}: FAILED — {note}");
                return Same(new EngineFigure(Outcome.Failed, null, null, null, note));
            }
        }
    }

    private async Task<(Scenario, EngineFigure, double?, double?)> MeasureAsync(
        string name, IProcessStore store, Scenario scenario, int n, int starters, CancellationToken cancellationToken)
    {
        ProcessKitDriver driver = scenario == Scenario.HumanTask ? new HumanTaskDriver { Store = store } : new SequentialDriver { Store = store };
        await using (driver.ConfigureAwait(false))
        {
            // A warm-up through the same engine and store (not timed, checked with the rest): the
            // JIT, the connection pool and the store's prepared statements.
            var warm = Math.Clamp(n / 10, 50, 500);
            await driver.PrepareAsync(warm + n, cancellationToken).ConfigureAwait(false);
            var latencies = new long[warm + n];
            await driver.RunConcurrentlyAsync(0, warm, Math.Min(starters, warm), latencies, cancellationToken).ConfigureAwait(false);
            var figure = await TimeAsync(token => driver.RunConcurrentlyAsync(warm, warm + n, starters, latencies, token), n, cancellationToken).ConfigureAwait(false);
            if (figure.Outcome != Outcome.Measured)
            {
                log.WriteLine($"  durable {name,-10} {Phase(scenario),-13} {figure.Outcome}: {figure.Note}");
                return (scenario, figure, null, null);
            }

            var problems = await driver.VerifyAsync(cancellationToken).ConfigureAwait(false);
            if (problems.Count > 0)
            {
                var failed = new EngineFigure(Outcome.Failed, null, null, null, "wrong results: " + string.Join("; ", problems));
                log.WriteLine($"  durable {name,-10} {Phase(scenario),-13} FAILED: {failed.Note}");
                return (scenario, failed, null, null);
            }

            var times = latencies[warm..];
            Array.Sort(times);
            var p50 = Milliseconds(Percentile(times, 0.50));
            var p99 = Milliseconds(Percentile(times, 0.99));
            log.WriteLine($"  durable {name,-10} {Phase(scenario),-13} N={n,-7:N0} {starters} starters {figure.InstancesPerSecond,10:N0}/s  p50 {p50,7:N2} ms  p99 {p99,7:N2} ms {figure.BytesPerInstance,10:N0} B");
            return (scenario, figure, p50, p99);
        }
    }

    /// <summary>Times one phase of <paramref name="n"/> operations with the run's time limit.</summary>
    private async Task<EngineFigure> TimeAsync(Func<CancellationToken, Task> phase, int n, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.PhaseTimeout);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        try
        {
            await phase(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new EngineFigure(Outcome.TimedOut, null, null, clock.Elapsed.TotalSeconds, $"over {options.PhaseTimeout.TotalSeconds:N0} s");
        }

        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new EngineFigure(Outcome.Measured, n / clock.Elapsed.TotalSeconds, (double)allocated / n, clock.Elapsed.TotalSeconds, null);
    }

    /// <summary>The value at quantile <paramref name="q"/> of sorted <paramref name="sorted"/> (nearest rank).</summary>
    public static long Percentile(long[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static string Phase(Scenario scenario) => scenario == Scenario.HumanTask ? "human task" : "sequential";

    private static string Describe(EngineFigure figure) => figure.Outcome == Outcome.Measured
        ? $"{figure.InstancesPerSecond:N0} rows/s ({figure.Seconds:N2} s)"
        : $"{figure.Outcome}: {figure.Note}";
}
