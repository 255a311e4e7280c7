using System.Globalization;

namespace ProcessKit.Benchmarks.Compare;

/// <summary>The command line of <c>compare</c>.</summary>
internal sealed record CompareOptions
{
    /// <summary>The instance counts of the full run (issue 6).</summary>
    public static readonly IReadOnlyList<int> FullCounts = [10_000, 100_000];

    /// <summary>The instance counts of <c>--quick</c>: the whole run stays under two minutes.</summary>
    public static readonly IReadOnlyList<int> QuickCounts = [1_000, 5_000];

    /// <summary>Instances per line of the durable block in the full run.</summary>
    public const int FullDurableCount = 5_000;

    /// <summary>Instances per line of the durable block with <c>--quick</c>.</summary>
    public const int QuickDurableCount = 500;

    /// <summary>Smaller counts, a shorter time limit per phase.</summary>
    public bool Quick { get; init; }

    /// <summary>Where to write the table as JSON, or <c>null</c>.</summary>
    public string? JsonPath { get; init; }

    /// <summary>The instance counts to run, in order.</summary>
    public IReadOnlyList<int> Counts { get; init; } = FullCounts;

    /// <summary>The scenarios to run, in order.</summary>
    public IReadOnlyList<Scenario> Scenarios { get; init; } = Enum.GetValues<Scenario>();

    /// <summary>The longest one timed phase of one engine may take before it is reported as timed out.</summary>
    public TimeSpan PhaseTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The engines to run (by name, case-insensitive), or <c>null</c> for all; the others show "not run".</summary>
    public IReadOnlyList<string>? Engines { get; init; }

    /// <summary>How many times each engine runs each scenario at each N (alternating); the table shows the median.</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>The least time the runs of one engine on one line add up to in the full run (<c>--min-time</c>): 1 s.</summary>
    public static readonly TimeSpan FullMinLineTime = TimeSpan.FromSeconds(1);

    /// <summary>The least time the runs of one engine on one line add up to with <c>--quick</c>: 0.1 s.</summary>
    public static readonly TimeSpan QuickMinLineTime = TimeSpan.FromSeconds(0.1);

    /// <summary>The most runs of one engine on one line that <see cref="MinLineTime"/> adds.</summary>
    public const int MaxRuns = 25;

    /// <summary>
    /// The least time (the timed phases of every run) each engine spends on each line (<c>--min-time SECONDS</c>; 1 s, 0.1 s
    /// with <c>--quick</c>, 0 for a single run): an engine whose run is shorter runs the line again, alternating with the
    /// others, up to <see cref="MaxRuns"/> runs, and the table shows the median. The memory scenario runs only
    /// <see cref="Repeat"/> times (its figure is the heap kept, not a rate).
    /// </summary>
    public TimeSpan MinLineTime { get; init; } = FullMinLineTime;

    /// <summary>
    /// The in-memory stores Workflow Core runs on, a column each (<c>--workflowcore-store list|indexed|both</c>; default
    /// both: its own provider, as issue 6 names it, then the indexed store of ours).
    /// </summary>
    public IReadOnlyList<WorkflowCore.WorkflowCoreStore> WorkflowCoreStores { get; init; } = BothWorkflowCoreStores;

    /// <summary>Workflow Core's two columns, its own provider first.</summary>
    public static readonly IReadOnlyList<WorkflowCore.WorkflowCoreStore> BothWorkflowCoreStores = [WorkflowCore.WorkflowCoreStore.List, WorkflowCore.WorkflowCoreStore.Indexed];

    /// <summary>The largest N Workflow Core runs at on its own provider by default: its lists make a run of N cost about N².</summary>
    public const int DefaultListStoreMaxCount = 10_000;

    /// <summary>
    /// The largest N Workflow Core runs at on its own provider (<c>--workflowcore-list-max-n N|none</c>; default 10,000),
    /// or <c>null</c> for no limit; its cells at larger N say "capped" and carry no figure.
    /// </summary>
    public int? ListStoreMaxCount { get; init; } = DefaultListStoreMaxCount;

