using System.Text.Json;
using ProcessKit.Benchmarks.Compare;

namespace ProcessKit.Benchmarks.Tests;

/// <summary>The warm-up rule, the capped column and the table's text and JSON shape; no time is asserted.</summary>
public sealed class WarmUpAndReportTests
{
    private static readonly WarmUpPolicy Rule = new(100, 3, 2, 0.05, TimeSpan.Zero, TimeSpan.FromSeconds(30)) { QuietJit = 10 };

    private static CompareOptions Options(params string[] args) =>
        (CompareOptions.Parse(args, out var error) ?? throw new InvalidOperationException(error))
        with { WarmUp = new WarmUpPolicy(50, 3, 2, 0.05, TimeSpan.Zero, TimeSpan.FromMilliseconds(50)), MinLineTime = TimeSpan.Zero };

    [Fact]
    public void Rates_that_still_rise_are_not_steady()
    {
        Assert.False(Rule.IsSteady([100, 200, 300, 400], [0, 0, 0, 0]));
    }

    [Fact]
    public void Rates_that_stopped_rising_with_a_quiet_JIT_are_steady()
    {
        Assert.True(Rule.IsSteady([100, 400, 390, 402], [900, 40, 3, 0]));
    }

    [Fact]
    public void A_round_that_still_compiles_many_methods_is_not_steady_however_flat_the_rates()
    {
        Assert.False(Rule.IsSteady([400, 400, 400, 400], [900, 40, 0, 11]));
    }

    [Fact]
    public void Fewer_rounds_than_the_minimum_are_never_steady()
    {
        Assert.False(Rule.IsSteady([400, 400], [0, 0]));
        Assert.False(Rule.IsSteady([], []));
    }

    [FsCheck.Xunit.Property]
    public bool A_last_round_faster_than_every_earlier_one_by_more_than_the_tolerance_is_never_steady(FsCheck.NonEmptyArray<FsCheck.PositiveInt> earlier)
    {
        var rates = earlier.Get.Select(r => (double)r.Get).ToList();
        rates.Add(rates.Max() * (1 + Rule.Tolerance) * 1.01);
        return !Rule.IsSteady(rates, [.. rates.Select(_ => 0L)]);
    }

    [Fact]
    public async Task Every_engine_warms_up_once_per_scenario_by_the_same_rule_before_its_first_measured_line()
    {
        var options = Options("--n", "30", "80", "--scenario", "sequential", "wait");
        FakeEngine subject = new("ProcessKit"), peer = new("Peer");

        var runner = new CompareRunner([subject, peer], options, TextWriter.Null);
        var rows = await runner.RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(6, rows.Count);
        Assert.Equal(4, runner.WarmUps.Count);
        Assert.All(runner.WarmUps, w =>
        {
            Assert.Equal(30, w.InstancesPerRound);
            Assert.True(w.Rates.Count >= options.WarmUp.MinRounds);
            Assert.Equal(w.Rates.Count, w.MethodsCompiled.Count);
        });
        foreach (var engine in (FakeEngine[])[subject, peer])
        {
            // Warm-up rounds at min(N, 50) = 30, then one measured run per line; nothing warms up again at N = 80.
            Assert.Equal([30, 80], engine.Prepared.Distinct());
            Assert.Equal(2, engine.Prepared.Count(n => n != 30));
        }

        Assert.All(rows, r => Assert.All(r.Engines.Values, f => Assert.Equal(Outcome.Measured, f.Outcome)));
        Assert.All(rows, r => Assert.All(r.Engines.Values, f => Assert.NotNull(f.MethodsCompiled)));
    }

