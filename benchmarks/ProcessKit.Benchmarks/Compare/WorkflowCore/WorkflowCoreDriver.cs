using Microsoft.Extensions.DependencyInjection;
using WorkflowCore.Interface;
using WorkflowCore.Models;
using WorkflowCore.Models.LifeCycleEvents;
using WorkflowCore.Services;

namespace ProcessKit.Benchmarks.Compare.WorkflowCore;

/// <summary>
/// Runs one Workflow Core workflow for N instances on its in-memory persistence, tuned as issue 6
/// asks (idle time 1 ms, at most 4 × cores workflows at once). Completion is read from Workflow
/// Core's own life-cycle events; parking from the subscriptions its memory provider stores.
/// </summary>
internal abstract class WorkflowCoreDriver<TWorkflow, TData> : ScenarioDriver
    where TWorkflow : IWorkflow<TData>, new()
    where TData : class, IIndexed, new()
{
    private ServiceProvider? _services;
    private int _completed;
    private int _target = int.MaxValue;
    private TaskCompletionSource? _allCompleted;
    private bool _waitingForParking;
    private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The host running the workflows.</summary>
    protected IWorkflowHost Host { get; private set; } = null!;

    /// <summary>The memory provider, behind the subscription counter.</summary>
    protected ParkCountingPersistence Store { get; private set; } = null!;

    /// <summary>The number of instances of this run.</summary>
    protected int Count { get; private set; }

    /// <summary>The id the workflow is registered under.</summary>
    protected string WorkflowId { get; } = new TWorkflow().Id;

    /// <inheritdoc />
    public override int Progress => _waitingForParking ? Store.SubscriptionsStored : Volatile.Read(ref _completed);

    /// <inheritdoc />
    public override async Task PrepareAsync(int count, CancellationToken cancellationToken)
    {
        Count = count;
        Store = new ParkCountingPersistence(new MemoryPersistenceProvider());
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWorkflow(options =>
        {
            options.UsePersistence(_ => Store);
            options.UseIdleTime(TimeSpan.FromMilliseconds(1));
            options.UseMaxConcurrentWorkflows(4 * Environment.ProcessorCount);
            options.EnableLifeCycleEventsPublisher = true;
        });
        _services = services.BuildServiceProvider();
        Host = _services.GetRequiredService<IWorkflowHost>();
        Host.RegisterWorkflow<TWorkflow, TData>();
        Host.OnLifeCycleEvent += OnLifeCycleEvent;
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

    /// <summary>Arms the completion counter: the task ends once every instance has completed.</summary>
    protected Task ExpectCompletionsAsync(CancellationToken cancellationToken)
    {
        _waitingForParking = false;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _allCompleted = all;
        Volatile.Write(ref _target, Count);
        if (Volatile.Read(ref _completed) >= Count)
        {
            all.TrySetResult();
        }

        return FirstOfAsync(all.Task.WaitAsync(cancellationToken));
    }

    /// <summary>The task ends once every instance is parked (its event subscription stored).</summary>
    protected Task ExpectParkedAsync(CancellationToken cancellationToken)
    {
        _waitingForParking = true;
        return FirstOfAsync(Store.WhenSubscriptionsStoredAsync(Count, cancellationToken));
    }

    /// <summary>Ends with <paramref name="task"/>, or with the first failure Workflow Core reports before it.</summary>
    private async Task FirstOfAsync(Task task) =>
        await await Task.WhenAny(task, _failed.Task).ConfigureAwait(false);

    private void Fail(Exception exception)
    {
        _failed.TrySetException(exception);
        _allCompleted?.TrySetException(exception);
    }

    private void OnLifeCycleEvent(LifeCycleEvent evt)
    {
        switch (evt)
        {
            case WorkflowCompleted:
                if (Interlocked.Increment(ref _completed) >= Volatile.Read(ref _target))
                {
                    _allCompleted?.TrySetResult();
                }

                break;
            case WorkflowError or WorkflowTerminated:
                Fail(new InvalidOperationException($"Workflow {evt.WorkflowInstanceId} ended with {evt.GetType().Name}."));
                break;
        }
    }

    private void OnStepError(WorkflowInstance workflow, WorkflowStep step, Exception exception) =>
        Fail(new InvalidOperationException($"Step {step.Name ?? step.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)} of {workflow.Id} failed.", exception));

    /// <inheritdoc />
    public override async Task<IReadOnlyList<string>> VerifyAsync(CancellationToken cancellationToken)
    {
        var problems = new Problems();
        var instances = (await Store.GetWorkflowInstances(null, WorkflowId, null, null, 0, int.MaxValue).ConfigureAwait(false)).ToList();
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
            Host.OnLifeCycleEvent -= OnLifeCycleEvent;
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
