using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Messaging;
using ProcessKit.Persistence;
using ProcessKit.Tasks;

namespace ProcessKit.StoreContract;

/// <summary>
/// The engine over a store that fails: every kind of command (start, complete a task, a message with an id, a timer, a
/// job, cancel) meets a store that throws before committing, after committing ("committed, then failed") and that
/// hangs until a timeout. The caller sees a typed error or a success; the instance reads back whole, before or after;
/// repeating the command applies it once or is refused as done; timers and jobs run again only when their commit was
/// not stored; the engine goes on serving other instances. A store's test project derives from this class (the file
/// is linked into each) and says how to make an empty store.
/// </summary>
public abstract class FaultInjectionContract : IAsyncLifetime
{
    /// <summary>The start of fake time in every test.</summary>
    protected static readonly DateTimeOffset Epoch = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private const string ProcessId = "faults.order";
    private const string Charge = "faults.charge";

    private static readonly ProcessUser Clerk = new("ann", ["clerk"]);

    private readonly List<IProcessStore> _opened = [];

    /// <summary>The fake clock every engine and fault of the test reads.</summary>
    protected FakeTimeProvider Time { get; } = new(Epoch);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Makes an empty store; may be called more than once in a test (each call a store of its own).</summary>
    protected abstract ValueTask<IProcessStore> CreateStoreAsync();

