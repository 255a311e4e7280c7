using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Messaging;
using ProcessKit.Scheduling;
using ProcessKit.Tasks;

namespace ProcessKit.Persistence;

/// <summary>
/// Keeps everything in memory: the reference semantics of <see cref="IProcessStore"/> and the
/// fastest path. State is lost when the process ends.
/// </summary>
/// <remarks>
/// Thread-safe: one lock guards every table, so a commit is applied atomically. Several engines
/// may share one store (each then sees the others' commits and retries on a version conflict).
/// </remarks>
public sealed class InMemoryProcessStore : IProcessStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedList<int, ProcessDefinition>> _definitions = new(StringComparer.Ordinal);
    private readonly Dictionary<long, InstanceRecord> _instances = [];

    // Instances packed into bytes (see InstanceArchive), by id: the index holds no references, the
    // archive's bytes none either. _instances keeps only those that cannot be packed.
    private readonly IdMap _packed = new();
    private readonly InstanceArchive _archive = new();

    // Tasks kept as objects: the open ones (and a closed one whose item cannot be packed). Closed tasks
    // are packed (see TaskArchive), by id, so that ended instances keep no task objects.
    private readonly Dictionary<long, HumanTaskInfo> _tasks = [];
    private readonly IdMap _closedTasks = new();
    private readonly TaskArchive _taskArchive = new();

    // Indexes for task queries, so that an instance's tasks or an inbox never scan every task ever made.
    private readonly Dictionary<long, InstanceTasks> _tasksByInstance = [];
    private readonly HashSet<long> _openTasks = [];
    private readonly SubscriptionIndex _subscriptions = new();
    private readonly Dictionary<(string Name, string Key), List<BufferedMessage>> _buffered = [];
    private readonly Dictionary<string, long> _seenMessages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StartRequestRecord> _startRequests = new(StringComparer.Ordinal);

    /// <summary>The start requests in the order they were stored, with their instance's start time, for the purge.</summary>
    private readonly Queue<(long StartedTicks, string RequestId)> _startRequestOrder = new();
    private readonly PriorityQueue<TimerRecord, long> _timers = new();
    private readonly Dictionary<(long Instance, int StepInstance), Incident> _incidents = [];

    /// <summary>The instances of each process by version and id, for <c>QueryInstancesAsync</c>; added when an instance is first committed.</summary>
    private readonly Dictionary<string, ProcessInstanceIndex> _byProcess = new(StringComparer.Ordinal);
    private long _lastInstanceId;
    private long _lastTaskId;

    /// <summary>The number of instances kept (running and ended).</summary>
    public int InstanceCount
    {
        get
        {
            lock (_gate)
            {
                return _instances.Count + _packed.Count;
            }
        }
    }

    ValueTask IProcessStore.InitializeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    ValueTask<bool> IProcessStore.SaveDefinitionAsync(ProcessDefinition definition, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(SaveDefinition(definition));
    }

    private bool SaveDefinition(ProcessDefinition definition)
    {
        lock (_gate)
        {
            if (!_definitions.TryGetValue(definition.Id, out var versions))
            {
                _definitions[definition.Id] = versions = [];
            }

            if (versions.TryGetValue(definition.Version, out var existing))
            {
                if (existing.Equals(definition))
                {
                    return false;
                }

                throw new InvalidCommandException(
                    ProcessErrorCodes.VersionExists,
                    $"Version {definition.Version} of the process '{definition.Id}' is already deployed with other content; deploy the change as a new version.");
            }

            versions.Add(definition.Version, definition);
            return true;
        }
    }

    ProcessDefinition? IProcessStore.FindDefinition(string processId, int? version)
    {
        lock (_gate)
        {
            if (!_definitions.TryGetValue(processId, out var versions) || versions.Count == 0)
            {
                return null;
            }

            return version is { } v ? versions.GetValueOrDefault(v) : versions.Values[^1];
        }
    }

    ValueTask<IReadOnlyList<ProcessDefinition>> IProcessStore.ListDefinitionsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<ProcessDefinition>>([.. _definitions.Values.SelectMany(static v => v.Values)]);
        }
    }

    InstanceId IProcessStore.NewInstanceId() => new(Interlocked.Increment(ref _lastInstanceId));

    long IProcessStore.NewTaskId() => Interlocked.Increment(ref _lastTaskId);

    private void IndexByProcess(InstanceRecord instance)
    {
        if (!_byProcess.TryGetValue(instance.Model.Id, out var ids))
        {
            ids = new ProcessInstanceIndex();
            _byProcess.Add(instance.Model.Id, ids);
        }

        ids.Add(instance.Model.Version, instance.Id.Value);
    }

    ValueTask<List<InstanceSummary>> IProcessStore.QueryInstancesAsync(InstanceQuery query, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var result = new List<InstanceSummary>(Math.Min(limit, 64));
        lock (_gate)
        {
            if (!_byProcess.TryGetValue(query.ProcessId, out var ids) || ids.IsEmpty)
            {
                return ValueTask.FromResult(result);
            }

            var from = (query.Version ?? int.MinValue, long.MinValue);
            var to = (query.Version ?? int.MaxValue, long.MaxValue);
            if (query.After is { } after)
            {
                var last = FindInstance(after);
                if (last is null || !string.Equals(last.Model.Id, query.ProcessId, StringComparison.Ordinal))
                {
                    return ValueTask.FromResult(result);
                }

                from = (last.Model.Version, after.Value + 1);
            }

            if (from.CompareTo(to) > 0)
            {
                return ValueTask.FromResult(result);
            }

            foreach (var id in ids.Between(from.Item1, from.Item2, to.Item1, to.Item2))
            {
                var record = FindInstance(new InstanceId(id))!;
                var summary = new InstanceSummary(
                    record.Id,
                    record.Model.Id,
                    record.Model.Version,
                    record.State,
                    record.BusinessKey,
                    new DateTimeOffset(record.StartedTicks, TimeSpan.Zero),
                    record.IsEnded ? new DateTimeOffset(record.EndedTicks, TimeSpan.Zero) : null);
                if (query.MatchesFilters(summary))
                {
                    result.Add(summary);
                    if (result.Count == limit)
                    {
                        break;
                    }
                }
            }
        }

        return ValueTask.FromResult(result);
    }

    ValueTask<int> IProcessStore.PurgeStartRequestsAsync(long beforeTicks, int max, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var deleted = 0;
        lock (_gate)
        {
            while (deleted < max && _startRequestOrder.TryPeek(out var oldest) && oldest.StartedTicks < beforeTicks)
            {
                _startRequestOrder.Dequeue();
                _startRequests.Remove(oldest.RequestId);
                deleted++;
            }
        }

        return ValueTask.FromResult(deleted);
    }

    ValueTask<StartRequestRecord?> IProcessStore.FindStartRequestAsync(string requestId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<StartRequestRecord?>(_startRequests.TryGetValue(requestId, out var request) ? request : null);
        }
    }

    ValueTask<InstanceRecord?> IProcessStore.FindInstanceAsync(InstanceId id, IModelSource models, bool withHistory, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(FindInstance(id));
    }

    /// <summary>The committed record of an instance, or null (the history is always whole in memory).</summary>
    internal InstanceRecord? FindInstance(InstanceId id)
    {
        lock (_gate)
        {
            if (_instances.TryGetValue(id.Value, out var running))
            {
                return running;
            }

            return _packed.TryGetValue(id.Value, out var at) ? _archive.Read(id, at) : null;
        }
    }

    ValueTask<bool> IProcessStore.TryCommitAsync(InstanceCommit commit, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TryCommit(commit));

    private bool TryCommit(InstanceCommit commit)
    {
        var instance = commit.Instance;
        var version = commit.ExpectedVersion + 1;

        // Packed before the lock is taken; thrown away in the rare case the commit is refused.
        var packs = InstanceArchive.TryEncode(instance, version, out var packed);
        if (!packs && (instance.HistoryLent || instance.History.Length > (2 * instance.HistoryCount) + 8))
        {
            // A waiting instance kept as a record keeps little more than the history it has: the array was
            // lent by the command for a whole run, or sized for one, and is mostly empty while it waits. Room is
            // left for the next command's events, and an array grown by doubling is never trimmed, so a
            // long-lived instance's commands do not copy its history twice each.
            instance.OwnHistory(Math.Max(4, instance.HistoryCount / 2));
        }

        lock (_gate)
        {
            var id = instance.Id.Value;
            long currentVersion;
            long previous = -1;
            if (_instances.TryGetValue(id, out var current))
            {
                currentVersion = current.Version;
            }
            else if (_packed.TryGetValue(id, out var at))
            {
                previous = at;
                currentVersion = _archive.VersionAt(at);
            }
            else
            {
                currentVersion = 0;
            }

            if (currentVersion != commit.ExpectedVersion)
            {
                return false;
            }

            if (commit.Consumed is { Count: > 0 } toConsume)
            {
                foreach (var message in toConsume)
                {
                    if (!_buffered.TryGetValue((message.Name, message.Key), out var kept) || !kept.Contains(message))
                    {
                        return false;
                    }
                }
            }

            if (commit.StartRequest is { } request)
            {
                if (!_startRequests.TryAdd(request.RequestId, request))
                {
                    return false;
                }

                _startRequestOrder.Enqueue((instance.StartedTicks, request.RequestId));
            }

            instance.Version = version;
            if (currentVersion == 0)
            {
                IndexByProcess(instance);
            }

            if (previous >= 0)
            {
                _archive.Release(previous);
            }

            if (packs)
            {
                if (current is not null)
                {
                    _instances.Remove(id);
                }

                _packed.Set(id, _archive.Append(instance.Model, packed));
                if (_archive.ShouldCompact)
                {
                    _archive.Compact(_packed);
                }
            }
            else
            {
                _instances[id] = instance;
                if (previous >= 0)
                {
                    _packed.Remove(id);
                }
            }

            if (commit.Tasks is { Count: > 0 } tasks)
            {
                foreach (var task in tasks)
                {
                    KeepTask(task);
                }
            }

            if (commit.Unsubscribe is { Count: > 0 } unsubscribe)
            {
                foreach (var s in unsubscribe)
                {
                    _subscriptions.Remove(s);
                }
            }

            if (commit.Subscribe is { Count: > 0 } subscribe)
            {
                foreach (var s in subscribe)
                {
                    _subscriptions.Add(s);
                }
            }

            if (commit.Timers is { Count: > 0 } timers)
            {
                foreach (var timer in timers)
                {
                    _timers.Enqueue(timer, timer.DueTicks);
                }
            }

            if (commit.Consumed is { Count: > 0 } consumed)
            {
                foreach (var message in consumed)
                {
                    if (_buffered.TryGetValue((message.Name, message.Key), out var list))
                    {
                        list.Remove(message);
                        if (list.Count == 0)
                        {
                            _buffered.Remove((message.Name, message.Key));
                        }
                    }
                }
            }

            if (commit.ResolvedIncidents is { Count: > 0 } resolved)
            {
                foreach (var incident in resolved)
                {
                    _incidents.Remove((incident.Instance.Value, incident.StepInstance));
                }
            }

            if (commit.Incidents is { Count: > 0 } raised)
            {
                foreach (var incident in raised)
                {
                    _incidents[(incident.Instance.Value, incident.StepInstance)] = incident;
                }
            }

            if (commit.MessageId is { } messageId)
            {
                _seenMessages[messageId] = commit.MessageIdExpiresTicks;
            }

            return true;
        }
    }

    private void KeepTask(HumanTaskInfo task)
    {
        var id = task.TaskId;
        if (!_tasks.ContainsKey(id) && !_closedTasks.Remove(id))
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_tasksByInstance, task.Instance.Value, out _).Add(id);
        }

        if (task.IsOpen)
        {
            _tasks[id] = task;
            _openTasks.Add(id);
            return;
        }

        _openTasks.Remove(id);
        if (_taskArchive.TryAppend(task, out var at))
        {
            _tasks.Remove(id);
            _closedTasks.Set(id, at);
        }
        else
        {
            _tasks[id] = task;
        }
    }

    /// <summary>A task by id, open or closed; null when unknown. Called under the lock.</summary>
    private HumanTaskInfo? TaskById(long taskId) =>
        _tasks.TryGetValue(taskId, out var task) ? task
        : _closedTasks.TryGetValue(taskId, out var at) ? _taskArchive.Read(taskId, at)
        : null;

    ValueTask<HumanTaskInfo?> IProcessStore.FindTaskAsync(long taskId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(((IProcessStore)this).FindTask(taskId));
    }

    HumanTaskInfo? IProcessStore.FindTask(long taskId)
    {
        lock (_gate)
        {
            return TaskById(taskId);
        }
    }

    ValueTask<List<HumanTaskInfo>> IProcessStore.QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(QueryTasks(query));
    }

    int IProcessStore.CountOpenTasks(string userId)
    {
        var count = 0;
        lock (_gate)
        {
            foreach (var id in _openTasks)
            {
                var task = _tasks[id];
                if (string.Equals(task.ClaimedBy, userId, StringComparison.Ordinal) || string.Equals(task.AssignedTo, userId, StringComparison.Ordinal))
                {
                    count++;
                }
            }
        }

        return count;
    }

    List<OpenTaskCount> IProcessStore.CountOpenTasksByProcess(long nowTicks)
    {
        var counts = new Dictionary<string, (int Open, int Overdue)>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var id in _openTasks)
            {
                var task = _tasks[id];
                var (open, overdue) = counts.GetValueOrDefault(task.ProcessId);
                counts[task.ProcessId] = (open + 1, overdue + (task.DueAt is { } due && due.UtcTicks < nowTicks ? 1 : 0));
            }
        }

        var result = new List<OpenTaskCount>(counts.Count);
        foreach (var pair in counts)
        {
            result.Add(new OpenTaskCount(pair.Key, pair.Value.Open, pair.Value.Overdue));
        }

        return result;
    }

    private List<HumanTaskInfo> QueryTasks(TaskQuery query)
    {
        var result = new List<HumanTaskInfo>();
        lock (_gate)
        {
            if (query.Instance is { } instance)
            {
                if (_tasksByInstance.TryGetValue(instance.Value, out var ids))
                {
                    AddMatch(query, ids.First, result);
                    if (ids.More is { } more)
                    {
                        foreach (var id in more)
                        {
                            AddMatch(query, id, result);
                        }
                    }
                }
            }
            else if (query.AvailableTo is not null || query.State is TaskState.Offered or TaskState.Claimed)
            {
                // Only open tasks can match: the closed ones, which pile up, are never looked at.
                foreach (var id in _openTasks)
                {
                    AddMatch(query, id, result);
                }
            }
            else
            {
                foreach (var task in _tasks.Values)
                {
                    if (query.Matches(task))
                    {
                        result.Add(task);
                    }
                }

                if (query.State is not (TaskState.Offered or TaskState.Claimed))
                {
                    foreach (var pair in _closedTasks.Entries())
                    {
                        var task = _taskArchive.Read(pair.Key, pair.Value);
                        if (query.Matches(task))
                        {
                            result.Add(task);
                        }
                    }
                }
            }
        }

        result.Sort(static (a, b) => a.TaskId.CompareTo(b.TaskId));
        return result;
    }

    private void AddMatch(TaskQuery query, long taskId, List<HumanTaskInfo> result)
    {
        var task = TaskById(taskId)!;
        if (query.Matches(task))
        {
            result.Add(task);
        }
    }

    ValueTask<Subscription?> IProcessStore.FindSubscriptionAsync(string name, string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<Subscription?>(_subscriptions.TryFindFirst(name, key, out var first) ? first : null);
        }
    }

    BufferedMessage? IProcessStore.FindBuffered(string name, string key, long nowTicks)
    {
        lock (_gate)
        {
            if (_buffered.TryGetValue((name, key), out var list))
            {
                list.RemoveAll(m => m.ExpiresTicks <= nowTicks);
                if (list.Count > 0)
                {
                    return list[0];
                }

                _buffered.Remove((name, key));
            }

            return null;
        }
    }

    ValueTask<bool> IProcessStore.HasSeenMessageAsync(string messageId, long nowTicks, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_seenMessages.TryGetValue(messageId, out var expires) && expires > nowTicks);
        }
    }

    ValueTask<bool> IProcessStore.TryBufferAsync(BufferedMessage message, long nowTicks, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(TryBuffer(message, nowTicks));
    }

    private bool TryBuffer(BufferedMessage message, long nowTicks)
    {
        lock (_gate)
        {
            if (message.MessageId is { } id)
            {
                if (_seenMessages.TryGetValue(id, out var expires) && expires > nowTicks)
                {
                    return false;
                }

                _seenMessages[id] = message.ExpiresTicks;
            }

            if (!_buffered.TryGetValue((message.Name, message.Key), out var list))
            {
                _buffered[(message.Name, message.Key)] = list = new List<BufferedMessage>(1);
            }

            list.Add(message);
            return true;
        }
    }

    ValueTask IProcessStore.TakeDueAsync(long nowTicks, List<TimerRecord> due, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TakeDue(nowTicks, due);
        return ValueTask.CompletedTask;
    }

    private void TakeDue(long nowTicks, List<TimerRecord> due)
    {
        lock (_gate)
        {
            while (_timers.TryPeek(out var timer, out var ticks) && ticks <= nowTicks)
            {
                _timers.Dequeue();
                due.Add(timer);
            }

            if (_seenMessages.Count > 0 && due.Count > 0)
            {
                foreach (var pair in _seenMessages)
                {
                    if (pair.Value <= nowTicks)
                    {
                        _seenMessages.Remove(pair.Key);
                    }
                }
            }
        }
    }

    ValueTask<List<Incident>> IProcessStore.QueryIncidentsAsync(InstanceId? instance, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(QueryIncidents(instance));
    }

    private List<Incident> QueryIncidents(InstanceId? instance)
    {
        var result = new List<Incident>();
        lock (_gate)
        {
            foreach (var incident in _incidents.Values)
            {
                if (instance is null || incident.Instance == instance.Value)
                {
                    result.Add(incident);
                }
            }
        }

        result.Sort(static (a, b) => a.RaisedAt != b.RaisedAt ? a.RaisedAt.CompareTo(b.RaisedAt) : a.StepInstance.CompareTo(b.StepInstance));
        return result;
    }

    ValueTask IProcessStore.DropTimerAsync(TimerRecord timer, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Always true: a timer taken from the queue is the taker's alone until it is put back.</summary>
    ValueTask<bool> IProcessStore.HoldsTimerAsync(TimerRecord timer, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    ValueTask IProcessStore.RescheduleAsync(IReadOnlyList<TimerRecord> timers, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var timer in timers)
            {
                _timers.Enqueue(timer, timer.DueTicks);
            }
        }

        return ValueTask.CompletedTask;
    }

    long? IProcessStore.NextDueTicks()
    {
        lock (_gate)
        {
            return _timers.TryPeek(out _, out var ticks) ? ticks : null;
        }
    }

    /// <summary>The ids of an instance's tasks, in the order made: nearly always one, kept inline in the index entry.</summary>
    private struct InstanceTasks
    {
        /// <summary>The first task's id (task ids start at 1).</summary>
        public long First;

        /// <summary>The later tasks' ids, when there are any.</summary>
        public List<long>? More;

        public void Add(long taskId)
        {
            if (First == 0)
            {
                First = taskId;
            }
            else
            {
                (More ??= new List<long>(2)).Add(taskId);
            }
        }
    }
}
