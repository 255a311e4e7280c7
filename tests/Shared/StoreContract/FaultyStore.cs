using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Messaging;
using ProcessKit.Persistence;
using ProcessKit.Scheduling;
using ProcessKit.Tasks;

namespace ProcessKit.StoreContract;

/// <summary>The store calls a <see cref="FaultyStore"/> can fail.</summary>
public enum StoreCall
{
    /// <summary><c>TryCommitAsync</c>: a command's changes.</summary>
    Commit,

    /// <summary><c>TryBufferAsync</c>: a message nobody waits for yet.</summary>
    Buffer,

    /// <summary><c>TakeDueAsync</c>: leasing the due timers and jobs.</summary>
    TakeDue,

    /// <summary><c>DropTimerAsync</c>: forgetting a taken timer whose firing changed nothing.</summary>
    DropTimer,

    /// <summary><c>RescheduleAsync</c>: putting taken timers back.</summary>
    Reschedule,
}

/// <summary>What an injected fault does to the call it hits.</summary>
public enum FaultKind
{
    /// <summary>Throws before the inner store is called: nothing is stored.</summary>
    Before,

    /// <summary>Calls the inner store, then throws: the change is stored and the caller is told it failed ("committed, then failed").</summary>
    After,

    /// <summary>
    /// Hangs before the inner store is called until the caller cancels (an <see cref="OperationCanceledException"/>) or
    /// <see cref="FaultyStore.Timeout"/> passes on the store's clock, then throws as a lost connection does.
    /// </summary>
    Timeout,

    /// <summary>Calls the inner store, then hangs and fails like <see cref="Timeout"/>: stored, but the answer never comes.</summary>
    TimeoutAfter,

    /// <summary>
    /// Commits only: the store refuses the commit without applying it and without the instance having moved on (the
    /// call returns false), as a deadlock or serialization failure, a busy database or a consumed message gone does.
    /// </summary>
    Refuse,
}

/// <summary>
/// An <see cref="IProcessStore"/> around another store that fails chosen calls: before the inner store is called,
/// after it ("committed, then failed"), or by hanging until cancelled or timed out. A fault hits the Nth call of its
/// kind from the moment it is injected, optionally counting only the calls a predicate picks (the commit of one
/// instance, the commit that fires a timer). <see cref="Down"/> makes every call fail, as an unreachable database does.
/// </summary>
/// <remarks>
/// The thrown error is what the real stores throw for a lost connection: a <see cref="ProcessStoreException"/> with
/// <see cref="ProcessErrorCodes.StoreUnavailable"/> (a <see cref="TimeoutException"/> inside for a timeout), or, when
/// <see cref="Fault.Raw"/> is set, a raw <see cref="IOException"/> as a driver might let through. Thread-safe.
/// </remarks>
internal sealed class FaultyStore(IProcessStore inner, TimeProvider time) : IProcessStore
{
    private readonly Lock _gate = new();
    private readonly List<Fault> _faults = [];
    private readonly Dictionary<StoreCall, int> _calls = [];
    private TaskCompletionSource _hanging = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _down;

    /// <summary>The store every call goes to.</summary>
    public IProcessStore Inner { get; } = inner;

    /// <summary>How long a hanging call waits on the store's clock before it fails; 30 seconds by default.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>While true, every call throws <see cref="ProcessErrorCodes.StoreUnavailable"/> before reaching the inner store (reads included).</summary>
    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    /// <summary>How many faults have hit so far.</summary>
    public int Hits { get; private set; }

    /// <summary>Completes when a call starts hanging (a test then advances the clock or cancels); renewed after each hang.</summary>
    public Task Hanging
    {
        get
        {
            lock (_gate)
            {
                return _hanging.Task;
            }
        }
    }

    /// <summary>Arms a fault: it hits the <paramref name="nth"/> call of <paramref name="call"/> from now that <paramref name="when"/> accepts (commits only), once.</summary>
    public Fault Inject(StoreCall call, FaultKind kind, int nth = 1, Func<InstanceCommit, bool>? when = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nth, 1);
        var fault = new Fault(call, kind, nth, when);
        lock (_gate)
        {
            _faults.Add(fault);
        }

