using System.Globalization;

namespace ProcessKit.Benchmarks.Compare;

/// <summary>The command line of <c>compare</c>.</summary>
internal sealed record CompareOptions
{
    /// <summary>The instance counts of the full run (issue 6).</summary>
    public static readonly IReadOnlyList<int> FullCounts = [10_000, 100_000];

    /// <summary>The instance counts of <c>--quick</c>: the whole run stays under two minutes.</summary>
    public static readonly IReadOnlyList<int> QuickCounts = [1_000, 5_000];

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

    /// <summary>Whether <paramref name="engine"/> is to run: named by <c>--engine</c>, ignoring case and spaces.</summary>
    public bool Runs(IEngineUnderTest engine) =>
        Engines is null || Engines.Any(name => string.Equals(
            name.Replace(" ", "", StringComparison.Ordinal), engine.Name.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));

    /// <summary>The usage text.</summary>
    public const string Usage = """
        usage: compare [--quick] [--json FILE] [--n N...] [--scenario NAME...] [--timeout SECONDS] [--repeat R] [--engine NAME...]

          --quick            N = 1,000 and 5,000, 20 s per phase at most (the whole run under two minutes)
          --json FILE        also write the table as JSON to FILE
          --n N...           instance counts to run (default 10,000 and 100,000)
          --scenario NAME... sequential, decision, wait, parallel, memory, humantask (default: all)
          --timeout SECONDS  the longest one timed phase of one engine may take (default 120; 20 with --quick)
          --repeat R         run each engine R times per line, alternating, and show the median (default 1)
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
        List<string>? engines = null;
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

        if (counts is { Count: 0 } || scenarios is { Count: 0 } || engines is { Count: 0 })
        {
            error = "--n, --scenario and --engine need at least one value";
            return null;
        }

        return new CompareOptions
        {
            Quick = quick,
            JsonPath = json,
            Counts = counts ?? (quick ? QuickCounts : FullCounts),
            Scenarios = (IReadOnlyList<Scenario>?)scenarios ?? Enum.GetValues<Scenario>(),
            Repeat = repeat,
            Engines = engines,
            PhaseTimeout = timeout ?? (quick ? TimeSpan.FromSeconds(20) : TimeSpan.FromMinutes(2)),
        };
    }
}
