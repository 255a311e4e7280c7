using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Messaging;
using ProcessKit.Scheduling;
using ProcessKit.Tasks;

namespace ProcessKit.Persistence;

/// <summary>
/// Where the engine keeps definitions by version, instances (created and committed with an expected
/// version, so that a stale write is refused), tasks, message subscriptions and buffered messages,
/// due timers and history. Each command's changes are applied atomically.
/// </summary>
/// <remarks>
/// The contract is implemented by the stores ProcessKit ships (<see cref="InMemoryProcessStore"/>;
/// durable stores come in their own packages); its members are not open to other implementations
/// yet, so that the record shapes can still change. Implementations are thread-safe.
/// </remarks>
public interface IProcessStore
{
    internal bool SaveDefinition(ProcessDefinition definition);

    internal ProcessDefinition? FindDefinition(string processId, int? version);

    internal IReadOnlyList<ProcessDefinition> Definitions();

    internal InstanceId NewInstanceId();

    internal long NewTaskId();

    internal InstanceRecord? FindInstance(InstanceId id);

    internal bool TryCommit(InstanceCommit commit);

    internal HumanTaskInfo? FindTask(long taskId);

    internal List<HumanTaskInfo> QueryTasks(TaskQuery query);

    internal bool TryFindSubscription(string name, string key, out Subscription subscription);

    internal BufferedMessage? FindBuffered(string name, string key, long nowTicks);

    internal bool HasSeenMessage(string messageId, long nowTicks);

    internal bool TryBuffer(BufferedMessage message, long nowTicks);

    internal void TakeDue(long nowTicks, List<TimerRecord> due);

    internal long? NextDueTicks();

    internal void Reschedule(IEnumerable<TimerRecord> timers);

    internal List<Incident> QueryIncidents(InstanceId? instance);
}
