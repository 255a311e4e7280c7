using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace ProcessKit.Benchmarks.Compare.WorkflowCore;

/// <summary>
/// An in-memory <see cref="IPersistenceProvider"/> for Workflow Core with the behaviour of its own
/// <c>MemoryPersistenceProvider</c> (the same objects kept by reference, nothing serialised, the same
/// filters: subscriptions as of a time, events from a time, open subscriptions without a token) but
/// found through dictionaries instead of by walking lists. Workflow Core's provider looks an instance
/// up by scanning every instance it has ever stored, under one lock, on every pass of every instance
/// (a load and a save per step), so its cost per step grows with N: at N = 100,000 no phase finished
/// in two minutes. That measures a demonstration store, not the engine; a real deployment stores
/// instances in a database with an index on the id. Every method takes one lock; thread-safe.
/// </summary>
internal sealed class IndexedMemoryPersistence(StoreCounters counters) : ICountedStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WorkflowInstance> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EventSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Name, string Key), List<EventSubscription>> _subscriptionsByKey = [];
    private readonly Dictionary<string, Event> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Name, string Key), List<Event>> _eventsByKey = [];
    private readonly List<ExecutionError> _errors = [];

    /// <inheritdoc />
    public bool SupportsScheduledCommands => false;

    /// <inheritdoc />
    public Task<IReadOnlyList<WorkflowInstance>> InstancesOfAsync(string definitionId)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<WorkflowInstance>>([.. _instances.Values.Where(x => x.WorkflowDefinitionId == definitionId)]);
        }
    }

    /// <inheritdoc />
    public Task<string> CreateNewWorkflow(WorkflowInstance workflow, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            workflow.Id = Guid.NewGuid().ToString();
            _instances.Add(workflow.Id, workflow);
        }

        counters.Persisted(workflow);
        return Task.FromResult(workflow.Id);
    }

    /// <inheritdoc />
    public Task PersistWorkflow(WorkflowInstance workflow, CancellationToken cancellationToken = default) =>
        PersistWorkflow(workflow, [], cancellationToken);

    /// <inheritdoc />
    public Task PersistWorkflow(WorkflowInstance workflow, List<EventSubscription> subscriptions, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_instances.ContainsKey(workflow.Id))
            {
                throw new InvalidOperationException($"Workflow {workflow.Id} was never created.");
            }

            _instances[workflow.Id] = workflow;
            foreach (var subscription in subscriptions ?? [])
            {
                AddSubscription(subscription);
            }
        }

        counters.Persisted(workflow);
        counters.SubscriptionsAdded(subscriptions?.Count ?? 0);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IEnumerable<string>> GetRunnableInstances(DateTime asAt, CancellationToken cancellationToken = default)
    {
        var now = asAt.ToUniversalTime().Ticks;
        lock (_gate)
        {
            return Task.FromResult<IEnumerable<string>>([.. _instances.Values.Where(x => x.NextExecution <= now).Select(x => x.Id)]);
        }
    }

    /// <inheritdoc />
    public Task<WorkflowInstance> GetWorkflowInstance(string Id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_instances.GetValueOrDefault(Id)!);
        }
    }

    /// <inheritdoc />
    public Task<IEnumerable<WorkflowInstance>> GetWorkflowInstances(IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IEnumerable<WorkflowInstance>>([.. (ids ?? []).Select(id => _instances.GetValueOrDefault(id)).OfType<WorkflowInstance>()]);
        }
    }

    /// <inheritdoc />
    [Obsolete("Obsolete in IWorkflowRepository; implemented as Workflow Core's memory provider does.")]
    public Task<IEnumerable<WorkflowInstance>> GetWorkflowInstances(WorkflowStatus? status, string type, DateTime? createdFrom, DateTime? createdTo, int skip, int take)
    {
        lock (_gate)
        {
            var found = _instances.Values.Where(x =>
                (status is null || x.Status == status) && (string.IsNullOrEmpty(type) || x.WorkflowDefinitionId == type)
                && (createdFrom is null || x.CreateTime >= createdFrom) && (createdTo is null || x.CreateTime <= createdTo));
            return Task.FromResult<IEnumerable<WorkflowInstance>>([.. found.Skip(skip).Take(take)]);
        }
    }

    /// <inheritdoc />
    public Task<string> CreateEventSubscription(EventSubscription subscription, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            AddSubscription(subscription);
        }

        counters.SubscriptionsAdded(1);
        return Task.FromResult(subscription.Id);
    }

    private void AddSubscription(EventSubscription subscription)
    {
        subscription.Id = Guid.NewGuid().ToString();
        _subscriptions.Add(subscription.Id, subscription);
        var key = (subscription.EventName, subscription.EventKey);
        if (!_subscriptionsByKey.TryGetValue(key, out var list))
        {
            _subscriptionsByKey[key] = list = [];
        }

        list.Add(subscription);
    }

    /// <inheritdoc />
    public Task<IEnumerable<EventSubscription>> GetSubscriptions(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IEnumerable<EventSubscription>>(
                _subscriptionsByKey.TryGetValue((eventName, eventKey), out var list) ? [.. list.Where(x => x.SubscribeAsOf <= asOf)] : []);
        }
    }

    /// <inheritdoc />
    public Task TerminateSubscription(string eventSubscriptionId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_subscriptions.Remove(eventSubscriptionId, out var subscription)
                && _subscriptionsByKey.TryGetValue((subscription.EventName, subscription.EventKey), out var list))
            {
                list.Remove(subscription);
                if (list.Count == 0)
                {
                    _subscriptionsByKey.Remove((subscription.EventName, subscription.EventKey));
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<EventSubscription> GetSubscription(string eventSubscriptionId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_subscriptions.GetValueOrDefault(eventSubscriptionId)!);
        }
    }

    /// <inheritdoc />
    public Task<EventSubscription> GetFirstOpenSubscription(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_subscriptionsByKey.TryGetValue((eventName, eventKey), out var list)
                ? list.FirstOrDefault(x => x.ExternalToken == null && x.SubscribeAsOf <= asOf)!
                : null!);
        }
    }

    /// <inheritdoc />
    public Task<bool> SetSubscriptionToken(string eventSubscriptionId, string token, string workerId, DateTime expiry, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(eventSubscriptionId, out var subscription))
            {
                return Task.FromResult(false);
            }

            subscription.ExternalToken = token;
            subscription.ExternalWorkerId = workerId;
            subscription.ExternalTokenExpiry = expiry;
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task ClearSubscriptionToken(string eventSubscriptionId, string token, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(eventSubscriptionId, out var subscription))
            {
                throw new InvalidOperationException($"Subscription {eventSubscriptionId} not found.");
            }

            if (subscription.ExternalToken != token)
            {
                throw new InvalidOperationException($"Subscription {eventSubscriptionId} holds another token.");
            }

            subscription.ExternalToken = null;
            subscription.ExternalWorkerId = null;
            subscription.ExternalTokenExpiry = null;
            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    public void EnsureStoreExists()
    {
    }

    /// <inheritdoc />
    public Task<string> CreateEvent(Event newEvent, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            newEvent.Id = Guid.NewGuid().ToString();
            _events.Add(newEvent.Id, newEvent);
            var key = (newEvent.EventName, newEvent.EventKey);
            if (!_eventsByKey.TryGetValue(key, out var list))
            {
                _eventsByKey[key] = list = [];
            }

            list.Add(newEvent);
            return Task.FromResult(newEvent.Id);
        }
    }

    /// <inheritdoc />
    public Task MarkEventProcessed(string id, CancellationToken cancellationToken = default) => MarkEvent(id, processed: true);

    /// <inheritdoc />
    public Task MarkEventUnprocessed(string id, CancellationToken cancellationToken = default) => MarkEvent(id, processed: false);

    private Task MarkEvent(string id, bool processed)
    {
        lock (_gate)
        {
            if (_events.TryGetValue(id, out var found))
            {
                found.IsProcessed = processed;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IEnumerable<string>> GetRunnableEvents(DateTime asAt, CancellationToken cancellationToken = default)
    {
        var now = asAt.ToUniversalTime();
        lock (_gate)
        {
            return Task.FromResult<IEnumerable<string>>([.. _events.Values.Where(x => !x.IsProcessed && x.EventTime <= now).Select(x => x.Id)]);
        }
    }

    /// <inheritdoc />
    public Task<Event> GetEvent(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_events.GetValueOrDefault(id)!);
        }
    }

    /// <inheritdoc />
    public Task<IEnumerable<string>> GetEvents(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IEnumerable<string>>(
                _eventsByKey.TryGetValue((eventName, eventKey), out var list) ? [.. list.Where(x => x.EventTime >= asOf).Select(x => x.Id)] : []);
        }
    }

    /// <inheritdoc />
    public Task PersistErrors(IEnumerable<ExecutionError> errors, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _errors.AddRange(errors);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ScheduleCommand(ScheduledCommand command) =>
        throw new NotSupportedException("Scheduled commands are not supported by this store (SupportsScheduledCommands is false), as in Workflow Core's memory provider.");

    /// <inheritdoc />
    public Task ProcessCommands(DateTimeOffset asOf, Func<ScheduledCommand, Task> action, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Scheduled commands are not supported by this store (SupportsScheduledCommands is false), as in Workflow Core's memory provider.");
}
