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
/// <para>
/// The contract is implemented by the stores ProcessKit ships (<see cref="InMemoryProcessStore"/>
/// here; SQLite and PostgreSQL in their own packages); its members are not open to other
/// implementations yet, so that the record shapes can still change. Implementations are thread-safe.
/// </para>
/// <para>
/// What the engine does between commands is asynchronous (loading an instance, committing, querying
/// tasks, taking due timers): a durable store awaits its database there, and a commit completes only
/// once it is durable. The few reads made while a command runs (a definition by version, a task of
/// the instance, a buffered message for a wait just entered, a user's open-task count) are
/// synchronous and short; ids are handed out without a round trip.
/// </para>
/// </remarks>
public interface IProcessStore
{
    /// <summary>
    /// Prepares the store for use: opens it and creates or migrates its schema. Idempotent and safe to
    /// call from several threads; the hosting package calls it when the host starts, before anything
    /// else, and a store made with its own <c>OpenAsync</c> is already prepared.
    /// </summary>
    internal ValueTask InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Saves a definition version; false when the same content is already saved; an error when other content has that version.</summary>
    internal ValueTask<bool> SaveDefinitionAsync(ProcessDefinition definition, CancellationToken cancellationToken);

    /// <summary>A definition by id and version (the newest when <paramref name="version"/> is null). Read while a command runs.</summary>
    internal ProcessDefinition? FindDefinition(string processId, int? version);

    /// <summary>Every saved definition version.</summary>
    internal ValueTask<IReadOnlyList<ProcessDefinition>> ListDefinitionsAsync(CancellationToken cancellationToken);

    /// <summary>A new, never used instance id.</summary>
    internal InstanceId NewInstanceId();

    /// <summary>A new, never used task id.</summary>
    internal long NewTaskId();

    /// <summary>
    /// The committed state of an instance, or null. A durable store compiles the record's model
    /// through <paramref name="models"/>, and may leave earlier history events out of the record
    /// (<see cref="InstanceRecord.HistoryBase"/>) unless <paramref name="withHistory"/> asks for all.
    /// </summary>
    internal ValueTask<InstanceRecord?> FindInstanceAsync(InstanceId id, IModelSource models, bool withHistory, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a command's changes at once if the instance still has the expected version; false (nothing applied)
    /// otherwise, and also when a later check refuses it (a consumed message already gone, a fired timer's lease lost, a
    /// start request id already stored) or a concurrent commit won (a deadlock, a unique key). Completes once the
    /// changes are durable.
    /// </summary>
    internal ValueTask<bool> TryCommitAsync(InstanceCommit commit, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> instances of the query's process meeting all its criteria, ordered by process version
    /// then id, starting after <see cref="InstanceQuery.After"/> (none when that id is not an instance of the process). Read
    /// through an index by process, version and id; the page size of the query is not used (the engine asks for one more).
    /// </summary>
    internal ValueTask<List<InstanceSummary>> QueryInstancesAsync(InstanceQuery query, int limit, CancellationToken cancellationToken);

    /// <summary>The start stored under a caller's request id (<see cref="InstanceCommit.StartRequest"/>), or null.</summary>
    internal ValueTask<StartRequestRecord?> FindStartRequestAsync(string requestId, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="max"/> start requests whose start (the instance's start time) is before
    /// <paramref name="beforeTicks"/>, oldest first, through an index on that time; returns how many it deleted.
    /// </summary>
    internal ValueTask<int> PurgeStartRequestsAsync(long beforeTicks, int max, CancellationToken cancellationToken);

    /// <summary>A task by id, read while a command runs.</summary>
    internal HumanTaskInfo? FindTask(long taskId);

    /// <summary>A task by id.</summary>
    internal ValueTask<HumanTaskInfo?> FindTaskAsync(long taskId, CancellationToken cancellationToken);

    /// <summary>
    /// For a task command: the committed state of an instance (as <see cref="FindInstanceAsync"/> without history), then
    /// a task by id read after it (as <see cref="FindTask"/> would read it while the command runs); the task is null when
    /// the instance is. A durable store may read both in one round trip; this default reads one after the other.
    /// </summary>
    internal async ValueTask<(InstanceRecord? Instance, HumanTaskInfo? Task)> FindInstanceAndTaskAsync(InstanceId id, long taskId, IModelSource models, CancellationToken cancellationToken)
    {
        var instance = await FindInstanceAsync(id, models, false, cancellationToken).ConfigureAwait(false);
        return (instance, instance is null ? null : FindTask(taskId));
    }

    /// <summary>The tasks a query matches, by id.</summary>
    internal ValueTask<List<HumanTaskInfo>> QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken);

    /// <summary>How many open tasks are assigned to or claimed by a user (shortest-queue allocation), read while a command runs.</summary>
    internal int CountOpenTasks(string userId);

    /// <summary>
    /// The open tasks (offered or claimed) per process, and how many of them were due before <paramref name="nowTicks"/>:
    /// one count over the open tasks, read by the telemetry gauges when a collector asks (not during a command).
    /// </summary>
    internal List<OpenTaskCount> CountOpenTasksByProcess(long nowTicks);

    /// <summary>The oldest subscription waiting for a message name and correlation key, or null.</summary>
    internal ValueTask<Subscription?> FindSubscriptionAsync(string name, string key, CancellationToken cancellationToken);

    /// <summary>The oldest unexpired buffered message for a name and key, read while a command enters a wait.</summary>
    internal BufferedMessage? FindBuffered(string name, string key, long nowTicks);

    /// <summary>Whether a message id was applied and has not expired.</summary>
    internal ValueTask<bool> HasSeenMessageAsync(string messageId, long nowTicks, CancellationToken cancellationToken);

    /// <summary>Buffers a message nobody waits for yet; false when its id was seen (a duplicate).</summary>
    internal ValueTask<bool> TryBufferAsync(BufferedMessage message, long nowTicks, CancellationToken cancellationToken);

    /// <summary>Takes the timers due at <paramref name="nowTicks"/> (leasing them, in a shared store) into <paramref name="due"/>.</summary>
    internal ValueTask TakeDueAsync(long nowTicks, List<TimerRecord> due, CancellationToken cancellationToken);

    /// <summary>The earliest due time the store knows of, or null; a hint for sleeping, not a promise.</summary>
    internal long? NextDueTicks();

    /// <summary>
    /// Whether a taken timer is still this store's to fire: it is still stored and, in a store that leases timers,
    /// still leased by this store under the same lease (not taken over after its lease ran out, nor fired by another
    /// owner). Asked after a timer's commit was refused while the instance stayed at its version.
    /// </summary>
    internal ValueTask<bool> HoldsTimerAsync(TimerRecord timer, CancellationToken cancellationToken);

    /// <summary>Forgets a taken timer whose firing changed nothing (its wait had moved on, or its instance ended).</summary>
    internal ValueTask DropTimerAsync(TimerRecord timer, CancellationToken cancellationToken);

    /// <summary>Puts taken timers back (their command failed or was cancelled before it ran).</summary>
    internal ValueTask RescheduleAsync(IReadOnlyList<TimerRecord> timers, CancellationToken cancellationToken);

    /// <summary>The open incidents, of one instance or all.</summary>
    internal ValueTask<List<Incident>> QueryIncidentsAsync(InstanceId? instance, CancellationToken cancellationToken);
}