        return fault;
    }

    /// <summary>Disarms every fault not hit yet and brings the store back up.</summary>
    public void Heal()
    {
        lock (_gate)
        {
            _faults.Clear();
        }

        Down = false;
    }

    /// <summary>How many calls of a kind reached this wrapper (failed ones included).</summary>
    public int Calls(StoreCall call)
    {
        lock (_gate)
        {
            return _calls.GetValueOrDefault(call);
        }
    }

    ValueTask IProcessStore.InitializeAsync(CancellationToken cancellationToken) => Inner.InitializeAsync(cancellationToken);

    async ValueTask<bool> IProcessStore.SaveDefinitionAsync(ProcessDefinition definition, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return await Inner.SaveDefinitionAsync(definition, cancellationToken);
    }

    ProcessDefinition? IProcessStore.FindDefinition(string processId, int? version) => Inner.FindDefinition(processId, version);

    async ValueTask<IReadOnlyList<ProcessDefinition>> IProcessStore.ListDefinitionsAsync(CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return await Inner.ListDefinitionsAsync(cancellationToken);
    }

    InstanceId IProcessStore.NewInstanceId() => Inner.NewInstanceId();

    long IProcessStore.NewTaskId() => Inner.NewTaskId();

    async ValueTask<InstanceRecord?> IProcessStore.FindInstanceAsync(InstanceId id, IModelSource models, bool withHistory, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return await Inner.FindInstanceAsync(id, models, withHistory, cancellationToken);
    }

    async ValueTask<bool> IProcessStore.TryCommitAsync(InstanceCommit commit, CancellationToken cancellationToken)
    {
        var fault = Take(StoreCall.Commit, commit);
        if (fault is { Kind: FaultKind.Refuse })
        {
            return false;
        }

        await BeforeAsync(fault, cancellationToken);
        var stored = await Inner.TryCommitAsync(commit, cancellationToken);
        await AfterAsync(fault, cancellationToken);
        return stored;
    }

    async ValueTask<StartRequestRecord?> IProcessStore.FindStartRequestAsync(string requestId, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return await Inner.FindStartRequestAsync(requestId, cancellationToken);
    }

    async ValueTask<List<InstanceSummary>> IProcessStore.QueryInstancesAsync(InstanceQuery query, int limit, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return await Inner.QueryInstancesAsync(query, limit, cancellationToken);
    }

    ValueTask<int> IProcessStore.PurgeStartRequestsAsync(long beforeTicks, int max, CancellationToken cancellationToken) =>
        Inner.PurgeStartRequestsAsync(beforeTicks, max, cancellationToken);

    HumanTaskInfo? IProcessStore.FindTask(long taskId) => Inner.FindTask(taskId);

    async ValueTask<HumanTaskInfo?> IProcessStore.FindTaskAsync(long taskId, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return await Inner.FindTaskAsync(taskId, cancellationToken);
    }

    async ValueTask<List<HumanTaskInfo>> IProcessStore.QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return await Inner.QueryTasksAsync(query, cancellationToken);
    }

    int IProcessStore.CountOpenTasks(string userId) => Inner.CountOpenTasks(userId);

    List<OpenTaskCount> IProcessStore.CountOpenTasksByProcess(long nowTicks)
    {
        ThrowIfDown();
        return Inner.CountOpenTasksByProcess(nowTicks);
    }

    async ValueTask<Subscription?> IProcessStore.FindSubscriptionAsync(string name, string key, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return await Inner.FindSubscriptionAsync(name, key, cancellationToken);
    }

    BufferedMessage? IProcessStore.FindBuffered(string name, string key, long nowTicks) => Inner.FindBuffered(name, key, nowTicks);

    async ValueTask<bool> IProcessStore.HasSeenMessageAsync(string messageId, long nowTicks, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return await Inner.HasSeenMessageAsync(messageId, nowTicks, cancellationToken);
    }

    async ValueTask<bool> IProcessStore.TryBufferAsync(BufferedMessage message, long nowTicks, CancellationToken cancellationToken)
    {
        var fault = Take(StoreCall.Buffer, null);
        await BeforeAsync(fault, cancellationToken);
        var buffered = await Inner.TryBufferAsync(message, nowTicks, cancellationToken);
        await AfterAsync(fault, cancellationToken);
        return buffered;
    }

    async ValueTask IProcessStore.TakeDueAsync(long nowTicks, List<TimerRecord> due, CancellationToken cancellationToken)
    {
        var fault = Take(StoreCall.TakeDue, null);
        await BeforeAsync(fault, cancellationToken);
        await Inner.TakeDueAsync(nowTicks, due, cancellationToken);
        await AfterAsync(fault, cancellationToken);
    }

    long? IProcessStore.NextDueTicks() => Inner.NextDueTicks();

    async ValueTask IProcessStore.DropTimerAsync(TimerRecord timer, CancellationToken cancellationToken)
    {
        var fault = Take(StoreCall.DropTimer, null);
        await BeforeAsync(fault, cancellationToken);
        await Inner.DropTimerAsync(timer, cancellationToken);
        await AfterAsync(fault, cancellationToken);
    }

    async ValueTask<bool> IProcessStore.HoldsTimerAsync(TimerRecord timer, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return await Inner.HoldsTimerAsync(timer, cancellationToken);
    }

    async ValueTask IProcessStore.RescheduleAsync(IReadOnlyList<TimerRecord> timers, CancellationToken cancellationToken)
    {
        var fault = Take(StoreCall.Reschedule, null);
        await BeforeAsync(fault, cancellationToken);
        await Inner.RescheduleAsync(timers, cancellationToken);
        await AfterAsync(fault, cancellationToken);
    }

    async ValueTask<List<Incident>> IProcessStore.QueryIncidentsAsync(InstanceId? instance, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return await Inner.QueryIncidentsAsync(instance, cancellationToken);
    }

    /// <summary>Counts the call and picks the fault that hits it, if any.</summary>
    private Fault? Take(StoreCall call, InstanceCommit? commit)
    {
        ThrowIfDown();
        lock (_gate)
        {
            _calls[call] = _calls.GetValueOrDefault(call) + 1;
            foreach (var fault in _faults)
            {
                if (fault.Call != call || (fault.When is { } when && (commit is null || !when(commit))))
                {
                    continue;
                }

                if (--fault.Remaining == 0)
                {
                    _faults.Remove(fault);
                    Hits++;
                    fault.Hit = true;
                    return fault;
                }
            }
        }

        return null;
    }

    private async ValueTask BeforeAsync(Fault? fault, CancellationToken cancellationToken)
    {
        if (fault is null)
        {
            return;
        }

        if (fault.Kind == FaultKind.Before)
        {
            throw Failure(fault, "before the store was reached");
        }

        if (fault.Kind == FaultKind.Timeout)
        {
            await HangAsync(fault, cancellationToken);
        }
    }

    private async ValueTask AfterAsync(Fault? fault, CancellationToken cancellationToken)
    {
        if (fault is null)
        {
            return;
        }

        if (fault.Kind == FaultKind.After)
        {
            Down |= fault.ThenDown;
            throw Failure(fault, "after the store applied the call");
        }

        if (fault.Kind == FaultKind.TimeoutAfter)
        {
            await HangAsync(fault, cancellationToken);
        }
    }

    private async Task HangAsync(Fault fault, CancellationToken cancellationToken)
    {
        var delay = Task.Delay(Timeout, time, cancellationToken);
        TaskCompletionSource hanging;
        lock (_gate)
        {
            hanging = _hanging;
            _hanging = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        hanging.TrySetResult();
        await delay;
        throw Failure(fault, "the store did not answer in time", new TimeoutException("The injected hang timed out."));
    }

    private void ThrowIfDown()
    {
        if (Down)
        {
            throw new ProcessStoreException(ProcessErrorCodes.StoreUnavailable, "Injected fault: the store is down.");
        }
    }

    private static Exception Failure(Fault fault, string what, Exception? inner = null)
    {
        if (fault.Raw)
        {
            return new IOException($"Injected {fault.Call} fault: {what}.", inner);
        }

        return new ProcessStoreException(ProcessErrorCodes.StoreUnavailable, $"Injected {fault.Call} fault: {what}.", inner);
    }

    /// <summary>One armed fault.</summary>
    internal sealed class Fault(StoreCall call, FaultKind kind, int nth, Func<InstanceCommit, bool>? when)
    {
        public StoreCall Call { get; } = call;

        public FaultKind Kind { get; } = kind;

        public Func<InstanceCommit, bool>? When { get; } = when;

        /// <summary>Throw a raw <see cref="IOException"/> instead of a <see cref="ProcessStoreException"/>.</summary>
        public bool Raw { get; set; }

        /// <summary>For <see cref="FaultKind.After"/>: the store goes <see cref="Down"/> as the fault hits, so that nothing can be read back.</summary>
        public bool ThenDown { get; set; }

        /// <summary>Whether the fault has hit a call.</summary>
        public bool Hit { get; internal set; }

        internal int Remaining { get; set; } = nth;
    }
}