    /// <summary>How every engine warms up on each scenario before its first measured line.</summary>
    public WarmUpPolicy WarmUp { get; init; } = WarmUpPolicy.Full;

    /// <summary>Whether the run has the durable block: with the in-memory scenarios (the default when no <c>--scenario</c> is given), alone, or not at all.</summary>
    public DurableMode Durable { get; init; } = DurableMode.Included;

    /// <summary>Instances per line of the durable block (<c>--durable-n</c>; 5,000, or 500 with <c>--quick</c>).</summary>
    public int DurableCount { get; init; } = FullDurableCount;

    /// <summary>Concurrent starters in the durable block (<c>--durable-starters</c>; default 64): group commit needs callers that overlap.</summary>
    public int DurableStarters { get; init; } = 64;

    /// <summary>The durable stores of the durable block (<c>--store</c>; default both).</summary>
    public IReadOnlyList<Durable.DurableStoreKind> Stores { get; init; } = Enum.GetValues<Durable.DurableStoreKind>();

    /// <summary>Whether the durable block runs: asked for, and ProcessKit among the engines.</summary>
    public bool RunsDurable => Durable != DurableMode.Skipped && (Engines is null || Engines.Any(e => string.Equals(e.Replace(" ", "", StringComparison.Ordinal), "ProcessKit", StringComparison.OrdinalIgnoreCase)));

    /// <summary>Whether <paramref name="engine"/> is to run: its family (every column of Workflow Core) named by <c>--engine</c>, ignoring case and spaces.</summary>
    public bool Runs(IEngineUnderTest engine) =>
        Engines is null || Engines.Any(name => string.Equals(
            name.Replace(" ", "", StringComparison.Ordinal), engine.Family.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));

    /// <summary>The engines of the run, in the table's column order: ProcessKit, Workflow Core on each store asked for, Stateless.</summary>
    public IReadOnlyList<IEngineUnderTest> CreateEngines() =>
    [
        new ProcessKit.ProcessKitEngine(),
        .. WorkflowCoreStores.Select(store => new WorkflowCore.WorkflowCoreEngine(store, store == WorkflowCore.WorkflowCoreStore.List ? ListStoreMaxCount : null)),
        new Stateless.StatelessEngine(),
    ];

    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage: compare [--quick] [--json FILE] [--n N...] [--scenario NAME...] [--timeout SECONDS] [--repeat R] [--min-time SECONDS]
                       [--engine NAME...]
                       [--durable | --no-durable] [--durable-n N] [--durable-starters C] [--store NAME...]
                       [--workflowcore-store list|indexed|both] [--workflowcore-list-max-n N|none]

