using ProcessKit.Benchmarks.Compare;
using ProcessKit.Benchmarks.Compare.Durable;
using ProcessKit.Benchmarks.Compare.WorkflowCore;

namespace ProcessKit.Benchmarks.Tests;

public sealed class CompareOptionsTests
{
    private static CompareOptions Parse(params string[] args) =>
        CompareOptions.Parse(args, out var error) ?? throw new InvalidOperationException(error);

    private static string Refused(params string[] args)
    {
        Assert.Null(CompareOptions.Parse(args, out var error));
        return error!;
    }

    [Fact]
    public void The_full_run_has_every_scenario_and_the_durable_block_on_both_stores()
    {
        var options = Parse();

        Assert.Equal(Enum.GetValues<Scenario>(), options.Scenarios);
        Assert.Equal(DurableMode.Included, options.Durable);
        Assert.True(options.RunsDurable);
        Assert.Equal(CompareOptions.FullDurableCount, options.DurableCount);
        Assert.Equal(64, options.DurableStarters);
        Assert.Equal([DurableStoreKind.Sqlite, DurableStoreKind.PostgreSql], options.Stores);
        Assert.Equal([WorkflowCoreStore.List, WorkflowCoreStore.Indexed], options.WorkflowCoreStores);
        Assert.Equal(CompareOptions.DefaultListStoreMaxCount, options.ListStoreMaxCount);
        Assert.Same(WarmUpPolicy.Full, options.WarmUp);
    }

    [Fact]
    public void Quick_runs_a_shorter_durable_block()
    {
        var options = Parse("--quick");

        Assert.Equal(DurableMode.Included, options.Durable);
        Assert.Equal(CompareOptions.QuickDurableCount, options.DurableCount);
        Assert.True(options.DurableCount < CompareOptions.FullDurableCount);
    }

    [Fact]
    public void Durable_alone_runs_no_in_memory_scenario()
    {
        var options = Parse("--durable");

        Assert.Equal(DurableMode.Only, options.Durable);
        Assert.Empty(options.Scenarios);
        Assert.True(options.RunsDurable);
    }

    [Fact]
    public void Durable_listed_alone_among_the_scenarios_is_the_same_as_the_durable_switch()
    {
        var options = Parse("--scenario", "durable");

        Assert.Equal(DurableMode.Only, options.Durable);
        Assert.Empty(options.Scenarios);
    }

    [Fact]
    public void Durable_listed_with_other_scenarios_runs_them_and_the_block()
    {
        var options = Parse("--scenario", "wait", "Durable", "memory");

        Assert.Equal(DurableMode.Included, options.Durable);
        Assert.Equal([Scenario.Wait, Scenario.Memory], options.Scenarios);
    }

    [Fact]
    public void Scenarios_named_without_durable_leave_the_block_out()
    {
        var options = Parse("--scenario", "sequential");

        Assert.Equal(DurableMode.Skipped, options.Durable);
        Assert.False(options.RunsDurable);
    }

    [Fact]
    public void No_durable_leaves_the_block_out_of_the_full_run()
    {
        var options = Parse("--no-durable");

        Assert.Equal(DurableMode.Skipped, options.Durable);
        Assert.False(options.RunsDurable);
        Assert.Equal(Enum.GetValues<Scenario>(), options.Scenarios);
    }

    [Fact]
    public void The_durable_count_starters_and_stores_are_taken_from_the_command_line()
    {
        var options = Parse("--durable", "--durable-n", "2,000", "--durable-starters", "16", "--store", "postgresql");

        Assert.Equal(2_000, options.DurableCount);
        Assert.Equal(16, options.DurableStarters);
        Assert.Equal([DurableStoreKind.PostgreSql], options.Stores);
    }

    [Fact]
    public void The_durable_block_is_ProcessKit_s_alone_so_leaving_ProcessKit_out_leaves_it_out()
    {
        Assert.False(Parse("--engine", "stateless", "workflowcore").RunsDurable);
        Assert.True(Parse("--engine", "Process Kit").RunsDurable);
    }

    [Fact]
    public void Workflow_Core_can_run_on_either_store_alone_or_on_both()
    {
        Assert.Equal([WorkflowCoreStore.List], Parse("--workflowcore-store", "list").WorkflowCoreStores);
        Assert.Equal([WorkflowCoreStore.Indexed], Parse("--workflowcore-store", "INDEXED").WorkflowCoreStores);
        Assert.Equal([WorkflowCoreStore.List, WorkflowCoreStore.Indexed], Parse("--workflowcore-store", "both").WorkflowCoreStores);
    }

