using WorkflowCore.Interface;
using WorkflowCore.Models;
using WorkflowCore.Services;

namespace ProcessKit.Benchmarks.Compare.WorkflowCore;

/// <summary>
/// Workflow Core's own <see cref="MemoryPersistenceProvider"/> (its lists, scanned on every look-up),
/// passed through unchanged, telling <see cref="StoreCounters"/> what it stores: event subscriptions
/// (an instance is parked once its subscription is stored) and instances stored as complete. Every
/// call goes straight to the memory provider. Chosen with <c>--workflowcore-store list</c>.
/// </summary>
internal sealed class ParkCountingPersistence(MemoryPersistenceProvider inner, StoreCounters counters) : ICountedStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<WorkflowInstance>> InstancesOfAsync(string definitionId) =>
        [.. await inner.GetWorkflowInstances(null, definitionId, null, null, 0, int.MaxValue).ConfigureAwait(false)];

    public bool SupportsScheduledCommands => inner.SupportsScheduledCommands;

    public async Task<string> CreateEventSubscription(EventSubscription subscription, CancellationToken cancellationToken = default)
    {
        var id = await inner.CreateEventSubscription(subscription, cancellationToken).ConfigureAwait(false);
        counters.SubscriptionsAdded(1);
        return id;
    }

    public async Task PersistWorkflow(WorkflowInstance workflow, List<EventSubscription> subscriptions, CancellationToken cancellationToken = default)
    {
        await inner.PersistWorkflow(workflow, subscriptions, cancellationToken).ConfigureAwait(false);
        counters.Persisted(workflow);
        counters.SubscriptionsAdded(subscriptions?.Count ?? 0);
    }

    public async Task PersistWorkflow(WorkflowInstance workflow, CancellationToken cancellationToken = default)
    {
        await inner.PersistWorkflow(workflow, cancellationToken).ConfigureAwait(false);
        counters.Persisted(workflow);
    }

    public Task<string> CreateNewWorkflow(WorkflowInstance workflow, CancellationToken cancellationToken = default) =>
        inner.CreateNewWorkflow(workflow, cancellationToken);

    public Task<IEnumerable<string>> GetRunnableInstances(DateTime asAt, CancellationToken cancellationToken = default) =>
        inner.GetRunnableInstances(asAt, cancellationToken);

    public Task<WorkflowInstance> GetWorkflowInstance(string Id, CancellationToken cancellationToken = default) =>
        inner.GetWorkflowInstance(Id, cancellationToken);

    public Task<IEnumerable<WorkflowInstance>> GetWorkflowInstances(IEnumerable<string> ids, CancellationToken cancellationToken = default) =>
        inner.GetWorkflowInstances(ids, cancellationToken);

    public Task<IEnumerable<WorkflowInstance>> GetWorkflowInstances(WorkflowStatus? status, string type, DateTime? createdFrom, DateTime? createdTo, int skip, int take) =>
        inner.GetWorkflowInstances(status, type, createdFrom, createdTo, skip, take);

    public Task<string> CreateEvent(Event newEvent, CancellationToken cancellationToken = default) =>
        inner.CreateEvent(newEvent, cancellationToken);

    public Task<Event> GetEvent(string id, CancellationToken cancellationToken = default) =>
        inner.GetEvent(id, cancellationToken);

    public Task<IEnumerable<string>> GetEvents(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default) =>
        inner.GetEvents(eventName, eventKey, asOf, cancellationToken);

    public Task<IEnumerable<string>> GetRunnableEvents(DateTime asAt, CancellationToken cancellationToken = default) =>
        inner.GetRunnableEvents(asAt, cancellationToken);

    public Task MarkEventProcessed(string id, CancellationToken cancellationToken = default) =>
        inner.MarkEventProcessed(id, cancellationToken);

    public Task MarkEventUnprocessed(string id, CancellationToken cancellationToken = default) =>
        inner.MarkEventUnprocessed(id, cancellationToken);

    public void EnsureStoreExists() => inner.EnsureStoreExists();

    public Task PersistErrors(IEnumerable<ExecutionError> errors, CancellationToken cancellationToken = default) =>
        inner.PersistErrors(errors, cancellationToken);

    public Task ProcessCommands(DateTimeOffset asOf, Func<ScheduledCommand, Task> action, CancellationToken cancellationToken = default) =>
        inner.ProcessCommands(asOf, action, cancellationToken);

    public Task ScheduleCommand(ScheduledCommand command) => inner.ScheduleCommand(command);

    public Task ClearSubscriptionToken(string eventSubscriptionId, string token, CancellationToken cancellationToken = default) =>
        inner.ClearSubscriptionToken(eventSubscriptionId, token, cancellationToken);

    public Task<EventSubscription> GetFirstOpenSubscription(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default) =>
        inner.GetFirstOpenSubscription(eventName, eventKey, asOf, cancellationToken);

    public Task<EventSubscription> GetSubscription(string eventSubscriptionId, CancellationToken cancellationToken = default) =>
        inner.GetSubscription(eventSubscriptionId, cancellationToken);

    public Task<IEnumerable<EventSubscription>> GetSubscriptions(string eventName, string eventKey, DateTime asOf, CancellationToken cancellationToken = default) =>
        inner.GetSubscriptions(eventName, eventKey, asOf, cancellationToken);

    public Task<bool> SetSubscriptionToken(string eventSubscriptionId, string token, string workerId, DateTime expiry, CancellationToken cancellationToken = default) =>
        inner.SetSubscriptionToken(eventSubscriptionId, token, workerId, expiry, cancellationToken);

    public Task TerminateSubscription(string eventSubscriptionId, CancellationToken cancellationToken = default) =>
        inner.TerminateSubscription(eventSubscriptionId, cancellationToken);
}
