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
        Assert.Equal(WorkflowCoreStore.Indexed, options.WorkflowCoreStore);
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
    public void Workflow_Core_can_run_on_its_own_list_provider()
    {
        Assert.Equal(WorkflowCoreStore.List, Parse("--workflowcore-store", "list").WorkflowCoreStore);
        Assert.Equal(WorkflowCoreStore.Indexed, Parse("--workflowcore-store", "INDEXED").WorkflowCoreStore);
    }

    [Theory]
    [InlineData("--store", "mysql")]
    [InlineData("--store")]
    [InlineData("--durable-n", "0")]
    [InlineData("--durable-n", "many")]
    [InlineData("--durable-starters", "-1")]
    [InlineData("--workflowcore-store", "disk")]
    [InlineData("--durable", "--scenario", "wait")]
    [InlineData("--scenario")]
    public void A_bad_durable_or_store_option_is_refused_with_a_reason(params string[] args) =>
        Assert.False(string.IsNullOrWhiteSpace(Refused(args)));

    [Fact]
    public void The_usage_names_every_new_switch()
    {
        foreach (var option in (string[])["--durable", "--no-durable", "--durable-n", "--durable-starters", "--store", "--workflowcore-store"])
        {
            Assert.Contains(option, CompareOptions.Usage, StringComparison.Ordinal);
        }
    }
}
