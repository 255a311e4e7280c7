using ProcessKit.Benchmarks.Compare;
using ProcessKit.Benchmarks.Compare.Durable;
using ProcessKit.Benchmarks.Compare.ProcessKit;
using ProcessKit.Benchmarks.Compare.Stateless;
using ProcessKit.Benchmarks.Compare.WorkflowCore;

namespace ProcessKit.Benchmarks.Tests;

/// <summary>The drivers run a few instances for real and their checks pass; no time is asserted.</summary>
public sealed class DriverTests
{
    [Theory]
    [InlineData("indexed", "sequential")]
    [InlineData("indexed", "decision")]
    [InlineData("indexed", "parallel")]
    [InlineData("list", "sequential")]
    public async Task Workflow_Core_runs_every_instance_to_its_stored_end_on_either_store(string store, string scenario)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var driver = new WorkflowCoreEngine(Enum.Parse<WorkflowCoreStore>(store, ignoreCase: true)).CreateDriver(Enum.Parse<Scenario>(scenario, ignoreCase: true))!;
        await using (driver.ConfigureAwait(false))
        {
            await driver.PrepareAsync(40, cancellationToken);
            await driver.StartAllAsync(cancellationToken);

            Assert.Equal(40, driver.Progress);
            Assert.Empty(await driver.VerifyAsync(cancellationToken));
        }
    }

    [Theory]
    [InlineData("indexed")]
    [InlineData("list")]
    public async Task Workflow_Core_parks_on_stored_subscriptions_and_resumes_on_published_events(string store)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var driver = new WorkflowCoreEngine(Enum.Parse<WorkflowCoreStore>(store, ignoreCase: true)).CreateDriver(Scenario.Wait)!;
        await using (driver.ConfigureAwait(false))
        {
            await driver.PrepareAsync(30, cancellationToken);
            await driver.StartAllAsync(cancellationToken);
            Assert.Empty(await driver.VerifyAsync(cancellationToken));

            await driver.ResumeAllAsync(cancellationToken);

            Assert.Equal(30, driver.Progress);
            Assert.Empty(await driver.VerifyAsync(cancellationToken));
        }
    }

    [Theory]
    [InlineData("processkit")]
    [InlineData("stateless")]
    public async Task The_open_task_memory_line_leaves_every_instance_at_its_open_task(string engine)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        IEngineUnderTest subject = engine == "processkit" ? new ProcessKitEngine() : new StatelessEngine();
        var driver = subject.CreateDriver(Scenario.TaskMemory)!;
        await using (driver.ConfigureAwait(false))
        {
            await driver.PrepareAsync(25, cancellationToken);
            await driver.StartAllAsync(cancellationToken);

            Assert.Equal(25, driver.Progress);
            Assert.Empty(await driver.VerifyAsync(cancellationToken));
        }
    }

    [Fact]
    public void Workflow_Core_has_no_open_task_memory_line_and_says_why()
    {
        var engine = new WorkflowCoreEngine(WorkflowCoreStore.Indexed);

        Assert.Null(engine.CreateDriver(Scenario.TaskMemory));
        Assert.Contains("no human tasks", engine.NotAvailableReason(Scenario.TaskMemory), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_durable_block_on_SQLite_measures_both_scenarios_and_the_plain_inserts_and_checks_every_instance()
    {
        var options = CompareOptions.Parse(["--durable", "--store", "sqlite", "--durable-n", "60", "--durable-starters", "4"], out var error)
            ?? throw new InvalidOperationException(error);
        var log = new StringWriter();

        var rows = await new DurableRunner(options, log).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal([Scenario.Sequential, Scenario.HumanTask], rows.Select(r => r.Scenario));
        Assert.All(rows, row =>
        {
            Assert.Equal("SQLite", row.Store);
            Assert.Equal(60, row.N);
            Assert.True(row.Engine.Outcome == Outcome.Measured, row.Engine.Note);
            Assert.True(row.P50Ms <= row.P99Ms);
            Assert.Equal(Outcome.Measured, row.PlainOneRowCommits.Outcome);
            Assert.Equal(Outcome.Measured, row.PlainBatchedRows.Outcome);
            Assert.Contains("synchronous=FULL", row.Description, StringComparison.Ordinal);
        });
    }
}