    /// <summary>Releases a store made by <see cref="CreateStoreAsync"/>.</summary>
    protected virtual ValueTask DisposeStoreAsync(IProcessStore store) =>
        store is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened.AsEnumerable().Reverse())
        {
            await DisposeStoreAsync(store);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>An order: a clerk checks it, a job charges it (retried once a minute, three attempts), a payment message with its number arrives, it settles for ten minutes, it ends.</summary>
    private static ProcessDefinition OrderProcess()
    {
        var p = ProcessBuilder.Create(ProcessId, "Order under faults");
        p.Supplier("shop", "Shop").Inputs(Field.String("order", required: true));
        var clerk = p.Role("clerk", "Clerk");
        var check = p.HumanTask("check", "Check the order", clerk).Writes(Field.String("note"));
        var charge = p.Automated("charge", "Charge the card", Charge).Writes(Field.Boolean("charged"))
            .Asynchronous()
            .Retry(new RetryPolicy { MaxAttempts = 3, Delay = TimeSpan.FromMinutes(1), BackoffMultiplier = 1 });
        var paid = p.WaitMessage("paid", "Wait for the payment", "payment").CorrelatedBy("order").Writes(Field.Number("paidAmount"));
        var settle = p.Timer("settle", "Let it settle", TimeSpan.FromMinutes(10));
        var done = p.End("done", "Done").Outcome("settled");
        check.Then(charge);
        charge.Then(paid);
        paid.Then(settle);
        settle.Then(done);
        return p.Build();
    }

    private static Dictionary<string, object?> Order(string number) => new() { ["order"] = number };

    private static ProcessMessage Payment(string order, string id) =>
        new("payment") { CorrelationKey = order, MessageId = id, Payload = new Dictionary<string, object?> { ["paidAmount"] = 10 } };

    /// <summary>Every way a commit can fail: before storing, after storing, hanging, hanging after storing.</summary>
    public static TheoryData<FaultKind> EveryFault => new() { FaultKind.Before, FaultKind.After, FaultKind.Timeout, FaultKind.TimeoutAfter };

    /// <summary>The odd ways a commit can fail: with a raw driver error before storing, or stored just as the store goes down.</summary>
    public static TheoryData<bool> RawOrStoredThenDown => new() { false, true };

    private static bool IsStored(FaultKind kind) => kind is FaultKind.After or FaultKind.TimeoutAfter;

    private async Task<Kit> KitAsync(IProcessStore? store = null)
    {
        store ??= await CreateStoreAsync();
        _opened.Add(store);
        var kit = new Kit(new FaultyStore(store, Time), Time);
        await kit.Engine.DeployAsync(OrderProcess(), Ct);
        return kit;
    }

    /// <summary>Runs a command the armed fault will hit: a hanging store is timed out on the fake clock. Returns what the command threw, or null.</summary>
    private async Task<Exception?> UnderFaultAsync(Kit kit, FaultKind kind, Func<CancellationToken, ValueTask> command)
    {
        var hanging = kit.Store.Hanging;
        var running = command(Ct).AsTask();
        if (kind is FaultKind.Timeout or FaultKind.TimeoutAfter)
        {
            await hanging.WaitAsync(Ct);
            Time.Advance(kit.Store.Timeout);
        }

        try
        {
            await running;
            return null;
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            return e;
        }
    }

    /// <summary>The error a failed store call gives: the store's own, typed (a timeout inside for a hang).</summary>
    private static void AssertStoreError(FaultKind kind, Exception? error)
    {
        var store = Assert.IsType<ProcessStoreException>(error);
        Assert.Equal(ProcessErrorCodes.StoreUnavailable, store.ErrorCode);
        if (kind is FaultKind.Timeout or FaultKind.TimeoutAfter)
        {
            Assert.IsType<TimeoutException>(store.InnerException);
        }
    }

    /// <summary>Asserts what a fault hitting a command gives: success when the commit was stored, else the store's error.</summary>
    private static void AssertOutcome(FaultKind kind, Kit kit, Exception? error)
    {
        Assert.Equal(1, kit.Store.Hits);
        if (IsStored(kind))
        {
            Assert.Null(error);
        }
        else
        {
            AssertStoreError(kind, error);
        }
    }

    private static async Task<HumanTaskInfo> OpenTaskAsync(Kit kit, InstanceId id) =>
        Assert.Single(await kit.Engine.QueryTasksAsync(new TaskQuery { Instance = id, State = TaskState.Offered }, Ct));

    /// <summary>
    /// The instance reads back whole: its open tasks, its subscription, its scheduled timers and its history agree with
    /// the steps it waits at and with its state.
    /// </summary>
    private static async Task<InstanceSnapshot> AssertConsistentAsync(Kit kit, InstanceId id)
    {
        var store = kit.Store.Inner;
        var instance = await kit.Engine.GetInstanceAsync(id, Ct);
        var history = await kit.Engine.GetHistoryAsync(id, Ct);
        var tasks = await store.QueryTasksAsync(new TaskQuery { Instance = id }, Ct);
        var active = instance.ActiveSteps;

        Assert.Equal(active.Count(static s => s == "check"), tasks.Count(static t => t.IsOpen));
        Assert.Equal(
            history.Count(static e => e.StepId == "check" && e.Type is HistoryEventType.StepCompleted or HistoryEventType.StepCancelled),
            tasks.Count(static t => !t.IsOpen));
        var order = (string)instance.Data["order"]!;
        var subscription = await store.FindSubscriptionAsync("payment", order, Ct);
        Assert.Equal(active.Contains("paid"), subscription?.Instance == id);
        if (active.Contains("charge") || active.Contains("settle"))
        {
            Assert.NotNull(store.NextDueTicks());
        }

        foreach (var step in (string[])["check", "charge", "paid", "settle"])
        {
            var entered = history.Count(e => e.StepId == step && e.Type == HistoryEventType.StepEntered);
            var left = history.Count(e => e.StepId == step && e.Type is HistoryEventType.StepCompleted or HistoryEventType.StepCancelled);
            Assert.Equal(active.Count(s => s == step), entered - left);
        }

        Assert.Equal(instance.State != InstanceState.Running, history[^1].Type is HistoryEventType.InstanceCompleted or HistoryEventType.InstanceCancelled or HistoryEventType.InstanceFailed);
        Assert.Equal(HistoryEventType.InstanceStarted, history[0].Type);
        Assert.Single(history, static e => e.Type == HistoryEventType.InstanceStarted);
        return instance;
    }

    /// <summary>Starts an order and brings it to the step named (check, charge, paid or settle) without faults.</summary>
    private async Task<InstanceId> OrderAtAsync(Kit kit, string order, string step)
    {
        var id = await kit.Engine.StartAsync(ProcessId, Order(order), order, Ct);
        if (step == "check")
        {
            return id;
        }

        await kit.Engine.CompleteTaskAsync((await OpenTaskAsync(kit, id)).TaskId, Clerk, cancellationToken: Ct);
        if (step == "charge")
        {
            return id;
        }

        Assert.Equal(1, await kit.Engine.RunDueAsync(Ct));
        if (step == "paid")
        {
            return id;
        }

        Assert.Equal(MessageOutcome.Delivered, await kit.Engine.PublishMessageAsync(Payment(order, "pay-" + order), Ct));
        return id;
    }

    [Theory]
    [MemberData(nameof(EveryFault), MemberType = typeof(FaultInjectionContract))]
    public async Task A_start_whose_commit_fails_creates_the_instance_once_or_not_at_all(FaultKind kind)
    {
        var kit = await KitAsync();
        kit.Store.Inject(StoreCall.Commit, kind, when: static c => c.ExpectedVersion == 0);
        var id = default(InstanceId);

        var error = await UnderFaultAsync(kit, kind, async ct => id = await kit.Engine.StartAsync(ProcessId, Order("S-1"), "S-1", ct));

        AssertOutcome(kind, kit, error);
        var offered = await kit.Engine.QueryTasksAsync(new TaskQuery { Role = "clerk" }, Ct);
        if (IsStored(kind))
        {
            Assert.Equal(id, Assert.Single(offered).Instance);
            Assert.Equal(["check"], (await AssertConsistentAsync(kit, id)).ActiveSteps);
        }
        else
        {
            Assert.Empty(offered);
            id = await kit.Engine.StartAsync(ProcessId, Order("S-1"), "S-1", Ct);
            Assert.Equal(id, Assert.Single(await kit.Engine.QueryTasksAsync(new TaskQuery { Role = "clerk" }, Ct)).Instance);
            await AssertConsistentAsync(kit, id);
        }
    }

    private static StartRequest StartOf(string order, string requestId) =>
        new(ProcessId) { Data = Order(order), BusinessKey = order, RequestId = requestId };

    [Theory]
    [InlineData(FaultKind.Before, false)]
    [InlineData(FaultKind.After, false)]
    [InlineData(FaultKind.After, true)]
    [InlineData(FaultKind.Timeout, false)]
    [InlineData(FaultKind.TimeoutAfter, false)]
    public async Task A_start_with_a_request_id_repeated_until_answered_after_any_store_error_makes_one_instance(FaultKind kind, bool thenDown)
    {
        var kit = await KitAsync();
        kit.Store.Inject(StoreCall.Commit, kind, when: static c => c.ExpectedVersion == 0).ThenDown = thenDown;
        var request = StartOf("I-1", "start-I-1");
        var id = default(InstanceId);

        var error = await UnderFaultAsync(kit, kind, async ct => id = await kit.Engine.StartAsync(request, ct));

        if (thenDown)
        {
            Assert.Equal(ProcessErrorCodes.StoreOutcomeUnknown, Assert.IsType<ProcessStoreException>(error).ErrorCode);
        }
        else
        {
            AssertOutcome(kind, kit, error);
        }

        kit.Store.Heal();
        var first = id;
        var again = await kit.Engine.StartAsync(request, Ct);
        if (error is null)
        {
            Assert.Equal(first, again);
        }

        Assert.Equal(again, await kit.Engine.StartAsync(request, Ct));
        Assert.Equal(again, Assert.Single(await kit.Engine.QueryTasksAsync(new TaskQuery { Role = "clerk" }, Ct)).Instance);
        Assert.Equal(["check"], (await AssertConsistentAsync(kit, again)).ActiveSteps);
    }

    [Fact]
    public async Task A_start_request_id_used_again_for_other_data_is_refused_naming_the_instance_it_started()
    {
        var kit = await KitAsync();
        var id = await kit.Engine.StartAsync(StartOf("I-2", "start-I-2"), Ct);

        var error = await Assert.ThrowsAsync<StartRequestConflictException>(async () => await kit.Engine.StartAsync(StartOf("I-3", "start-I-2"), Ct));

        Assert.Equal(ProcessErrorCodes.StartRequestConflict, error.ErrorCode);
        Assert.Equal(id, error.Instance);
        Assert.Equal("start-I-2", error.RequestId);
        Assert.Contains(id.ToString(), error.Message, StringComparison.Ordinal);
        var key = await Assert.ThrowsAsync<StartRequestConflictException>(async () => await kit.Engine.StartAsync(StartOf("I-2", "start-I-2") with { BusinessKey = "other" }, Ct));
        Assert.Equal(id, key.Instance);
        Assert.Equal(id, Assert.Single(await kit.Engine.QueryTasksAsync(new TaskQuery { Role = "clerk" }, Ct)).Instance);

        // The same data in another dictionary, keys in another order, is the same request; other ids are other starts.
        var same = new Dictionary<string, object?>(Order("I-2"));
        Assert.Equal(id, await kit.Engine.StartAsync(new StartRequest(ProcessId) { Data = same, BusinessKey = "I-2", RequestId = "start-I-2" }, Ct));
        Assert.NotEqual(id, await kit.Engine.StartAsync(StartOf("I-2", "start-I-2b"), Ct));
        Assert.NotEqual(id, await kit.Engine.StartAsync(ProcessId, Order("I-2"), "I-2", Ct));
        Assert.Equal(3, (await kit.Engine.QueryTasksAsync(new TaskQuery { Role = "clerk" }, Ct)).Count);
    }

    [Fact]
    public async Task Concurrent_starts_with_one_request_id_make_one_instance_and_all_return_it()
    {
        var kit = await KitAsync();
        var request = StartOf("I-4", "start-I-4");

        var ids = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () => await kit.Engine.StartAsync(request, Ct), Ct)));

        var id = Assert.Single(ids.Distinct());
        Assert.Equal(id, Assert.Single(await kit.Engine.QueryTasksAsync(new TaskQuery { Role = "clerk" }, Ct)).Instance);
        await AssertConsistentAsync(kit, id);
    }

    [Fact]
    public async Task A_start_with_a_request_id_for_an_instance_that_has_ended_still_returns_that_instance()
    {
        var kit = await KitAsync();
        var id = await kit.Engine.StartAsync(StartOf("I-5", "start-I-5"), Ct);
        await kit.Engine.CancelInstanceAsync(id, cancellationToken: Ct);

        Assert.Equal(id, await kit.Engine.StartAsync(StartOf("I-5", "start-I-5"), Ct));
        Assert.Equal(InstanceState.Cancelled, (await kit.Engine.GetInstanceAsync(id, Ct)).State);
    }

    [Theory]
    [MemberData(nameof(EveryFault), MemberType = typeof(FaultInjectionContract))]
    public async Task A_task_completion_whose_commit_fails_is_applied_once(FaultKind kind)
    {
        var kit = await KitAsync();
        var id = await OrderAtAsync(kit, "C-1", "check");
        var task = await OpenTaskAsync(kit, id);
        var before = await AssertConsistentAsync(kit, id);
        kit.Store.Inject(StoreCall.Commit, kind, when: c => c.Instance.Id == id);

        var error = await UnderFaultAsync(kit, kind, async ct => await kit.Engine.CompleteTaskAsync(task.TaskId, Clerk, null, new Dictionary<string, object?> { ["note"] = "fine" }, ct));

        AssertOutcome(kind, kit, error);
        var now = await AssertConsistentAsync(kit, id);
        if (IsStored(kind))
        {
            Assert.Equal(["charge"], now.ActiveSteps);
            var again = await Assert.ThrowsAsync<InvalidCommandException>(async () => await kit.Engine.CompleteTaskAsync(task.TaskId, Clerk, cancellationToken: Ct));
            Assert.Equal(ProcessErrorCodes.TaskClosed, again.ErrorCode);
        }
        else
        {
            Assert.Equal(before.Version, now.Version);
            Assert.Equal(["check"], now.ActiveSteps);
            await kit.Engine.CompleteTaskAsync(task.TaskId, Clerk, null, new Dictionary<string, object?> { ["note"] = "fine" }, Ct);
        }

        var after = await AssertConsistentAsync(kit, id);
        Assert.Equal(["charge"], after.ActiveSteps);
        Assert.Equal("fine", after.Data["note"]);
        Assert.Single(await kit.Engine.GetHistoryAsync(id, Ct), static e => e.StepId == "check" && e.Type == HistoryEventType.StepCompleted);
    }

    [Theory]
    [MemberData(nameof(EveryFault), MemberType = typeof(FaultInjectionContract))]
    public async Task A_message_whose_commit_fails_is_delivered_once(FaultKind kind)
    {
        var kit = await KitAsync();
        var id = await OrderAtAsync(kit, "M-1", "paid");
        var message = Payment("M-1", "pay-once");
        kit.Store.Inject(StoreCall.Commit, kind, when: c => c.Instance.Id == id);
        var outcome = MessageOutcome.Duplicate;

        var error = await UnderFaultAsync(kit, kind, async ct => outcome = await kit.Engine.PublishMessageAsync(message, ct));

        AssertOutcome(kind, kit, error);
        var now = await AssertConsistentAsync(kit, id);
        if (IsStored(kind))
        {
            Assert.Equal(MessageOutcome.Delivered, outcome);
            Assert.Equal(["settle"], now.ActiveSteps);
        }
        else
        {
            Assert.Equal(["paid"], now.ActiveSteps);
            Assert.Equal(MessageOutcome.Delivered, await kit.Engine.PublishMessageAsync(message, Ct));
        }

        Assert.Equal(MessageOutcome.Duplicate, await kit.Engine.PublishMessageAsync(message, Ct));
        var after = await AssertConsistentAsync(kit, id);
        Assert.Equal(["settle"], after.ActiveSteps);
        Assert.Equal(10m, after.Data["paidAmount"]);
        Assert.Single(await kit.Engine.GetHistoryAsync(id, Ct), static e => e.Type == HistoryEventType.MessageReceived);
    }

    [Theory]
    [MemberData(nameof(EveryFault), MemberType = typeof(FaultInjectionContract))]
    public async Task A_timer_whose_commit_fails_fires_again_only_when_nothing_was_stored(FaultKind kind)
    {
        var kit = await KitAsync();
        var id = await OrderAtAsync(kit, "T-1", "settle");
        Time.Advance(TimeSpan.FromMinutes(10));
        kit.Store.Inject(StoreCall.Commit, kind, when: static c => c.FiredTimer is not null);
        var fired = 0;

        var error = await UnderFaultAsync(kit, kind, async ct => fired = await kit.Engine.RunDueAsync(ct));

        AssertOutcome(kind, kit, error);
        var now = await AssertConsistentAsync(kit, id);
        if (IsStored(kind))
        {
            Assert.Equal(1, fired);
            Assert.Equal(InstanceState.Completed, now.State);
        }
        else
        {
            Assert.Equal(["settle"], now.ActiveSteps);
            Assert.Equal(1, await kit.Engine.RunDueAsync(Ct));
        }

        Assert.Equal(0, await kit.Engine.RunDueAsync(Ct));
        Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await kit.Engine.RunDueAsync(Ct));
        Assert.Equal(InstanceState.Completed, (await AssertConsistentAsync(kit, id)).State);
        Assert.Single(await kit.Engine.GetHistoryAsync(id, Ct), static e => e.Type == HistoryEventType.TimerFired);
    }

    [Theory]
    [InlineData("settle", 1)]
    [InlineData("settle", 3)]
    [InlineData("charge", 1)]
    [InlineData("charge", 3)]
    public async Task A_timer_or_job_whose_commit_the_store_refuses_is_retried_and_fires_once(string step, int refusals)
    {
        var kit = await KitAsync();
        var id = await OrderAtAsync(kit, "V-" + step, step);
        Time.Advance(TimeSpan.FromMinutes(10));
        for (var i = 0; i < refusals; i++)
        {
            // A deadlock, a busy database, a consumed message gone: the instance did not move on, and the timer is still this engine's.
            kit.Store.Inject(StoreCall.Commit, FaultKind.Refuse, when: static c => c.FiredTimer is not null);
        }

        Assert.Equal(1, await kit.Engine.RunDueAsync(Ct));

        Assert.Equal(refusals, kit.Store.Hits);
        Assert.Equal(0, await kit.Engine.RunDueAsync(Ct));
        var after = await AssertConsistentAsync(kit, id);
        if (step == "settle")
        {
            Assert.Equal(InstanceState.Completed, after.State);
            Assert.Single(await kit.Engine.GetHistoryAsync(id, Ct), static e => e.Type == HistoryEventType.TimerFired);
        }
        else
        {
            // The handler ran once per try (at least once); its result is stored once.
            Assert.Equal(["paid"], after.ActiveSteps);
            Assert.Equal(refusals + 1, kit.Runs(id));
            Assert.Single(await kit.Engine.GetHistoryAsync(id, Ct), static e => e.StepId == "charge" && e.Type == HistoryEventType.StepCompleted);
        }
    }

    [Theory]
    [InlineData("settle")]
    [InlineData("charge")]
    public async Task A_timer_or_job_whose_commit_the_store_refuses_on_every_retry_stays_scheduled_for_the_next_run(string step)
    {
        var kit = await KitAsync();
        var id = await OrderAtAsync(kit, "Y-" + step, step);
        Time.Advance(TimeSpan.FromMinutes(10));
        var tries = new ProcessEngineOptions().MaxConflictRetries + 1;
        for (var i = 0; i < tries; i++)
        {
            kit.Store.Inject(StoreCall.Commit, FaultKind.Refuse, when: static c => c.FiredTimer is not null);
        }

        var error = await Assert.ThrowsAsync<ProcessConflictException>(async () => await kit.Engine.RunDueAsync(Ct));

        Assert.Equal(ProcessErrorCodes.Conflict, error.ErrorCode);
        Assert.Equal(tries, kit.Store.Hits);
        Assert.Equal([step], (await AssertConsistentAsync(kit, id)).ActiveSteps);
        Assert.NotNull(kit.Engine.NextDueTime);
        Assert.Equal(1, await kit.Engine.RunDueAsync(Ct));
        Assert.Equal(0, await kit.Engine.RunDueAsync(Ct));
        string[] expected = step == "settle" ? [] : ["paid"];
        Assert.Equal(expected, (await AssertConsistentAsync(kit, id)).ActiveSteps);
    }

    [Theory]
    [MemberData(nameof(EveryFault), MemberType = typeof(FaultInjectionContract))]
    public async Task A_job_whose_commit_fails_runs_again_only_when_nothing_was_stored(FaultKind kind)
    {
        var kit = await KitAsync();
        var id = await OrderAtAsync(kit, "J-1", "charge");
        kit.Store.Inject(StoreCall.Commit, kind, when: static c => c.FiredTimer is not null);
        var fired = 0;

        var error = await UnderFaultAsync(kit, kind, async ct => fired = await kit.Engine.RunDueAsync(ct));

        AssertOutcome(kind, kit, error);
        var now = await AssertConsistentAsync(kit, id);
        Assert.Equal(1, kit.Runs(id));
        if (IsStored(kind))
        {
            Assert.Equal(1, fired);
            Assert.Equal(["paid"], now.ActiveSteps);
        }
        else
        {
            // The handler ran, but its result was not stored: the job runs again (at least once).
            Assert.Equal(["charge"], now.ActiveSteps);
            Assert.Equal(1, await kit.Engine.RunDueAsync(Ct));
            Assert.Equal(2, kit.Runs(id));
        }

        var runs = kit.Runs(id);
        Assert.Equal(0, await kit.Engine.RunDueAsync(Ct));
        Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await kit.Engine.RunDueAsync(Ct));
        Assert.Equal(runs, kit.Runs(id));
        var after = await AssertConsistentAsync(kit, id);
        Assert.Equal(["paid"], after.ActiveSteps);
        Assert.Equal(true, after.Data["charged"]);
    }

    [Theory]
    [MemberData(nameof(EveryFault), MemberType = typeof(FaultInjectionContract))]
    public async Task A_job_retry_whose_commit_was_stored_is_not_run_early_by_its_earlier_attempt(FaultKind kind)
    {
        var kit = await KitAsync();
        var id = await OrderAtAsync(kit, "J-2", "charge");
        kit.FailNext(id, 1);
        kit.Store.Inject(StoreCall.Commit, kind, when: static c => c.FiredTimer is not null);

        var error = await UnderFaultAsync(kit, kind, async ct => await kit.Engine.RunDueAsync(ct));

        AssertOutcome(kind, kit, error);
        await AssertConsistentAsync(kit, id);
        Assert.Equal(1, kit.Runs(id));
        if (!IsStored(kind))
        {
            // The failed attempt was not stored: it runs again now (and fails as told), and its retry is scheduled.
            kit.FailNext(id, 1);
            Assert.Equal(1, await kit.Engine.RunDueAsync(Ct));
            Assert.Equal(2, kit.Runs(id));
        }

        // The retry waits its minute: nothing runs before, whatever was put back.
        var runs = kit.Runs(id);
        Assert.Equal(0, await kit.Engine.RunDueAsync(Ct));
        Assert.Equal(runs, kit.Runs(id));
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await kit.Engine.RunDueAsync(Ct));
        Assert.Equal(runs + 1, kit.Runs(id));
        Assert.Equal(["paid"], (await AssertConsistentAsync(kit, id)).ActiveSteps);
    }

    [Theory]
    [MemberData(nameof(EveryFault), MemberType = typeof(FaultInjectionContract))]
    public async Task A_cancellation_whose_commit_fails_cancels_once(FaultKind kind)
    {
        var kit = await KitAsync();
        var id = await OrderAtAsync(kit, "X-1", "check");
        kit.Store.Inject(StoreCall.Commit, kind, when: c => c.Instance.Id == id);

        var error = await UnderFaultAsync(kit, kind, ct => kit.Engine.CancelInstanceAsync(id, "changed my mind", ct));

        AssertOutcome(kind, kit, error);
        var now = await AssertConsistentAsync(kit, id);
        if (IsStored(kind))
        {
            Assert.Equal(InstanceState.Cancelled, now.State);
            var again = await Assert.ThrowsAsync<InvalidCommandException>(async () => await kit.Engine.CancelInstanceAsync(id, cancellationToken: Ct));
            Assert.Equal(ProcessErrorCodes.InstanceEnded, again.ErrorCode);
        }
        else
        {
            Assert.Equal(InstanceState.Running, now.State);
            await kit.Engine.CancelInstanceAsync(id, cancellationToken: Ct);
        }

        Assert.Equal(InstanceState.Cancelled, (await AssertConsistentAsync(kit, id)).State);
        Assert.Equal(TaskState.Cancelled, Assert.Single(await kit.Engine.QueryTasksAsync(new TaskQuery { Instance = id }, Ct)).State);
    }

    /// <summary>
    /// A raw driver error before the commit is stored reaches the caller as the store's error and leaves the instance
    /// where it was; a commit stored just as the store goes down is reported as unknown, and repeating it is refused as done.
    /// </summary>
    [Theory]
    [MemberData(nameof(RawOrStoredThenDown), MemberType = typeof(FaultInjectionContract))]
    public async Task A_task_completion_whose_commit_fails_oddly_reaches_the_caller_as_a_typed_store_error(bool storedThenDown)
    {
        var kit = await KitAsync();
        var id = await OrderAtAsync(kit, storedThenDown ? "U-1" : "R-1", "check");
        var task = await OpenTaskAsync(kit, id);
        var fault = kit.Store.Inject(StoreCall.Commit, storedThenDown ? FaultKind.After : FaultKind.Before, when: c => c.Instance.Id == id);
        fault.Raw = !storedThenDown;
        fault.ThenDown = storedThenDown;

        var error = await Assert.ThrowsAsync<ProcessStoreException>(async () => await kit.Engine.CompleteTaskAsync(task.TaskId, Clerk, cancellationToken: Ct));

        if (storedThenDown)
        {
            Assert.Equal(ProcessErrorCodes.StoreOutcomeUnknown, error.ErrorCode);
            Assert.Contains(id.ToString(), error.Message, StringComparison.Ordinal);
            kit.Store.Heal();
            Assert.Equal(["charge"], (await AssertConsistentAsync(kit, id)).ActiveSteps);
            var again = await Assert.ThrowsAsync<InvalidCommandException>(async () => await kit.Engine.CompleteTaskAsync(task.TaskId, Clerk, cancellationToken: Ct));
            Assert.Equal(ProcessErrorCodes.TaskClosed, again.ErrorCode);
        }
        else
        {
            Assert.Equal(ProcessErrorCodes.StoreUnavailable, error.ErrorCode);
            Assert.IsType<IOException>(error.InnerException);
            Assert.Equal(["check"], (await AssertConsistentAsync(kit, id)).ActiveSteps);
        }
    }

    [Fact]
    public async Task A_command_cancelled_while_its_commit_hangs_stores_nothing_and_can_be_repeated()
    {
        var kit = await KitAsync();
        var id = await OrderAtAsync(kit, "H-1", "check");
        var task = await OpenTaskAsync(kit, id);
        kit.Store.Inject(StoreCall.Commit, FaultKind.Timeout, when: c => c.Instance.Id == id);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var hanging = kit.Store.Hanging;

        var running = kit.Engine.CompleteTaskAsync(task.TaskId, Clerk, cancellationToken: cancel.Token).AsTask();
        await hanging.WaitAsync(Ct);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal(["check"], (await AssertConsistentAsync(kit, id)).ActiveSteps);
        await kit.Engine.CompleteTaskAsync(task.TaskId, Clerk, cancellationToken: Ct);
        Assert.Equal(["charge"], (await AssertConsistentAsync(kit, id)).ActiveSteps);
    }

    [Fact]
    public async Task While_one_commit_hangs_the_engine_serves_other_instances_and_afterwards_the_instance_again()
    {
        var kit = await KitAsync();
        var stuck = await OrderAtAsync(kit, "W-1", "check");
        var other = await OrderAtAsync(kit, "W-2", "check");
        var stuckTask = await OpenTaskAsync(kit, stuck);
        kit.Store.Inject(StoreCall.Commit, FaultKind.Timeout, when: c => c.Instance.Id == stuck);
        var hanging = kit.Store.Hanging;

        var running = kit.Engine.CompleteTaskAsync(stuckTask.TaskId, Clerk, cancellationToken: Ct).AsTask();
        await hanging.WaitAsync(Ct);
        await kit.Engine.CompleteTaskAsync((await OpenTaskAsync(kit, other)).TaskId, Clerk, cancellationToken: Ct);
        var third = await kit.Engine.StartAsync(ProcessId, Order("W-3"), "W-3", Ct);
        Assert.False(running.IsCompleted);
        Time.Advance(kit.Store.Timeout);

        AssertStoreError(FaultKind.Timeout, await Assert.ThrowsAsync<ProcessStoreException>(() => running));
        await kit.Engine.CompleteTaskAsync(stuckTask.TaskId, Clerk, cancellationToken: Ct);
        Assert.Equal(2, await kit.Engine.RunDueAsync(Ct));
        Assert.Equal(["paid"], (await AssertConsistentAsync(kit, stuck)).ActiveSteps);
        Assert.Equal(["paid"], (await AssertConsistentAsync(kit, other)).ActiveSteps);
        Assert.Equal(["check"], (await AssertConsistentAsync(kit, third)).ActiveSteps);
    }

    [Fact]
    public async Task A_commit_that_fails_still_wakes_a_host_waiting_for_the_work_it_may_have_scheduled()
    {
        var kit = await KitAsync();
        var id = await OrderAtAsync(kit, "K-1", "check");
        var task = await OpenTaskAsync(kit, id);
        var waiting = kit.Engine.WaitForWorkAsync(null, Ct).AsTask();
        kit.Store.Inject(StoreCall.Commit, FaultKind.After, when: c => c.Instance.Id == id).ThenDown = true;

        await Assert.ThrowsAsync<ProcessStoreException>(async () => await kit.Engine.CompleteTaskAsync(task.TaskId, Clerk, cancellationToken: Ct));

        // The guard is real time only so that a lost wake-up fails instead of hanging; it is never reached when the engine works.
        await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        kit.Store.Heal();
        Assert.Equal(1, await kit.Engine.RunDueAsync(Ct));
        Assert.Equal(["paid"], (await AssertConsistentAsync(kit, id)).ActiveSteps);
    }

    [Theory]
    [InlineData(FaultKind.Before)]
    [InlineData(FaultKind.After)]
    [InlineData(FaultKind.Timeout)]
    public async Task Timers_a_failed_run_cannot_put_back_are_fired_by_the_next_run(FaultKind rescheduleFault)
    {
        var kit = await KitAsync();
        var first = await OrderAtAsync(kit, "P-1", "charge");
        var second = await OrderAtAsync(kit, "P-2", "charge");
        kit.Store.Inject(StoreCall.Commit, FaultKind.Before, when: static c => c.FiredTimer is not null);
        kit.Store.Inject(StoreCall.Reschedule, rescheduleFault);

        var error = await UnderFaultAsync(kit, rescheduleFault, async ct => await kit.Engine.RunDueAsync(ct));

        AssertStoreError(FaultKind.Before, error);
        Assert.Equal(2, kit.Store.Hits);
        Assert.Equal(2, await kit.Engine.RunDueAsync(Ct));
        Assert.Equal(0, await kit.Engine.RunDueAsync(Ct));
        Assert.Equal(["paid"], (await AssertConsistentAsync(kit, first)).ActiveSteps);
        Assert.Equal(["paid"], (await AssertConsistentAsync(kit, second)).ActiveSteps);
        Assert.True(kit.Runs(first) + kit.Runs(second) >= 3);
        Assert.Equal(true, (await kit.Engine.GetInstanceAsync(first, Ct)).Data["charged"]);
        Assert.Equal(true, (await kit.Engine.GetInstanceAsync(second, Ct)).Data["charged"]);
    }

    [Theory]
    [MemberData(nameof(EveryFault), MemberType = typeof(FaultInjectionContract))]
    public async Task A_take_of_due_timers_that_fails_loses_nothing_it_handed_over(FaultKind kind)
    {
        var kit = await KitAsync();
        var id = await OrderAtAsync(kit, "D-1", "charge");
        kit.Store.Inject(StoreCall.TakeDue, kind);

        var error = await UnderFaultAsync(kit, kind, async ct => await kit.Engine.RunDueAsync(ct));

        AssertStoreError(kind, error);
        Assert.Equal(0, kit.Runs(id));
        Assert.Equal(1, await kit.Engine.RunDueAsync(Ct));
        Assert.Equal(["paid"], (await AssertConsistentAsync(kit, id)).ActiveSteps);
    }

    [Theory]
    [MemberData(nameof(EveryFault), MemberType = typeof(FaultInjectionContract))]
    public async Task A_dropped_timer_whose_drop_fails_changes_nothing(FaultKind kind)
    {
        var kit = await KitAsync();
        var id = await OrderAtAsync(kit, "Q-1", "charge");

        // Cancelling leaves the job's timer behind: firing it changes nothing, and it is dropped.
        await kit.Engine.CancelInstanceAsync(id, cancellationToken: Ct);
        kit.Store.Inject(StoreCall.DropTimer, kind);

        var error = await UnderFaultAsync(kit, kind, async ct => await kit.Engine.RunDueAsync(ct));

        AssertStoreError(kind, error);
        Assert.Equal(0, await kit.Engine.RunDueAsync(Ct));
        Assert.Equal(0, kit.Runs(id));
        Assert.Equal(InstanceState.Cancelled, (await AssertConsistentAsync(kit, id)).State);
    }

    [Theory]
    [MemberData(nameof(EveryFault), MemberType = typeof(FaultInjectionContract))]
    public async Task A_message_whose_buffering_fails_is_kept_once_and_then_refused_as_a_duplicate(FaultKind kind)
    {
        var kit = await KitAsync();
        var early = Payment("B-1", "pay-early");
        kit.Store.Inject(StoreCall.Buffer, kind);

        var error = await UnderFaultAsync(kit, kind, async ct => await kit.Engine.PublishMessageAsync(early, ct));

        AssertStoreError(kind, error);
        Assert.Equal(IsStored(kind) ? MessageOutcome.Duplicate : MessageOutcome.Buffered, await kit.Engine.PublishMessageAsync(early, Ct));
        Assert.Equal(MessageOutcome.Duplicate, await kit.Engine.PublishMessageAsync(early, Ct));

        // The order reaches its wait and takes the one buffered payment.
        var id = await OrderAtAsync(kit, "B-1", "charge");
        Assert.Equal(1, await kit.Engine.RunDueAsync(Ct));
        var after = await AssertConsistentAsync(kit, id);
        Assert.Equal(["settle"], after.ActiveSteps);
        Assert.Single(await kit.Engine.GetHistoryAsync(id, Ct), static e => e.Type == HistoryEventType.MessageReceived);
    }

    [Fact]
    public async Task A_job_attempt_whose_outcome_is_unknown_is_not_run_again_before_its_retry_is_due()
    {
        var kit = await KitAsync();
        var id = await OrderAtAsync(kit, "J-3", "charge");
        kit.FailNext(id, 1);
        kit.Store.Inject(StoreCall.Commit, FaultKind.After, when: static c => c.FiredTimer is not null).ThenDown = true;

        var error = await Assert.ThrowsAsync<ProcessStoreException>(async () => await kit.Engine.RunDueAsync(Ct));

        // The failed attempt and its retry a minute later were stored; the engine could not tell, and keeps the timer.
        Assert.Equal(ProcessErrorCodes.StoreOutcomeUnknown, error.ErrorCode);
        kit.Store.Heal();
        Assert.Equal(0, await kit.Engine.RunDueAsync(Ct));
        Assert.Equal(1, kit.Runs(id));
        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await kit.Engine.RunDueAsync(Ct));
        Assert.Equal(2, kit.Runs(id));
        Assert.Equal(["paid"], (await AssertConsistentAsync(kit, id)).ActiveSteps);
    }

    /// <summary>
    /// Three orders run through the same commands, interleaved as <paramref name="plan"/> says, once over a store that
    /// fails commits where the plan says (before, after, after and then down) and once over an in-memory store without
    /// faults. Every failed command is repeated until it is accepted or refused as done. Both end with the same history
    /// and data for every order.
    /// </summary>
    [FsCheck.Xunit.Property(MaxTest = 8)]
    public async Task Commands_repeated_through_random_store_faults_end_as_the_same_commands_without_faults(byte[] plan)
    {
        var clean = await RunPlanAsync(plan, new InMemoryProcessStore(), faults: false);
        var store = await CreateStoreAsync();
        _opened.Add(store);
        var faulty = await RunPlanAsync(plan, store, faults: true);

        Assert.Equal(clean.Keys.Order(), faulty.Keys.Order());
        foreach (var order in clean.Keys)
        {
            Assert.Equal(clean[order], faulty[order]);
        }
    }

    /// <summary>Runs the plan's commands; returns, per order, its final state, data and history as text.</summary>
    private async Task<Dictionary<string, string>> RunPlanAsync(byte[] plan, IProcessStore store, bool faults)
    {
        var time = new FakeTimeProvider(Epoch);
        var kit = new Kit(new FaultyStore(store, time), time);
        await kit.Engine.DeployAsync(OrderProcess(), Ct);
        string[] orders = ["F-1", "F-2", "F-3"];
        var ids = new Dictionary<string, InstanceId>();
        var next = new int[orders.Length];
        var step = 0;
        while (next.Any(static n => n < 5))
        {
            var pick = plan.Length == 0 ? step % orders.Length : plan[step % plan.Length] % orders.Length;
            while (next[pick] == 5)
            {
                pick = (pick + 1) % orders.Length;
            }

            var order = orders[pick];
            var command = next[pick]++;
            var roll = plan.Length == 0 ? 0 : (plan[((step * 7) + 3) % plan.Length] >> 2) % 6;
            step++;
            if (command == 4)
            {
                time.Advance(TimeSpan.FromMinutes(10));
            }

            if (faults && roll >= 3)
            {
                var kind = roll == 3 ? FaultKind.Before : FaultKind.After;
                var fault = kit.Store.Inject(StoreCall.Commit, kind);
                fault.ThenDown = roll == 5;
                fault.Raw = (roll & 1) == 0;
            }

            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    switch (command)
                    {
                        case 0:
                            // With a request id, a start whose outcome is unknown is safe to repeat.
                            ids[order] = await kit.Engine.StartAsync(StartOf(order, "start-" + order), Ct);
                            break;
                        case 1:
                            var task = Assert.Single(await kit.Engine.QueryTasksAsync(new TaskQuery { Instance = ids[order] }, Ct));
                            await kit.Engine.CompleteTaskAsync(task.TaskId, Clerk, null, new Dictionary<string, object?> { ["note"] = order }, Ct);
                            break;
                        case 3:
                            await kit.Engine.PublishMessageAsync(Payment(order, "pay-" + order), Ct);
                            break;
                        default:
                            await kit.Engine.RunDueAsync(Ct);
                            break;
                    }

                    break;
                }
                catch (ProcessStoreException) when (faults && attempt < 3)
                {
                    kit.Store.Heal();
                }
                catch (InvalidCommandException e) when (e.ErrorCode == ProcessErrorCodes.TaskClosed && attempt > 0)
                {
                    break;
                }
            }

            kit.Store.Heal();
        }

        time.Advance(TimeSpan.FromDays(1));
        while (await kit.Engine.RunDueAsync(Ct) > 0)
        {
        }

        // A start applied twice would leave a second instance with its own task.
        var result = new Dictionary<string, string>
        {
            ["*"] = $"{(await kit.Engine.QueryTasksAsync(new TaskQuery { Role = "clerk" }, Ct)).Count} tasks",
        };
        foreach (var (order, id) in ids)
        {
            var instance = await AssertConsistentAsync(kit, id);
            var history = await kit.Engine.GetHistoryAsync(id, Ct);
            result[order] = string.Join(
                "\n",
                [
                    $"{instance.State} {instance.EndOutcome} [{string.Join(",", instance.ActiveSteps)}]",
                    string.Join(",", instance.Data.OrderBy(static p => p.Key, StringComparer.Ordinal).Select(static p => $"{p.Key}={p.Value}")),
                    .. history.Select(static e => $"{e.Sequence} {e.Type} {e.StepId} {e.StepInstance} {e.Time:O} {e.UserId} {e.RoleId} {e.Cost} {e.Value} {e.Path} {e.Detail}"),
                ]);
        }

        return result;
    }

    /// <summary>An engine over a faulty store, and a job handler that counts its runs per instance and fails when told.</summary>
    private sealed class Kit
    {
        private readonly ConcurrentDictionary<InstanceId, int> _runs = new();
        private readonly ConcurrentDictionary<InstanceId, int> _failures = new();

        public Kit(FaultyStore store, TimeProvider time)
        {
            Store = store;
            Engine = new ProcessEngine(new ProcessEngineOptions { Store = store, TimeProvider = time }.AddHandler(Charge, ctx =>
            {
                _runs.AddOrUpdate(ctx.Instance, 1, static (_, n) => n + 1);
                if (_failures.TryGetValue(ctx.Instance, out var left) && left > 0)
                {
                    _failures[ctx.Instance] = left - 1;
                    throw new InvalidOperationException("The card was declined.");
                }

                ctx.Set("charged", true);
            }));
        }

        public FaultyStore Store { get; }

        public ProcessEngine Engine { get; }

        public int Runs(InstanceId id) => _runs.GetValueOrDefault(id);

        public void FailNext(InstanceId id, int times) => _failures[id] = times;
    }
}