    [Fact]
    public async Task An_engine_that_fails_in_its_warm_up_is_reported_failed_without_a_measured_run()
    {
        var options = Options("--n", "30", "--scenario", "sequential");
        var broken = new FakeEngine("Peer", wrong: true);

        var rows = await new CompareRunner([new FakeEngine("ProcessKit"), broken], options, TextWriter.Null).RunAsync(TestContext.Current.CancellationToken);

        var figure = Assert.Single(rows).Engines["Peer"];
        Assert.Equal(Outcome.Failed, figure.Outcome);
        Assert.StartsWith("in the warm-up: wrong results", figure.Note, StringComparison.Ordinal);
        Assert.Single(broken.Prepared);
    }

    [Fact]
    public async Task A_capped_column_is_not_run_above_its_N_and_the_table_names_the_N_it_ran()
    {
        var options = Options("--n", "30", "80", "--scenario", "sequential", "memory");
        FakeEngine subject = new("ProcessKit"), own = new("Workflow Core", "Workflow Core", maxCount: 30), indexed = new("Workflow Core (indexed store, ours)", "Workflow Core");

        var runner = new CompareRunner([subject, own, indexed], options, TextWriter.Null);
        var rows = await runner.RunAsync(TestContext.Current.CancellationToken);
        var report = new CompareReport([subject, own, indexed], rows, options, "compare --n 30 80") { WarmUps = runner.WarmUps };
        var text = report.ToText();

        Assert.DoesNotContain(80, own.Prepared);
        Assert.Contains(80, indexed.Prepared);
        Assert.All(rows.Where(r => r.N == 80), r => Assert.Equal(Outcome.Capped, r.Engines["Workflow Core"].Outcome));
        Assert.All(rows.Where(r => r.N == 30), r => Assert.Equal(Outcome.Measured, r.Engines["Workflow Core"].Outcome));
        Assert.Null(CompareReport.Ratio(rows.First(r => r.N == 80), "Workflow Core"));
        Assert.NotNull(CompareReport.Ratio(rows.First(r => r.N == 80), "Workflow Core (indexed store, ours)"));
        Assert.Contains("| sequential | 80 | ", text, StringComparison.Ordinal);
        Assert.Contains("capped at N = 30", text, StringComparison.Ordinal);
        Assert.Contains("| scenario | N | ProcessKit /s | Workflow Core /s | Workflow Core (indexed store, ours) /s |", text, StringComparison.Ordinal);
        Assert.Contains("| ProcessKit ÷ Workflow Core | ProcessKit ÷ Workflow Core (indexed store, ours) |", text, StringComparison.Ordinal);
        Assert.False(report.AnyFailed);
    }

