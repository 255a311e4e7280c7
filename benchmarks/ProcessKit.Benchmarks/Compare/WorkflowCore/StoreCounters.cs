using WorkflowCore.Models;

namespace ProcessKit.Benchmarks.Compare.WorkflowCore;

/// <summary>
/// What the driver learns from the store Workflow Core writes to: how many event subscriptions have been
/// stored (an instance is parked once its subscription is stored; Workflow Core has no other signal for
/// that) and how many instances have been stored as complete (the same moment ProcessKit's
/// <c>StartAsync</c> returns: the instance's end is in the store). One interlocked increment per
/// subscription; a set of the completed ids under a lock per completion. Thread-safe.
/// </summary>
internal sealed class StoreCounters
{
    private readonly HashSet<string> _completedIds = new(StringComparer.Ordinal);
    private int _subscriptionsStored;
    private int _completed;
    private Waiter? _parked;
    private Waiter? _allCompleted;

    /// <summary>How many event subscriptions have been stored so far.</summary>
    public int SubscriptionsStored => Volatile.Read(ref _subscriptionsStored);

    /// <summary>How many instances have been stored as complete so far.</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Completes once <paramref name="count"/> subscriptions have been stored.</summary>
    public Task WhenSubscriptionsStoredAsync(int count, CancellationToken cancellationToken) =>
        Arm(ref _parked, count, () => SubscriptionsStored, cancellationToken);

    /// <summary>Completes once <paramref name="count"/> instances have been stored as complete.</summary>
    public Task WhenCompletedAsync(int count, CancellationToken cancellationToken) =>
        Arm(ref _allCompleted, count, () => Completed, cancellationToken);

    /// <summary>Records <paramref name="count"/> subscriptions stored.</summary>
    public void SubscriptionsAdded(int count)
    {
        if (count > 0)
        {
            Volatile.Read(ref _parked)?.Reached(Interlocked.Add(ref _subscriptionsStored, count));
        }
    }

    /// <summary>Records an instance stored; counts it once when it is stored as complete.</summary>
    public void Persisted(WorkflowInstance workflow)
    {
        if (workflow.Status != WorkflowStatus.Complete)
        {
            return;
        }

        lock (_completedIds)
        {
            if (!_completedIds.Add(workflow.Id))
            {
                return;
            }
        }

        Volatile.Read(ref _allCompleted)?.Reached(Interlocked.Increment(ref _completed));
    }

    private static Task Arm(ref Waiter? slot, int count, Func<int> current, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(count);
        Volatile.Write(ref slot, waiter);
        waiter.Reached(current());
        return waiter.Done.Task.WaitAsync(cancellationToken);
    }

    private sealed class Waiter(int target)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Reached(int count)
        {
            if (count >= target)
            {
                Done.TrySetResult();
            }
        }
    }
}
