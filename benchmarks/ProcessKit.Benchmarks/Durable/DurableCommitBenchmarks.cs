using BenchmarkDotNet.Attributes;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.Tasks;

namespace ProcessKit.Benchmarks.Durable;

/// <summary>
/// Commits on a durable store, through the engine: one operation is one process instance, either
/// five automated steps start → end (one commit) or a human task round trip (start with the task
/// opening, a task query, the completion: two commits). Each invocation runs <see cref="Batch"/>
/// instances from <see cref="Starters"/> concurrent callers (1: one commit after the other, each
/// waiting for its own flush; 64: the store groups the overlapping commits), and
/// <c>OperationsPerInvoke</c> divides by the batch, so the time and the allocated bytes (every
/// thread) are per instance. Each invocation checks its last instance ended, so a fast wrong store
/// fails. The store is opened once per benchmark (global setup) and grows during the run.
/// </summary>
[MemoryDiagnoser]
public abstract class DurableCommitBenchmarks
{
    /// <summary>Instances per invocation.</summary>
    public const int Batch = 64;

    private static readonly ProcessUser Clerk = new("ann", ["clerk"]);
    private IProcessStore _store = null!;
    private ProcessEngine _engine = null!;
    private readonly InstanceId[] _ids = new InstanceId[Batch];

    /// <summary>Concurrent callers per invocation.</summary>
    [Params(1, 64)]
    public int Starters { get; set; }

    /// <summary>Opens the store the engine commits to.</summary>
    protected abstract Task<IProcessStore> OpenStoreAsync();

    /// <summary>Closes the store and deletes what <see cref="OpenStoreAsync"/> made.</summary>
    protected abstract Task CloseStoreAsync();

    /// <summary>Opens the store, deploys both processes and runs a few instances of each (connections, statements).</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _store = await OpenStoreAsync().ConfigureAwait(false);
        _engine = new ProcessEngine(new ProcessEngineOptions { Store = _store }.AddHandler("bench.noop", static _ => { }));
        await _engine.DeployAsync(FiveSteps()).ConfigureAwait(false);
        await _engine.DeployAsync(HumanTask()).ConfigureAwait(false);
        await FiveStepsStartToEnd().ConfigureAwait(false);
        await HumanTaskRoundTrip().ConfigureAwait(false);
    }

    /// <summary>Closes the store.</summary>
    [GlobalCleanup]
    public Task CleanupAsync() => CloseStoreAsync();

    /// <summary>Start → end of five automated steps: one commit per instance.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Description = "5 automated steps, start → end")]
    public Task FiveStepsStartToEnd() => RunAsync(async i => _ids[i] = await _engine.StartAsync("bench.five").ConfigureAwait(false));

    /// <summary>Start (the task opens), the instance's offered task found by a query, completed: two commits per instance.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Description = "human task round trip")]
    public Task HumanTaskRoundTrip() => RunAsync(async i =>
    {
        var id = _ids[i] = await _engine.StartAsync("bench.task").ConfigureAwait(false);
        var tasks = await _engine.QueryTasksAsync(new TaskQuery { Instance = id, State = TaskState.Offered }).ConfigureAwait(false);
        await _engine.CompleteTaskAsync(tasks[0].TaskId, Clerk).ConfigureAwait(false);
    });

    private async Task RunAsync(Func<int, Task> operation)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Starters).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < Batch; i = Interlocked.Increment(ref next))
            {
                await operation(i).ConfigureAwait(false);
            }
        }))).ConfigureAwait(false);
        var last = await _engine.GetInstanceAsync(_ids[Batch - 1]).ConfigureAwait(false);
        if (last.State != InstanceState.Completed)
        {
            throw new InvalidOperationException($"The last instance is {last.State}, not completed.");
        }
    }

    private static ProcessDefinition FiveSteps()
    {
        var p = ProcessBuilder.Create("bench.five", "Five steps");
        var steps = Enumerable.Range(1, 5).Select(k => p.Automated("s" + k, "Step " + k, "bench.noop")).ToArray();
        for (var k = 0; k < 4; k++)
        {
            steps[k].Then(steps[k + 1]);
        }

        steps[4].Then(p.End("done", "Done"));
        return p.Build();
    }

    private static ProcessDefinition HumanTask()
    {
        var p = ProcessBuilder.Create("bench.task", "Human task");
        var clerk = p.Role("clerk", "Clerk");
        p.HumanTask("review", "Review", clerk).Then(p.End("done", "Done"));
        return p.Build();
    }
}
