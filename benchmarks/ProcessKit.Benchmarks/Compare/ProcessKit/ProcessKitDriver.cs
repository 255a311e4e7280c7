using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Persistence;

namespace ProcessKit.Benchmarks.Compare.ProcessKit;

/// <summary>
/// Runs one scenario on a ProcessKit engine over its <see cref="InMemoryProcessStore"/> (or the
/// durable store given as <see cref="Store"/>), as a user would: the definition built with the
/// fluent builder and deployed, handlers registered by name, one <see cref="ProcessEngine.StartAsync"/>
/// per instance on the calling thread (or, for the durable block, from several starters at once,
/// each instance timed). Every instance id is kept for the check, which reads each instance back
/// with <see cref="ProcessEngine.GetInstanceAsync"/>.
/// </summary>
internal abstract class ProcessKitDriver : ScenarioDriver
{
    /// <summary>The name of the one input every scenario's instances start with.</summary>
    protected const string IndexField = "index";

    private int _progress;
    private string _processId = "";

    /// <summary>The store the engine runs on: a fresh <see cref="InMemoryProcessStore"/> when <c>null</c> (the default).</summary>
    public IProcessStore? Store { get; init; }

    /// <summary>The engine of this run.</summary>
    protected ProcessEngine Engine { get; private set; } = null!;

    /// <summary>Every instance started, by index.</summary>
    protected InstanceId[] Ids { get; private set; } = [];

    /// <inheritdoc />
    public override int Progress => Volatile.Read(ref _progress);

    /// <summary>The scenario's definition.</summary>
    protected abstract ProcessDefinition Definition();

    /// <summary>Registers the scenario's handlers by name.</summary>
    protected abstract void AddHandlers(ProcessEngineOptions options);

    /// <summary>The start data of instance <paramref name="index"/>.</summary>
    protected virtual Dictionary<string, object?> StartData(int index) => new() { [IndexField] = index };

    /// <inheritdoc />
    public override async Task PrepareAsync(int count, CancellationToken cancellationToken)
    {
        var options = new ProcessEngineOptions { Store = Store ?? new InMemoryProcessStore() };
        AddHandlers(options);
        Engine = new ProcessEngine(options);
        var definition = Definition();
        _processId = definition.Id;
        await Engine.DeployAsync(definition, cancellationToken).ConfigureAwait(false);
        Ids = new InstanceId[count];
    }

    /// <inheritdoc />
    public override async Task StartAllAsync(CancellationToken cancellationToken)
    {
        _progress = 0;
        for (var i = 0; i < Ids.Length; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            await RunInstanceAsync(i, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _progress, i + 1);
        }
    }

    /// <summary>Runs instance <paramref name="index"/> through the scenario's timed phase (here: its start) and keeps its id.</summary>
    protected virtual async ValueTask RunInstanceAsync(int index, CancellationToken cancellationToken) =>
        Ids[index] = await Engine.StartAsync(_processId, StartData(index), cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Runs instances <paramref name="from"/> to <paramref name="to"/> − 1 from <paramref name="starters"/>
    /// concurrent callers, each taking the next index, and records each instance's time (stopwatch
    /// ticks) in <paramref name="latencies"/> at its index. For the durable stores, whose commits
    /// are grouped when callers overlap.
    /// </summary>
    public async Task RunConcurrentlyAsync(int from, int to, int starters, long[] latencies, CancellationToken cancellationToken)
    {
        var next = from - 1;
        await Task.WhenAll(Enumerable.Range(0, starters).Select(_ => Task.Run(
            async () =>
            {
                for (var i = Interlocked.Increment(ref next); i < to; i = Interlocked.Increment(ref next))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var started = System.Diagnostics.Stopwatch.GetTimestamp();
                    await RunInstanceAsync(i, cancellationToken).ConfigureAwait(false);
                    latencies[i] = System.Diagnostics.Stopwatch.GetTimestamp() - started;
                    Interlocked.Increment(ref _progress);
                }
            },
            cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>Sets the progress of the current phase.</summary>
    protected void SetProgress(int value) => Volatile.Write(ref _progress, value);

    /// <inheritdoc />
    public override async Task<IReadOnlyList<string>> VerifyAsync(CancellationToken cancellationToken)
    {
        var problems = new Problems();
        for (var i = 0; i < Ids.Length; i++)
        {
            if (Ids[i].Value == 0)
            {
                problems.Add($"instance {i} missing");
                continue;
            }

            var instance = await Engine.GetInstanceAsync(Ids[i], cancellationToken).ConfigureAwait(false);
            Check(i, instance, problems);
        }

        return problems.ToList();
    }

    /// <summary>Checks one instance against what its steps should have done.</summary>
    protected abstract void Check(int index, InstanceSnapshot instance, Problems problems);

    /// <summary>Reads a number field of the instance as an int (0 when unset).</summary>
    protected static int Number(InstanceSnapshot instance, string field) =>
        instance.Data.TryGetValue(field, out var value) && value is decimal d ? (int)d : 0;

    /// <summary>Reads a number field a handler sees as an int.</summary>
    protected static int Number(StepContext context, string field) => context.Get(field) is decimal d ? (int)d : 0;

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        Ids = [];
        Engine = null!;
        return ValueTask.CompletedTask;
    }
}
