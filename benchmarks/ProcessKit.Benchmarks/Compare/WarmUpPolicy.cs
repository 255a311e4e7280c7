namespace ProcessKit.Benchmarks.Compare;

/// <summary>
/// How every engine warms up on a scenario before its first measured line, the same rule for every engine: rounds of
/// <c>min(N, <see cref="RoundSize"/>)</c> instances (each a full run of the scenario, checked, not measured), a pause of
/// <see cref="Pause"/> after each for the background JIT, until the code is steady — each of the last <see cref="Window"/>
/// rounds (with its pause) had the JIT compile at most <see cref="QuietJit"/> methods, and the rate has stopped rising:
/// the best of those rounds no more than <see cref="Tolerance"/> above the best of the rounds before them — after at
/// least <see cref="MinRounds"/> rounds; or until <see cref="Budget"/> has passed since the warm-up began (it is then reported as
/// not steady). Tiered compilation promotes a method only after 30 calls and a quiet 100 ms, and compiles the optimised
/// code in the background: a fixed short warm-up leaves the first measured line partly on unoptimised code (ProcessKit's
/// sequential scenario needed about 20 rounds of 5,000 before its rounds stopped compiling methods). Rounds are kept
/// small because Workflow Core's own provider costs about N² per run: 4 rounds of 5,000 took it 98 s at load 85.
/// </summary>
/// <param name="RoundSize">The most instances one round runs.</param>
/// <param name="MinRounds">The fewest rounds.</param>
/// <param name="Window">How many of the last rounds must not beat the earlier best.</param>
/// <param name="Tolerance">How much faster than the earlier best (a fraction) a recent round may be and still count as steady.</param>
/// <param name="Pause">The pause after each round.</param>
/// <param name="Budget">The longest the warm-up of one engine and scenario goes on, counted from its start, once <paramref name="MinRounds"/> are done.</param>
internal sealed record WarmUpPolicy(int RoundSize, int MinRounds, int Window, double Tolerance, TimeSpan Pause, TimeSpan Budget)
{
    /// <summary>The most methods a round (with its pause) may have the JIT compile and still count as run on steady code; 10 unless set.</summary>
    public int QuietJit { get; init; } = 10;

    /// <summary>
    /// The shortest warm-up, whatever the rounds show; zero unless set. A few quick rounds can look steady while still on
    /// unoptimised code (the JIT promotes methods in the background a while after they get hot): ProcessKit's sequential
    /// scenario, the first of the run, once read 4 rounds at about 85,000/s with nothing compiled and was then measured at
    /// a quarter of its steady rate.
    /// </summary>
    public TimeSpan MinDuration { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Runs of the line's full size after the rounds, not measured (0 unless set). The first run at full size after an
    /// engine's first warm-up was often the slow one (session 13, at loads of 25–50: 8,152/s, then 496,672/s and 24 more
    /// runs at 223,000–555,000/s), and when it lasts longer than <see cref="CompareOptions.MinLineTime"/> it is the only run.
    /// </summary>
    public int SettlingRuns { get; init; }

    /// <summary>
    /// The rule for an engine's first scenario, or <c>null</c> to use this one for every scenario (the full run's rule
    /// already waits for steady code). The first scenario an engine runs is where its shared code (and, for the first
    /// engine of the run, the runtime's own) is compiled and promoted to optimised code: <c>--quick</c>'s short rule left
    /// ProcessKit's first line (sequential at N = 1,000) measured on code still being promoted, well below a later run of
    /// the same scenario, so <c>--quick</c> warms each engine's first scenario by the full run's steadiness test.
    /// </summary>
    public WarmUpPolicy? First { get; init; }

    /// <summary>The rule for one warm-up: <see cref="First"/> for the engine's first scenario when set, else this one.</summary>
    public WarmUpPolicy For(bool firstScenario) => firstScenario && First is { } first ? first : this;

    /// <summary>The full run's warm-up: rounds of up to 2,000 instances, at least 3 and at least 1.5 s, steady over 2 rounds (at most 20 methods compiled in each, rate within 5%), at most 12 s.</summary>
    public static readonly WarmUpPolicy Full = new(2_000, 3, 2, 0.05, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(12)) { QuietJit = 20, MinDuration = TimeSpan.FromSeconds(1.5) };

    /// <summary>
    /// <c>--quick</c>'s rule for each engine's first scenario: the full run's steadiness test (at least 3 rounds and 1.5 s,
    /// at most 20 methods compiled in each of the last 2 rounds, rate within 5%) on rounds of up to 1,000 instances, at
    /// most 6 s (the full run's 12 s would push <c>--quick</c> past two minutes when an engine never settles), then one
    /// settling run at the line's size.
    /// </summary>
    public static readonly WarmUpPolicy QuickFirst = new(1_000, 3, 2, 0.05, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(6))
    {
        QuietJit = 20,
        MinDuration = TimeSpan.FromSeconds(1.5),
        SettlingRuns = 1,
    };

    /// <summary>
    /// The warm-up of <c>--quick</c>: rounds of up to 1,000 instances, at least 3 and at least 0.5 s, steady over 2 rounds
    /// (at most 10 methods compiled in each, rate within 10%), at most 2 s; each engine's first scenario by the full
    /// run's test (<see cref="QuickFirst"/>).
    /// </summary>
    public static readonly WarmUpPolicy Quick = new(1_000, 3, 2, 0.10, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2))
    {
        QuietJit = 10,
        MinDuration = TimeSpan.FromSeconds(0.5),
        First = QuickFirst,
    };

    /// <summary>The instances of one round at line size <paramref name="n"/>.</summary>
    public int RoundCount(int n) => Math.Min(n, RoundSize);

    /// <summary>
    /// Whether the rounds so far have reached steady code: the rates (instances/s, in order) have stopped rising, and
    /// each of the last rounds compiled (<paramref name="methodsCompiled"/>, per round) at most <see cref="QuietJit"/> methods.
    /// </summary>
    public bool IsSteady(IReadOnlyList<double> rates, IReadOnlyList<long> methodsCompiled)
    {
        if (rates.Count < Math.Max(MinRounds, Window + 1) || methodsCompiled.Count < Window || methodsCompiled.Skip(methodsCompiled.Count - Window).Any(m => m > QuietJit))
        {
            return false;
        }

        var earlier = rates.Take(rates.Count - Window).Max();
        var recent = rates.Skip(rates.Count - Window).Max();
        return recent <= earlier * (1 + Tolerance);
    }

    /// <summary>The rule in one sentence, for the table's header.</summary>
    public string Describe() => (First is { } first
        ? $"{DescribeOne()}; each engine's first scenario instead: {first.DescribeOne()}"
        : DescribeOne()) + "; the same rule for every engine";

    private string DescribeOne() =>
        $"before its first measured line each engine runs each scenario in unmeasured rounds of min(N, {RoundSize:N0}) instances "
        + $"with a {Pause.TotalMilliseconds:N0} ms pause after each, at least {MinRounds} rounds{(MinDuration > TimeSpan.Zero ? $" and {MinDuration.TotalSeconds:0.#} s" : "")}, until steady code — in each of the last {Window} rounds "
        + $"the JIT compiled at most {QuietJit} methods, and their best rate is within {Tolerance * 100:N0}% of the best before them — or {Budget.TotalSeconds:N0} s "
        + "have passed" + (SettlingRuns > 0 ? $", then {SettlingRuns} unmeasured run(s) at N" : "");
}
