using System.Globalization;
using ProcessKit.Benchmarks.Compare.Durable;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProcessKit.Benchmarks.Compare;

/// <summary>The comparison's table, as text for the console and as JSON.</summary>
internal sealed class CompareReport(IReadOnlyList<IEngineUnderTest> engines, IReadOnlyList<ResultRow> rows, CompareOptions options, string command)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // The fastest machine reading of the whole run, found once (see Factor).
    private MachineReading? _fastest;

    /// <summary>The engine every ratio is taken of.</summary>
    public const string Subject = "ProcessKit";

    /// <summary>When the run ended.</summary>
    public DateTimeOffset Date { get; } = DateTimeOffset.UtcNow;

    /// <summary>How each engine's warm-up on each scenario went (empty when none ran).</summary>
    public IReadOnlyList<WarmUpRecord> WarmUps { get; init; } = [];

    /// <summary>How to read the ratios, under the table and in the JSON.</summary>
    public const string RatioNote =
        "Ratios are ProcessKit ÷ that column, from the same line of the same run: on the /s lines rate ÷ rate (above 1× ProcessKit is faster), "
        + "on the memory line bytes kept ÷ bytes kept (below 1× ProcessKit keeps less). Compare ratios within one run, not rates across runs.";

    /// <summary>Why Workflow Core has two columns, under the table and in the JSON.</summary>
    public const string WorkflowCoreNote =
        "\"Workflow Core\" is Workflow Core on its own in-memory MemoryPersistenceProvider, as issue 6 names it: its lists are walked on every load "
        + "and save, so its rate falls as N grows. \"Workflow Core (indexed store, ours)\" is the same engine and settings on a store of ours with the "
        + "same behaviour and dictionary look-ups: what Workflow Core does when its store does not slow it down, in its favour.";

    /// <summary>The durable block's lines (empty when it did not run).</summary>
    public IReadOnlyList<DurableRow> Durable { get; init; } = [];

    /// <summary>Whether any engine failed a phase (threw, or an instance did the wrong thing).</summary>
    public bool AnyFailed => rows.Any(r => r.Engines.Values.Any(f => f.Outcome == Outcome.Failed))
        || Durable.Any(d => d.Engine.Outcome == Outcome.Failed || d.PlainOneRowCommits.Outcome == Outcome.Failed || d.PlainBatchedRows.Outcome == Outcome.Failed);

    private IEnumerable<IEngineUnderTest> Peers => engines.Where(e => e.Name != Subject);

    /// <summary>The ratio ProcessKit ÷ <paramref name="peer"/> for a row: of the rates, or of the bytes kept for the memory scenario.</summary>
    public static double? Ratio(ResultRow row, string peer)
    {
        if (!row.Engines.TryGetValue(Subject, out var subject) || !row.Engines.TryGetValue(peer, out var other)
            || subject.Outcome != Outcome.Measured || other.Outcome != Outcome.Measured)
        {
            return null;
        }

        return row.Scenario.KeepsMemory()
            ? subject.BytesPerInstance / other.BytesPerInstance
            : subject.InstancesPerSecond / other.InstancesPerSecond;
    }

    /// <summary>The table as Markdown, with the machine and the notes under it.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant, $"Run ended {Date:yyyy-MM-dd HH:mm} UTC. Command: `{command}`");
        text.AppendLine(Invariant, $"Machine: {Machine.Describe()}");
        text.AppendLine(Invariant, $"Load average (1, 5, 15 min): {LoadAverage.AtStart ?? "?"} before the run, {LoadAverage.Now() ?? "?"} after it");
        if (rows.Count > 0)
        {
            text.AppendLine(Invariant, $"Warm-up: {options.WarmUp.Describe()}. {WarmUpSummary()}");
            text.AppendLine(Invariant, $"Runs: {RunsNote()}");
            text.AppendLine(Invariant, $"How to read it: {RatioNote}");
            foreach (var engine in engines)
            {
                text.AppendLine(Invariant, $"- {engine.Name}: {engine.Description}");
            }

            text.AppendLine();
            var header = new List<string> { "scenario", "N" };
            header.AddRange(engines.Select(e => $"{e.Name} /s"));
            header.AddRange(engines.Select(e => $"{e.Name} B/inst"));
            header.AddRange(Peers.Select(p => $"{Subject} ÷ {p.Name}"));
            text.AppendLine("| " + string.Join(" | ", header) + " |");
            text.AppendLine("|" + string.Join("|", header.Select((_, i) => i == 0 ? "---" : "---:")) + "|");
            foreach (var row in rows)
            {
                var cells = new List<string> { row.Phase, row.N.ToString("N0", Invariant) };
                cells.AddRange(engines.Select(e => Cell(e, row.Engines[e.Name], f => f.InstancesPerSecond)));
                cells.AddRange(engines.Select(e => Cell(e, row.Engines[e.Name], f => f.BytesPerInstance)));
                cells.AddRange(Peers.Select(p => Ratio(row, p.Name) is { } r ? r.ToString("N2", Invariant) + "×" : "n/a"));
                text.AppendLine("| " + string.Join(" | ", cells) + " |");
            }

            text.AppendLine();
            text.AppendLine("/s: instances through the phase per second. B/inst: bytes allocated per instance during the phase (all threads); "
                + "memory: kept — managed heap kept per parked instance after a full GC. \"capped\": that column runs only up to the N it names; no figure is estimated for larger N.");
            if (engines.Any(e => e.Family != e.Name))
            {
                text.AppendLine(WorkflowCoreNote);
            }

            AppendMachineState(text);
            foreach (var row in rows)
            {
                foreach (var (name, figure) in row.Engines)
                {
                    if (figure.Outcome is Outcome.TimedOut or Outcome.Failed || (figure.Outcome is Outcome.NotRun && figure.Note != CompareRunner.LeftOut))
                    {
                        text.AppendLine(Invariant, $"- {row.Phase} N={row.N:N0} {name}: {figure.Outcome} — {figure.Note}");
                    }
                }
            }
        }

        if (Durable.Count > 0)
        {
            AppendDurable(text);
        }

        return text.ToString();
    }

    /// <summary>How to read the machine-state table, under it and in the JSON.</summary>
    public const string MachineStateNote =
        "Machine state during each figure's run: the time to fill the same 512 KB buffer 40 times (memory path) and to run 400,000 shift-and-xor "
        + "steps (arithmetic), each the mean of readings just before and just after the run, ÷ the fastest such reading in this run (1.00× = the "
        + "machine at its fastest). On a shared host the memory path can slow for stretches of 0.1–1 s while arithmetic does not, and an engine's "
        + "rate falls with it: a figure whose memory path reads well above 1.00× was probably measured while the host was slow (the reading is "
        + "the mean of two instants, an indicator, not a correction), and a ratio between two figures read in different states mixes the engines with the host.";

    /// <summary>
    /// The machine's state during each figure's run, relative to its fastest reading in the run
    /// (<see cref="MachineProbe"/>); null when the figure has no reading.
    /// </summary>
    public (double Memory, double Arithmetic)? MachineFactor(EngineFigure figure) =>
        figure.Machine is { } reading ? Factor(reading) : null;

    /// <summary>A reading relative to the fastest of the whole run (every run of every line, not only the medians).</summary>
    private (double Memory, double Arithmetic) Factor(MachineReading reading)
    {
        var fastest = _fastest ??= Fastest();
        return (reading.FillMs / fastest.FillMs, reading.ArithmeticMs / fastest.ArithmeticMs);
    }

    private MachineReading Fastest()
    {
        var readings = rows.SelectMany(r => r.Engines.Values)
            .SelectMany(f => (f.EachRun ?? []).Select(run => run.Machine).Append(f.Machine))
            .OfType<MachineReading>()
            .ToList();
        return new MachineReading(readings.Min(r => r.FillMs), readings.Min(r => r.ArithmeticMs));
    }

    /// <summary>The memory path at or under which a run counts as measured in the machine's fast state (× the run's fastest reading).</summary>
    public const double FastStateAtMost = 1.15;

    /// <summary>The memory path from which a run counts as measured in the machine's slow state (× the run's fastest reading).</summary>
    public const double SlowStateFrom = 1.25;

    /// <summary>
    /// A figure's runs split by the machine's state during each (<see cref="FastStateAtMost"/>, <see cref="SlowStateFrom"/>;
    /// runs in between, or without a reading, count in neither): how many, and the median rate of each group (null when
    /// the group is empty or the line has no rate).
    /// </summary>
    public ((int Runs, double? Median) Fast, (int Runs, double? Median) Slow, int All)? ByState(EngineFigure figure)
    {
        if (figure.EachRun is not { Count: > 0 } runs || figure.Outcome != Outcome.Measured)
        {
            return null;
        }

        (int, double?) Group(Func<double, bool> inState)
        {
            var group = runs.Where(r => r.Machine is { } m && inState(Factor(m).Memory)).ToList();
            var rates = group.Select(r => r.InstancesPerSecond).OfType<double>().Order().ToList();
            return (group.Count, MedianOf(rates));
        }

        return (Group(f => f <= FastStateAtMost), Group(f => f >= SlowStateFrom), runs.Count);
    }

    private static double? MedianOf(List<double> sorted) => sorted.Count switch
    {
        0 => null,
        var n when n % 2 == 1 => sorted[n / 2],
        var n => (sorted[(n / 2) - 1] + sorted[n / 2]) / 2,
    };

    /// <summary>The machine-state table: one line per table line, memory path ÷ arithmetic for each engine's figure.</summary>
    private void AppendMachineState(StringBuilder text)
    {
        if (!rows.Any(r => r.Engines.Values.Any(f => f.Machine is not null)))
        {
            return;
        }

        text.AppendLine();
        text.AppendLine(MachineStateNote);
        text.AppendLine();
        var header = new List<string> { "scenario", "N" };
        header.AddRange(engines.Select(e => $"{e.Name}: memory path / arithmetic"));
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Join("|", header.Select((_, i) => i == 0 ? "---" : "---:")) + "|");
        foreach (var row in rows)
        {
            var cells = new List<string> { row.Phase, row.N.ToString("N0", Invariant) };
            cells.AddRange(engines.Select(e => MachineFactor(row.Engines[e.Name]) is { } f
                ? $"{f.Memory.ToString("N2", Invariant)}× / {f.Arithmetic.ToString("N2", Invariant)}×"
                : "–"));
            text.AppendLine("| " + string.Join(" | ", cells) + " |");
        }

        text.AppendLine();
        text.AppendLine(Invariant, $"{Subject}'s runs by the machine's state during each: fast = memory path at most {FastStateAtMost:N2}× the run's fastest reading, "
            + $"slow = {SlowStateFrom:N2}× or more (runs in between are in neither); the median rate of each group. The table above gives the median of all runs.");
        text.AppendLine();
        text.AppendLine("| scenario | N | runs | fast state: runs | fast state: median /s | slow state: runs | slow state: median /s |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows.Where(r => !r.Scenario.KeepsMemory() && r.Engines.ContainsKey(Subject)))
        {
            if (ByState(row.Engines[Subject]) is { } split)
            {
                text.AppendLine(Invariant, $"| {row.Phase} | {row.N:N0} | {split.All:N0} | {split.Fast.Runs:N0} | {Rate(split.Fast.Median)} | {split.Slow.Runs:N0} | {Rate(split.Slow.Median)} |");
            }
        }

        static string Rate(double? rate) => rate is { } r ? r.ToString("N0", Invariant) : "–";
    }

    /// <summary>The durable block: its own table under the main one.</summary>
    private void AppendDurable(StringBuilder text)
    {
        text.AppendLine();
        text.AppendLine("Durable stores, ProcessKit alone (issue 6): N instances from concurrent starters, beside N plain inserts on the same database in the same run.");
        foreach (var (store, description) in Durable.Where(d => d.Description.Length > 0).Select(d => (d.Store, d.Description)).Distinct())
        {
            text.AppendLine(Invariant, $"- {store}: {description}");
        }

        text.AppendLine();
        text.AppendLine("| store | scenario | N | starters | ProcessKit /s | p50 ms | p99 ms | ProcessKit B/inst | plain one-row commits /s | plain rows in 512-row transactions /s | ÷ one-row commits | ÷ batched rows |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var d in Durable)
        {
            text.AppendLine(Invariant, $"| {d.Store} | {d.Phase} | {d.N:N0} | {d.Starters:N0} | {Cell(d.Engine, f => f.InstancesPerSecond)} | {Ms(d.P50Ms)} | {Ms(d.P99Ms)} | {Cell(d.Engine, f => f.BytesPerInstance)} | "
                + $"{Cell(d.PlainOneRowCommits, f => f.InstancesPerSecond)} | {Cell(d.PlainBatchedRows, f => f.InstancesPerSecond)} | {DurableRatio(d.Engine, d.PlainOneRowCommits)} | {DurableRatio(d.Engine, d.PlainBatchedRows)} |");
        }

        text.AppendLine();
        text.AppendLine("/s: instances (or rows) per second of wall-clock time. p50/p99: one instance's time from its start to its end (sequential) or from its start to the task completed "
            + "(human task: start, query, complete), from the starter's side. The human task commits twice per instance. SQLite's one-row commits run on one connection (one writer); "
            + "PostgreSQL's from as many connections as the engine had starters.");
        foreach (var d in Durable)
        {
            foreach (var (what, figure) in new[] { ("ProcessKit", d.Engine), ("plain one-row commits", d.PlainOneRowCommits), ("plain batched rows", d.PlainBatchedRows) })
            {
                if (figure.Outcome != Outcome.Measured && figure.Note is { } note)
                {
                    text.AppendLine(Invariant, $"- {d.Store} {d.Phase} {what}: {figure.Outcome} — {note}");
                }
            }
        }
    }

    /// <summary>ProcessKit's instances/s ÷ the plain rows/s of the same line, or "n/a".</summary>
    public static string DurableRatio(EngineFigure engine, EngineFigure plain) =>
        engine.Outcome == Outcome.Measured && plain.Outcome == Outcome.Measured && engine.InstancesPerSecond is { } e && plain.InstancesPerSecond is { } p && p > 0
            ? (e / p).ToString("N2", Invariant) + "×"
            : "n/a";

    /// <summary>How many runs each figure is the median of.</summary>
    private string RunsNote()
    {
        var counts = rows.SelectMany(r => r.Engines.Values).Where(f => f.Outcome == Outcome.Measured && f.Runs is not null).Select(f => f.Runs!.Value).ToList();
        var range = counts.Count == 0 ? "" : string.Create(Invariant, $" (here {counts.Min()} to {counts.Max()} runs per figure)");
        return string.Create(Invariant,
            $"each engine runs each line at least {options.Repeat} time(s), and again, alternating with the others, until its timed phases add up to {options.MinLineTime.TotalSeconds:0.##} s (at most {CompareOptions.MaxRuns} runs; the memory line {options.Repeat} time(s)); each figure is the median run{range}, each run a fresh engine");
    }

    /// <summary>How many warm-ups reached a steady rate, and which did not.</summary>
    private string WarmUpSummary()
    {
        if (WarmUps.Count == 0)
        {
            return "";
        }

        var unsteady = WarmUps.Where(w => !w.Steady).Select(w => $"{w.Engine} {w.Scenario.ToString().ToLowerInvariant()}").ToList();
        return string.Create(Invariant, $"{WarmUps.Count - unsteady.Count} of {WarmUps.Count} warm-ups reached a steady rate")
            + (unsteady.Count > 0 ? $" (not within the time budget: {string.Join(", ", unsteady)})." : ".");
    }

    /// <summary>A cell of the main table: the figure, or what stands in for it ("capped at N = …" names the largest N the column ran).</summary>
    private static string Cell(IEngineUnderTest engine, EngineFigure figure, Func<EngineFigure, double?> value) =>
        figure.Outcome == Outcome.Capped && engine.MaxCount is { } max
            ? string.Create(Invariant, $"capped at N = {max:N0}")
            : Cell(figure, value);

    private static string Ms(double? value) => value is { } v ? v.ToString("N2", Invariant) : "—";

    private static string Cell(EngineFigure figure, Func<EngineFigure, double?> value) => figure.Outcome switch
    {
        Outcome.Measured => value(figure) is { } v ? v.ToString("N0", Invariant) : "—",
        Outcome.NotAvailable => "n/a",
        Outcome.TimedOut => "timeout",
        Outcome.NotRun => "not run",
        Outcome.Capped => "capped",
        _ => "FAILED",
    };

    /// <summary>The same table as JSON.</summary>
    public string ToJson()
    {
        var document = new
        {
            date = Date,
            command,
            machine = Machine.Read(),
            quick = options.Quick,
            repeat = options.Repeat,
            minLineTimeSeconds = options.MinLineTime.TotalSeconds,
            runs = RunsNote(),
            phaseTimeoutSeconds = options.PhaseTimeout.TotalSeconds,
            howToRead = RatioNote,
            workflowCore = WorkflowCoreNote,
            machineState = MachineStateNote,
            fastStateAtMost = FastStateAtMost,
            slowStateFrom = SlowStateFrom,
            warmUp = new
            {
                rule = options.WarmUp.Describe(),
                instancesPerRoundAtMost = options.WarmUp.RoundSize,
                minRounds = options.WarmUp.MinRounds,
                minSeconds = options.WarmUp.MinDuration.TotalSeconds,
                window = options.WarmUp.Window,
                tolerance = options.WarmUp.Tolerance,
                quietJitMethods = options.WarmUp.QuietJit,
                pauseMs = options.WarmUp.Pause.TotalMilliseconds,
                budgetSeconds = options.WarmUp.Budget.TotalSeconds,
                runs = WarmUps,
            },
            engines = engines.Select(e => new { name = e.Name, family = e.Family, description = e.Description, maxN = e.MaxCount }),
            rows = rows.Select(r => new
            {
                scenario = r.Scenario,
                phase = r.Phase,
                n = r.N,
                bytesMeasure = r.BytesMeasure,
                engines = r.Engines.ToDictionary(e => e.Key, e => Json(e.Value)),
                machineState = r.Engines
                    .Select(e => (e.Key, Figure: e.Value, Factor: MachineFactor(e.Value)))
                    .Where(e => e.Factor is not null)
                    .ToDictionary(
                        e => e.Key,
                        e => new
                        {
                            memoryPath = e.Factor!.Value.Memory,
                            arithmetic = e.Factor!.Value.Arithmetic,
                            byState = ByState(e.Figure) is { } split
                                ? new { fastRuns = split.Fast.Runs, fastMedianPerSecond = split.Fast.Median, slowRuns = split.Slow.Runs, slowMedianPerSecond = split.Slow.Median }
                                : null,
                        }),
                ratios = Peers.ToDictionary(p => $"{Subject} ÷ {p.Name}", p => Ratio(r, p.Name)),
            }),
            durable = Durable.Select(d => new
            {
                store = d.Store,
                scenario = d.Scenario,
                phase = d.Phase,
                n = d.N,
                starters = d.Starters,
                description = d.Description,
                processKit = Json(d.Engine),
                p50Ms = d.P50Ms,
                p99Ms = d.P99Ms,
                plainOneRowCommits = Json(d.PlainOneRowCommits),
                plainBatchedRows = Json(d.PlainBatchedRows),
            }),
        };
        var serializerOptions = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        };
        return JsonSerializer.Serialize(document, serializerOptions);
    }

    private static object Json(EngineFigure figure) => new
    {
        outcome = figure.Outcome,
        instancesPerSecond = figure.InstancesPerSecond,
        bytesPerInstance = figure.BytesPerInstance,
        seconds = figure.Seconds,
        methodsCompiled = figure.MethodsCompiled,
        collections = figure.Collections,
        runs = figure.Runs,
        machine = figure.Machine is { } m ? new { fillMs = m.FillMs, arithmeticMs = m.ArithmeticMs } : null,
        eachRun = figure.EachRun?.Select(r => new { instancesPerSecond = r.InstancesPerSecond, fillMs = r.Machine?.FillMs, arithmeticMs = r.Machine?.ArithmeticMs }),
        note = figure.Note,
    };

    /// <summary>What the figures were measured on.</summary>
    private static class Machine
    {
        public static object Read() => new
        {
            cpu = CpuModel(),
            cores = Environment.ProcessorCount,
            memoryBytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            os = RuntimeInformation.OSDescription,
            runtime = RuntimeInformation.FrameworkDescription,
            gc = GCSettings.IsServerGC ? "server" : "workstation",
            loadAverageAtStart = LoadAverage.AtStart,
            loadAverageAtEnd = LoadAverage.Now(),
            concurrentGc = GCSettings.LatencyMode != GCLatencyMode.Batch,
        };

        public static string Describe() =>
            $"{CpuModel() ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} cores, "
            + $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):N0} GB memory, {RuntimeInformation.OSDescription}, "
            + $"{RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC";

        private static string? CpuModel()
        {
            const string cpuInfo = "/proc/cpuinfo";
            if (!File.Exists(cpuInfo))
            {
                return null;
            }

            return File.ReadLines(cpuInfo)
                .Where(l => l.StartsWith("model name", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
                .FirstOrDefault();
        }
    }
}