    [Fact]
    public async Task The_table_says_when_where_and_how_it_was_measured_and_how_to_read_it()
    {
        var options = Options("--n", "30", "--scenario", "sequential");
        FakeEngine subject = new("ProcessKit"), peer = new("Workflow Core (indexed store, ours)", "Workflow Core");
        var runner = new CompareRunner([subject, peer], options, TextWriter.Null);
        var rows = await runner.RunAsync(TestContext.Current.CancellationToken);
        LoadAverage.RecordStart();

        var text = new CompareReport([subject, peer], rows, options, "compare --n 30") { WarmUps = runner.WarmUps }.ToText();

        Assert.Contains("Run ended ", text, StringComparison.Ordinal);
        Assert.Contains(" UTC. Command: `compare --n 30`", text, StringComparison.Ordinal);
        Assert.Contains($"{Environment.ProcessorCount} cores", text, StringComparison.Ordinal);
        Assert.Contains(" GB memory", text, StringComparison.Ordinal);
        Assert.Contains(System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, text, StringComparison.Ordinal);
        Assert.Contains("Load average (1, 5, 15 min): ", text, StringComparison.Ordinal);
        Assert.Contains(" before the run, ", text, StringComparison.Ordinal);
        Assert.Contains("Warm-up: " + options.WarmUp.Describe(), text, StringComparison.Ordinal);
        Assert.Contains("2 warm-ups", text, StringComparison.Ordinal);
        Assert.Contains(CompareReport.RatioNote, text, StringComparison.Ordinal);
        Assert.Contains(CompareReport.WorkflowCoreNote, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_JSON_has_the_machine_the_warm_up_every_column_and_a_ratio_against_each_peer()
    {
        var options = Options("--n", "30", "80", "--scenario", "sequential");
        FakeEngine subject = new("ProcessKit"), own = new("Workflow Core", "Workflow Core", maxCount: 30), indexed = new("Workflow Core (indexed store, ours)", "Workflow Core");
        var runner = new CompareRunner([subject, own, indexed], options, TextWriter.Null);
        var rows = await runner.RunAsync(TestContext.Current.CancellationToken);

        using var json = JsonDocument.Parse(new CompareReport([subject, own, indexed], rows, options, "compare") { WarmUps = runner.WarmUps }.ToJson());
        var root = json.RootElement;

        foreach (var key in (string[])["date", "command", "machine", "howToRead", "workflowCore", "warmUp", "engines", "rows", "durable"])
        {
            Assert.True(root.TryGetProperty(key, out _), key);
        }

        var machine = root.GetProperty("machine");
        Assert.Equal(Environment.ProcessorCount, machine.GetProperty("cores").GetInt32());
        Assert.True(machine.GetProperty("memoryBytes").GetInt64() > 0);
        Assert.True(machine.TryGetProperty("loadAverageAtStart", out _));
        Assert.True(machine.TryGetProperty("loadAverageAtEnd", out _));
        Assert.True(machine.TryGetProperty("runtime", out _));

        var warmUp = root.GetProperty("warmUp");
        Assert.Equal(50, warmUp.GetProperty("instancesPerRoundAtMost").GetInt32());
        Assert.Equal(3, warmUp.GetProperty("runs").GetArrayLength());
        var run = warmUp.GetProperty("runs")[0];
        Assert.Equal(run.GetProperty("rounds").GetInt32(), run.GetProperty("rates").GetArrayLength());
        Assert.Equal(run.GetProperty("rounds").GetInt32(), run.GetProperty("methodsCompiled").GetArrayLength());
        Assert.Contains(run.GetProperty("steady").ValueKind, (JsonValueKind[])[JsonValueKind.True, JsonValueKind.False]);
        Assert.Equal(30, run.GetProperty("instancesPerRound").GetInt32());

        var engines = root.GetProperty("engines").EnumerateArray().ToList();
        Assert.Equal(["ProcessKit", "Workflow Core", "Workflow Core (indexed store, ours)"], engines.Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(30, engines[1].GetProperty("maxN").GetInt32());
        Assert.Equal(JsonValueKind.Null, engines[2].GetProperty("maxN").ValueKind);
        Assert.Equal("Workflow Core", engines[2].GetProperty("family").GetString());

        var at80 = root.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("n").GetInt32() == 80);
        Assert.Equal("capped", at80.GetProperty("engines").GetProperty("Workflow Core").GetProperty("outcome").GetString());
        var ratios = at80.GetProperty("ratios");
        Assert.Equal(JsonValueKind.Null, ratios.GetProperty("ProcessKit ÷ Workflow Core").ValueKind);
        Assert.Equal(JsonValueKind.Number, ratios.GetProperty("ProcessKit ÷ Workflow Core (indexed store, ours)").ValueKind);
        Assert.Equal(JsonValueKind.Number, at80.GetProperty("engines").GetProperty("ProcessKit").GetProperty("methodsCompiled").ValueKind);
    }

    [Fact]
    public async Task Each_engine_s_first_scenario_warms_up_by_the_first_rule_and_its_other_scenarios_by_the_run_s_rule()
    {
        // No minimum time and no budget: each warm-up runs exactly its rule's minimum number of rounds.
        var options = Options("--n", "30", "--scenario", "sequential", "wait", "parallel") with
        {
            WarmUp = new WarmUpPolicy(50, 3, 2, 0.05, TimeSpan.Zero, TimeSpan.Zero) { First = new WarmUpPolicy(50, 6, 2, 0.05, TimeSpan.Zero, TimeSpan.Zero) },
        };

        var runner = new CompareRunner([new FakeEngine("ProcessKit"), new FakeEngine("Peer")], options, TextWriter.Null);
        await runner.RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(6, runner.WarmUps.Count);
        Assert.All(runner.WarmUps, w => Assert.Equal(w.Scenario == Scenario.Sequential, w.FirstScenario));
        Assert.All(runner.WarmUps, w => Assert.Equal(w.FirstScenario ? 6 : 3, w.Rounds));
    }

    [Fact]
    public async Task A_line_shorter_than_the_minimum_time_is_run_again_up_to_the_most_runs_but_the_memory_line_is_not()
    {
        var options = Options("--n", "30", "--scenario", "sequential", "memory") with { MinLineTime = TimeSpan.FromHours(1) };
        var subject = new FakeEngine("ProcessKit");

        var rows = await new CompareRunner([subject], options, TextWriter.Null).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal(CompareOptions.MaxRuns, rows.Single(r => r.Scenario == Scenario.Sequential).Engines["ProcessKit"].Runs);
        Assert.Equal(1, rows.Single(r => r.Scenario == Scenario.Memory).Engines["ProcessKit"].Runs);
    }

    [Fact]
    public async Task Without_a_minimum_time_each_line_runs_as_often_as_repeat_says()
    {
        var options = Options("--n", "30", "--scenario", "sequential", "wait", "--repeat", "3");
        FakeEngine subject = new("ProcessKit"), peer = new("Peer");

        var rows = await new CompareRunner([subject, peer], options, TextWriter.Null).RunAsync(TestContext.Current.CancellationToken);

        Assert.All(rows, r => Assert.All(r.Engines.Values, f => Assert.Equal(3, f.Runs)));
    }

    [Fact]
    public void An_engine_runs_a_line_again_only_while_its_measured_runs_add_up_to_less_than_the_minimum_time()
    {
        var options = Options("--n", "30") with { MinLineTime = TimeSpan.FromSeconds(1) };
        var runner = new CompareRunner([], options, TextWriter.Null);
        static IReadOnlyList<EngineFigure> Run(double seconds, Outcome outcome = Outcome.Measured) =>
            [new EngineFigure(outcome, outcome == Outcome.Measured ? 100 : null, 10, seconds, null), new EngineFigure(Outcome.Measured, 100, 10, seconds, null)];

        Assert.True(runner.NeedsAnotherRun(Scenario.Wait, []));
        Assert.True(runner.NeedsAnotherRun(Scenario.Wait, [Run(0.2)]));
        Assert.False(runner.NeedsAnotherRun(Scenario.Wait, [Run(0.2), Run(0.3)]));
        Assert.False(runner.NeedsAnotherRun(Scenario.Wait, [Run(0.1, Outcome.TimedOut)]));
        Assert.False(runner.NeedsAnotherRun(Scenario.Memory, [Run(0.01)]));
        Assert.False(runner.NeedsAnotherRun(Scenario.Sequential, [.. Enumerable.Range(0, CompareOptions.MaxRuns).Select(_ => Run(0.001))]));
    }

    [Fact]
    public async Task The_table_and_the_JSON_say_how_many_runs_each_figure_is_the_median_of_and_the_collections_during_it()
    {
        var options = Options("--n", "30", "--scenario", "sequential", "--repeat", "2");
        var subject = new FakeEngine("ProcessKit");
        var runner = new CompareRunner([subject], options, TextWriter.Null);
        var rows = await runner.RunAsync(TestContext.Current.CancellationToken);
        var report = new CompareReport([subject], rows, options, "compare") { WarmUps = runner.WarmUps };

        Assert.Contains("each figure is the median run (here 2 to 2 runs per figure)", report.ToText(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(report.ToJson());
        var figure = json.RootElement.GetProperty("rows")[0].GetProperty("engines").GetProperty("ProcessKit");
        Assert.Equal(2, figure.GetProperty("runs").GetInt32());
        Assert.True(figure.GetProperty("collections").GetProperty("gen0").GetInt32() >= 0);
        Assert.Equal(0, json.RootElement.GetProperty("minLineTimeSeconds").GetDouble());
    }

    [Fact]
    public async Task Each_measured_figure_carries_the_machine_s_state_during_its_run_and_the_report_relates_it_to_the_fastest_reading()
    {
        var options = Options("--n", "30", "--scenario", "sequential", "memory");
        FakeEngine subject = new("ProcessKit"), peer = new("Workflow Core (indexed store, ours)", "Workflow Core");
        var runner = new CompareRunner([subject, peer], options, TextWriter.Null);
        var rows = await runner.RunAsync(TestContext.Current.CancellationToken);
        var report = new CompareReport([subject, peer], rows, options, "compare") { WarmUps = runner.WarmUps };

        var figures = rows.SelectMany(r => r.Engines.Values).ToList();
        Assert.All(figures, f => Assert.True(f.Machine is { FillMs: > 0, ArithmeticMs: > 0 }));
        var factors = figures.Select(f => report.MachineFactor(f)!.Value).ToList();
        Assert.All(factors, f => Assert.True(f.Memory >= 1 && f.Arithmetic >= 1));
        Assert.Contains(factors, f => f.Memory == 1);
        Assert.Contains(factors, f => f.Arithmetic == 1);

        var text = report.ToText();
        Assert.Contains("| scenario | N | ProcessKit: memory path / arithmetic | Workflow Core (indexed store, ours): memory path / arithmetic |", text, StringComparison.Ordinal);
        Assert.Contains(CompareReport.MachineStateNote, text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(report.ToJson());
        var row = json.RootElement.GetProperty("rows")[0];
        Assert.True(row.GetProperty("engines").GetProperty("ProcessKit").GetProperty("machine").GetProperty("fillMs").GetDouble() > 0);
        Assert.True(row.GetProperty("machineState").GetProperty("ProcessKit").GetProperty("memoryPath").GetDouble() >= 1);
    }

    [Fact]
    public void The_machine_state_of_a_figure_is_its_reading_over_the_fastest_reading_of_the_run()
    {
        static EngineFigure Figure(double fill, double arithmetic) =>
            new(Outcome.Measured, 100, 10, 0.1, null) { Machine = new MachineReading(fill, arithmetic) };
        FakeEngine subject = new("ProcessKit"), peer = new("Stateless", "Stateless");
        var slow = Figure(0.6, 2.0);
        var fast = Figure(0.4, 2.1);
        var unread = new EngineFigure(Outcome.NotAvailable, null, null, null, "n/a");
        var rows = new[]
        {
            new ResultRow(Scenario.Sequential, "sequential", 10, "allocated", new Dictionary<string, EngineFigure> { ["ProcessKit"] = slow, ["Stateless"] = fast }),
            new ResultRow(Scenario.Decision, "decision", 10, "allocated", new Dictionary<string, EngineFigure> { ["ProcessKit"] = fast, ["Stateless"] = unread }),
        };
        var report = new CompareReport([subject, peer], rows, Options("--n", "10"), "compare");

        Assert.Equal(1.5, report.MachineFactor(slow)!.Value.Memory, 9);
        Assert.Equal(1.0, report.MachineFactor(slow)!.Value.Arithmetic, 9);
        Assert.Equal(1.0, report.MachineFactor(fast)!.Value.Memory, 9);
        Assert.Equal(1.05, report.MachineFactor(fast)!.Value.Arithmetic, 9);
        Assert.Null(report.MachineFactor(unread));
        var text = report.ToText();
        Assert.Contains("| sequential | 10 | 1.50× / 1.00× | 1.00× / 1.05× |", text, StringComparison.Ordinal);
        Assert.Contains("| decision | 10 | 1.00× / 1.05× | – |", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_subject_s_runs_are_split_by_the_machine_s_state_with_the_median_rate_of_each_group()
    {
        static RunReading Run(double rate, double fill) => new(rate, new MachineReading(fill, 1.0));
        RunReading[] runs = [Run(600, 0.40), Run(640, 0.44), Run(620, 0.45), Run(500, 0.48), Run(400, 0.52), Run(380, 0.60), new(700, null)];
        var figure = new EngineFigure(Outcome.Measured, 600, 10, 0.1, null) { Machine = new MachineReading(0.40, 1.0), EachRun = runs, Runs = runs.Length };
        var row = new ResultRow(Scenario.Sequential, "sequential", 10, "allocated", new Dictionary<string, EngineFigure> { ["ProcessKit"] = figure });
        var report = new CompareReport([new FakeEngine("ProcessKit")], [row], Options("--n", "10"), "compare");

        var split = report.ByState(figure)!.Value;

        // Fastest 0.40: fast (≤ 1.15×, 0.46) holds 600, 640, 620; slow (≥ 1.25×, 0.50) holds 400, 380; 0.48 and the unread run are in neither.
        Assert.Equal(7, split.All);
        Assert.Equal((3, (double?)620), split.Fast);
        Assert.Equal((2, (double?)390), split.Slow);
        var text = report.ToText();
        Assert.Contains("| sequential | 10 | 7 | 3 | 620 | 2 | 390 |", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(report.ToJson());
        var byState = json.RootElement.GetProperty("rows")[0].GetProperty("machineState").GetProperty("ProcessKit").GetProperty("byState");
        Assert.Equal(3, byState.GetProperty("fastRuns").GetInt32());
        Assert.Equal(390, byState.GetProperty("slowMedianPerSecond").GetDouble());
        Assert.Equal(7, json.RootElement.GetProperty("rows")[0].GetProperty("engines").GetProperty("ProcessKit").GetProperty("eachRun").GetArrayLength());
    }

    [Fact]
    public async Task A_figure_keeps_every_run_it_is_the_median_of_with_the_machine_s_state_during_each()
    {
        var options = Options("--n", "30", "--scenario", "sequential", "--repeat", "3");
        var subject = new FakeEngine("ProcessKit");
        var rows = await new CompareRunner([subject], options, TextWriter.Null).RunAsync(TestContext.Current.CancellationToken);

        var figure = Assert.Single(rows).Engines["ProcessKit"];
        Assert.Equal(3, figure.EachRun!.Count);
        Assert.All(figure.EachRun, r => Assert.True(r.InstancesPerSecond > 0 && r.Machine is { FillMs: > 0 }));
        Assert.Contains(figure.EachRun, r => r.InstancesPerSecond == figure.InstancesPerSecond);
    }

    [Fact]
    public async Task A_settling_run_at_the_line_s_size_follows_the_rounds_of_a_warm_up_whose_rule_asks_for_one()
    {
        var options = Options("--n", "80", "--scenario", "sequential", "parallel") with
        {
            WarmUp = new WarmUpPolicy(50, 3, 2, 0.05, TimeSpan.Zero, TimeSpan.Zero) { First = new WarmUpPolicy(50, 3, 2, 0.05, TimeSpan.Zero, TimeSpan.Zero) { SettlingRuns = 1 } },
        };
        var subject = new FakeEngine("ProcessKit");

        var runner = new CompareRunner([subject], options, TextWriter.Null);
        await runner.RunAsync(TestContext.Current.CancellationToken);

        // First scenario: 3 rounds of 50, the settling run at 80, the measured run; then 3 rounds of 50 and the measured run.
        Assert.Equal([50, 50, 50, 80, 80, 50, 50, 50, 80], subject.Prepared);
        Assert.Single(runner.WarmUps[0].SettlingRates);
        Assert.Empty(runner.WarmUps[1].SettlingRates);
    }
}