    [Fact]
    public void By_default_the_columns_are_ProcessKit_Workflow_Core_on_its_own_provider_then_on_the_indexed_store_then_Stateless()
    {
        var engines = Parse().CreateEngines();

        Assert.Equal(["ProcessKit", "Workflow Core", "Workflow Core (indexed store, ours)", "Stateless"], engines.Select(e => e.Name));
        Assert.Equal(CompareOptions.DefaultListStoreMaxCount, engines[1].MaxCount);
        Assert.Null(engines[2].MaxCount);
        Assert.Contains("MemoryPersistenceProvider", engines[1].Description, StringComparison.Ordinal);
        Assert.Contains("IndexedMemoryPersistence, ours", engines[2].Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_own_provider_column_is_capped_and_the_cap_can_be_moved_or_lifted()
    {
        Assert.Equal(20_000, Parse("--workflowcore-list-max-n", "20,000").CreateEngines()[1].MaxCount);
        Assert.All(Parse("--workflowcore-list-max-n", "none").CreateEngines(), e => Assert.Null(e.MaxCount));
        Assert.Null(Assert.Single(Parse("--workflowcore-store", "indexed").CreateEngines(), e => e.Family == "Workflow Core").MaxCount);
    }

    [Fact]
    public void Naming_workflowcore_runs_both_of_its_columns_and_nothing_else()
    {
        var options = Parse("--engine", "workflowcore");

        Assert.Equal(["Workflow Core", "Workflow Core (indexed store, ours)"], options.CreateEngines().Where(options.Runs).Select(e => e.Name));
    }

    [Fact]
    public void Quick_warms_up_by_the_shorter_rule()
    {
        var quick = Parse("--quick").WarmUp;

        Assert.Same(WarmUpPolicy.Quick, quick);
        Assert.True(quick.Budget < WarmUpPolicy.Full.Budget);
        Assert.True(quick.RoundSize <= WarmUpPolicy.Full.RoundSize);
    }

    [Fact]
    public void Quick_warms_up_each_engine_s_first_scenario_by_the_full_run_s_steadiness_test_within_a_shorter_budget()
    {
        var quick = Parse("--quick").WarmUp;

        var first = quick.For(firstScenario: true);
        Assert.Same(WarmUpPolicy.QuickFirst, first);
        Assert.Same(quick, quick.For(firstScenario: false));
        Assert.Equal(WarmUpPolicy.Full.MinDuration, first.MinDuration);
        Assert.Equal(WarmUpPolicy.Full.QuietJit, first.QuietJit);
        Assert.Equal(WarmUpPolicy.Full.Tolerance, first.Tolerance);
        Assert.True(first.Budget > quick.Budget && first.Budget < WarmUpPolicy.Full.Budget);
        Assert.Equal(1, first.SettlingRuns);
        Assert.Equal(0, quick.SettlingRuns);
        Assert.Contains("first scenario", quick.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_full_run_warms_up_every_scenario_by_one_rule()
    {
        Assert.Same(WarmUpPolicy.Full, WarmUpPolicy.Full.For(firstScenario: true));
        Assert.DoesNotContain("first scenario", WarmUpPolicy.Full.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_minimum_time_per_line_is_a_second_a_tenth_with_quick_or_what_the_command_line_says()
    {
        Assert.Equal(CompareOptions.FullMinLineTime, Parse().MinLineTime);
        Assert.Equal(CompareOptions.QuickMinLineTime, Parse("--quick").MinLineTime);
        Assert.Equal(TimeSpan.FromSeconds(2.5), Parse("--quick", "--min-time", "2.5").MinLineTime);
        Assert.Equal(TimeSpan.Zero, Parse("--min-time", "0").MinLineTime);
    }

    [Theory]
    [InlineData("--min-time", "-1")]
    [InlineData("--min-time", "soon")]
    [InlineData("--min-time", "601")]
    [InlineData("--min-time")]
    public void A_bad_minimum_time_is_refused_with_a_reason(params string[] args) =>
        Assert.False(string.IsNullOrWhiteSpace(Refused(args)));

    [Theory]
    [InlineData("--store", "mysql")]
    [InlineData("--store")]
    [InlineData("--durable-n", "0")]
    [InlineData("--durable-n", "many")]
    [InlineData("--durable-starters", "-1")]
    [InlineData("--workflowcore-store", "disk")]
    [InlineData("--workflowcore-store", "0")]
    [InlineData("--workflowcore-store")]
    [InlineData("--workflowcore-list-max-n", "0")]
    [InlineData("--workflowcore-list-max-n", "all")]
    [InlineData("--durable", "--scenario", "wait")]
    [InlineData("--scenario")]
    public void A_bad_durable_or_store_option_is_refused_with_a_reason(params string[] args) =>
        Assert.False(string.IsNullOrWhiteSpace(Refused(args)));

    [Fact]
    public void The_usage_names_every_new_switch()
    {
        foreach (var option in (string[])["--durable", "--no-durable", "--durable-n", "--durable-starters", "--store", "--workflowcore-store", "--workflowcore-list-max-n", "--min-time"])
        {
            Assert.Contains(option, CompareOptions.Usage, StringComparison.Ordinal);
        }
    }
}