          --quick            N = 1,000 and 5,000, 20 s per phase at most, a shorter warm-up, durable N = 500
                             (the whole run under two minutes)
          --json FILE        also write the table as JSON to FILE
          --n N...           instance counts to run (default 10,000 and 100,000)
          --scenario NAME... sequential, decision, wait, parallel, memory, humantask, taskmemory, durable (default: all;
                             when given, the durable block runs only if `durable` is listed)
          --durable          only the durable block (ProcessKit on SQLite and PostgreSQL beside plain inserts)
          --no-durable       leave the durable block out
          --durable-n N      instances per durable line (default 5,000; 500 with --quick)
          --durable-starters C  concurrent starters in the durable block (default 64)
          --store NAME...    durable stores: sqlite, postgresql (default both; PostgreSQL needs initdb and pg_ctl)
          --workflowcore-store list|indexed|both  Workflow Core's in-memory stores, a column each: `list`, its own
                             MemoryPersistenceProvider (the "Workflow Core" column, as issue 6 names it), `indexed`, the
                             same behaviour with dictionary look-ups (ours: "Workflow Core (indexed store, ours)"), or
                             `both` (default)
          --workflowcore-list-max-n N|none  the largest N Workflow Core runs at on its own provider (default 10,000:
                             its lists make a run cost about N²); its cells at larger N say "capped", never a figure
          --timeout SECONDS  the longest one timed phase of one engine may take (default 120; 20 with --quick)
          --repeat R         run each engine R times per line, alternating, and show the median (default 1)
          --min-time SECONDS  run an engine's line again (alternating, at most 25 runs) until its runs add up to this,
                             and show the median (default 1; 0.1 with --quick; 0 for R runs only); not the memory line
          --engine NAME...   only these engines: processkit, workflowcore, stateless (default: all), e.g.
                             `--n 1000000 --engine processkit` for the 1,000,000-instance line issue 6 asks of ProcessKit alone
        """;

    /// <summary>Parses the arguments after <c>compare</c>; <paramref name="error"/> says what is wrong.</summary>
    public static CompareOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var quick = false;
        string? json = null;
        List<int>? counts = null;
        List<Scenario>? scenarios = null;
        TimeSpan? timeout = null;
        var repeat = 1;
        TimeSpan? minTime = null;
        List<string>? engines = null;
        var workflowCoreStores = BothWorkflowCoreStores;
        int? listStoreMaxCount = DefaultListStoreMaxCount;
        DurableMode? durable = null;
        var durableListed = false;
        int? durableCount = null;
        var durableStarters = 64;
        List<Durable.DurableStoreKind>? stores = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--json" when i + 1 < args.Count:
                    json = args[++i];
                    break;
                case "--n":
                    counts = [];
                    while (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        var text = args[++i].Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
                        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                        {
                            error = $"--n takes positive whole numbers, not '{args[i]}'";
                            return null;
                        }

                        counts.Add(n);
                    }

                    break;
                case "--scenario":
                    scenarios = [];
                    while (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        if (string.Equals(args[i + 1], "durable", StringComparison.OrdinalIgnoreCase))
                        {
                            durableListed = true;
                            i++;
                            continue;
                        }

                        if (!Enum.TryParse<Scenario>(args[++i], ignoreCase: true, out var scenario) || !Enum.IsDefined(scenario))
                        {
                            error = $"unknown scenario '{args[i]}'";
                            return null;
                        }

                        scenarios.Add(scenario);
                    }

                    break;
                case "--timeout" when i + 1 < args.Count:
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1)
                    {
                        error = $"--timeout takes a positive number of seconds, not '{args[i]}'";
                        return null;
                    }

                    timeout = TimeSpan.FromSeconds(seconds);
                    break;
                case "--engine":
                    engines = [];
                    while (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        engines.Add(args[++i]);
                    }

                    break;
                case "--workflowcore-store" when i + 1 < args.Count:
                    if (string.Equals(args[++i], "both", StringComparison.OrdinalIgnoreCase))
                    {
                        workflowCoreStores = BothWorkflowCoreStores;
                    }
                    else if (Enum.TryParse<WorkflowCore.WorkflowCoreStore>(args[i], ignoreCase: true, out var workflowCoreStore) && Enum.IsDefined(workflowCoreStore)
                        && !int.TryParse(args[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                    {
                        workflowCoreStores = [workflowCoreStore];
                    }
                    else
                    {
                        error = $"--workflowcore-store takes list, indexed or both, not '{args[i]}'";
                        return null;
                    }

                    break;
                case "--workflowcore-list-max-n" when i + 1 < args.Count:
                    if (string.Equals(args[++i], "none", StringComparison.OrdinalIgnoreCase))
                    {
                        listStoreMaxCount = null;
                    }
                    else if (int.TryParse(args[i].Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max >= 1)
                    {
                        listStoreMaxCount = max;
                    }
                    else
                    {
                        error = $"--workflowcore-list-max-n takes a positive whole number or none, not '{args[i]}'";
                        return null;
                    }

                    break;
                case "--durable":
                    durable = DurableMode.Only;
                    break;
                case "--no-durable":
                    durable = DurableMode.Skipped;
                    break;
                case "--durable-n" when i + 1 < args.Count:
                    if (!int.TryParse(args[++i].Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var dn) || dn < 1)
                    {
                        error = $"--durable-n takes a positive whole number, not '{args[i]}'";
                        return null;
                    }

                    durableCount = dn;
                    break;
                case "--durable-starters" when i + 1 < args.Count:
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out durableStarters) || durableStarters < 1)
                    {
                        error = $"--durable-starters takes a positive whole number, not '{args[i]}'";
                        return null;
                    }

                    break;
                case "--store":
                    stores = [];
                    while (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        if (!Enum.TryParse<Durable.DurableStoreKind>(args[++i], ignoreCase: true, out var store) || !Enum.IsDefined(store))
                        {
                            error = $"unknown store '{args[i]}' (sqlite, postgresql)";
                            return null;
                        }

                        stores.Add(store);
                    }

                    break;
                case "--min-time" when i + 1 < args.Count:
                    if (!double.TryParse(args[++i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var minSeconds) || minSeconds > 600)
                    {
                        error = $"--min-time takes a number of seconds from 0 to 600, not '{args[i]}'";
                        return null;
                    }

                    minTime = TimeSpan.FromSeconds(minSeconds);
                    break;
                case "--repeat" when i + 1 < args.Count:
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out repeat) || repeat < 1)
                    {
                        error = $"--repeat takes a positive whole number, not '{args[i]}'";
                        return null;
                    }

                    break;
                default:
                    error = $"unknown or incomplete option '{args[i]}'";
                    return null;
            }
        }

        if (counts is { Count: 0 } || (scenarios is { Count: 0 } && !durableListed) || engines is { Count: 0 } || stores is { Count: 0 })
        {
            error = "--n, --scenario, --engine and --store need at least one value";
            return null;
        }

        if (durable == DurableMode.Only && scenarios is { Count: > 0 })
        {
            error = "--durable runs the durable block alone; leave out --scenario, or list `durable` among its names";
            return null;
        }

        var durableMode = durable ?? (scenarios is null ? DurableMode.Included : durableListed ? (scenarios.Count == 0 ? DurableMode.Only : DurableMode.Included) : DurableMode.Skipped);

        return new CompareOptions
        {
            Quick = quick,
            JsonPath = json,
            Counts = counts ?? (quick ? QuickCounts : FullCounts),
            Scenarios = durableMode == DurableMode.Only ? [] : (IReadOnlyList<Scenario>?)scenarios ?? Enum.GetValues<Scenario>(),
            Durable = durableMode,
            DurableCount = durableCount ?? (quick ? QuickDurableCount : FullDurableCount),
            DurableStarters = durableStarters,
            Stores = (IReadOnlyList<Durable.DurableStoreKind>?)stores ?? Enum.GetValues<Durable.DurableStoreKind>(),
            Repeat = repeat,
            MinLineTime = minTime ?? (quick ? QuickMinLineTime : FullMinLineTime),
            Engines = engines,
            WorkflowCoreStores = workflowCoreStores,
            ListStoreMaxCount = listStoreMaxCount,
            WarmUp = quick ? WarmUpPolicy.Quick : WarmUpPolicy.Full,
            PhaseTimeout = timeout ?? (quick ? TimeSpan.FromSeconds(20) : TimeSpan.FromMinutes(2)),
        };
    }
}

/// <summary>Whether a comparison run has the durable block.</summary>
internal enum DurableMode
{
    /// <summary>After the in-memory scenarios (the default).</summary>
    Included,

    /// <summary>The durable block alone (<c>--durable</c>, or <c>--scenario durable</c>).</summary>
    Only,

    /// <summary>Left out (<c>--no-durable</c>, or <c>--scenario</c> without <c>durable</c>).</summary>
    Skipped,
}
