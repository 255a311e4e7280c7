using Microsoft.Extensions.DependencyInjection;
using WorkflowCore.Interface;
using WorkflowCore.Models;
using WorkflowCore.Services;

namespace ProcessKit.Benchmarks.Compare.WorkflowCore;

/// <summary>
/// Runs one Workflow Core workflow for N instances on an in-memory store, tuned as issue 6 asks (idle
/// time 1 ms, at most 4 × cores workflows at once). Completion and parking are read from what the
/// store is given (an instance stored as complete; a subscription stored), counted by
/// <see cref="StoreCounters"/>.
/// </summary>
internal abstract class WorkflowCoreDriver<TWorkflow, TData> : ScenarioDriver
    where TWorkflow : IWorkflow<TData>, new()
    where TData : class, IIndexed, new()
{
    private ServiceProvider? _services;
    private bool _waitingForParking;
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Which in-memory store Workflow Core runs on.</summary>
    public WorkflowCoreStore StoreKind { get; init; } = WorkflowCoreStore.List;

    /// <summary>The host running the workflows.</summary>
    protected IWorkflowHost Host { get; private set; } = null!;

    /// <summary>The store Workflow Core writes to.</summary>
    protected ICountedStore Store { get; private set; } = null!;

    /// <summary>What the store has been given so far.</summary>
    protected StoreCounters Counters { get; } = new();

    /// <summary>The number of instances of this run.</summary>
    protected int Count { get; private set; }

    /// <summary>The id the workflow is registered under.</summary>
    protected string WorkflowId { get; } = new TWorkflow().Id;

    /// <inheritdoc />
    public override int Progress => _waitingForParking ? Counters.SubscriptionsStored : Counters.Completed;

    /// <inheritdoc />
    public override async Task PrepareAsync(int count, CancellationToken cancellationToken)
    {
        Count = count;
        Store = StoreKind == WorkflowCoreStore.List
            ? new ParkCountingPersistence(new MemoryPersistenceProvider(), Counters)
            : new IndexedMemoryPersistence(Counters);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWorkflow(options =>
        {
            options.UsePersistence(_ => Store);
            options.UseIdleTime(TimeSpan.FromMilliseconds(1));
            options.UseMaxConcurrentWorkflows(4 * Environment.ProcessorCount);
            // Completion is read from the store, so nothing subscribes to the life-cycle events; with
            // the publisher on (Workflow Core's default) every step would still queue two events
            // (started, completed) for a background dispatcher: 1.2–1.4× slower in one comparison.
            options.EnableLifeCycleEventsPublisher = false;
        });
        _services = services.BuildServiceProvider();
        Host = _services.GetRequiredService<IWorkflowHost>();
        Host.RegisterWorkflow<TWorkflow, TData>();
        Host.OnStepError += OnStepError;
        await Host.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The data instance <paramref name="index"/> starts with.</summary>
    protected abstract TData CreateData(int index);

    /// <summary>Starts every instance, one <c>StartWorkflow</c> call each.</summary>
    protected async Task StartInstancesAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Host.StartWorkflow(WorkflowId, CreateData(i)).ConfigureAwait(false);
        }
    }

    /// <summary>The task ends once every instance has been stored as complete.</summary>
    protected Task ExpectCompletionsAsync(CancellationToken cancellationToken)
    {
        _waitingForParking = false;
        return FirstOfAsync(Counters.WhenCompletedAsync(Count, cancellationToken));
    }

    /// <summary>The task ends once every instance is parked (its event subscription stored).</summary>
    protected Task ExpectParkedAsync(CancellationToken cancellationToken)
    {
        _waitingForParking = true;
        return FirstOfAsync(Counters.WhenSubscriptionsStoredAsync(Count, cancellationToken));
    }

    /// <summary>Ends with <paramref name="task"/>, or with the first failure Workflow Core reports before it.</summary>
    private async Task FirstOfAsync(Task task) =>
        await await Task.WhenAny(task, _failed.Task).ConfigureAwait(false);

    private void Fail(Exception exception) => _failed.TrySetException(exception);

    private void OnStepError(WorkflowInstance workflow, WorkflowStep step, Exception exception) =>
        Fail(new InvalidOperationException($"Step {step.Name ?? step.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)} of {workflow.Id} failed.", exception));

    /// <inheritdoc />
    public override async Task<IReadOnlyList<string>> VerifyAsync(CancellationToken cancellationToken)
    {
        var problems = new Problems();
        var instances = await Store.InstancesOfAsync(WorkflowId).ConfigureAwait(false);
        if (instances.Count != Count)
        {
            problems.Add($"{instances.Count} instances stored, {Count} started");
        }

        var seen = new bool[Count];
        foreach (var instance in instances)
        {
            if (instance.Data is not TData data || data.Index < 0 || data.Index >= Count || seen[data.Index])
            {
                problems.Add($"instance {instance.Id}: data missing, out of range or seen twice");
                continue;
            }

            seen[data.Index] = true;
            Check(instance.Status, data, problems);
        }

        return problems.ToList();
    }

    /// <summary>Checks one instance's status and data against what its steps should have done.</summary>
    protected abstract void Check(WorkflowStatus status, TData data, Problems problems);

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            Host.OnStepError -= OnStepError;
            await Host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _services.DisposeAsync().ConfigureAwait(false);
            _services = null;
        }
    }
}

/// <summary>Workflow data that knows which instance it belongs to.</summary>
internal interface IIndexed
{
    /// <summary>The instance's number, 0 to N − 1.</summary>
    int Index { get; }
}
