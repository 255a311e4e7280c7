using Microsoft.Extensions.Time.Testing;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Messaging;
using ProcessKit.Persistence;
using ProcessKit.Scheduling;
using ProcessKit.Tasks;

namespace ProcessKit.StoreContract;

/// <summary>
/// The contract every <see cref="IProcessStore"/> passes: definitions by version, unique ids,
/// commits with an expected version (a stale one changes nothing), tasks and their queries,
/// subscriptions, buffered and seen messages, due timers, history and incidents. A store's test
/// project derives from this class (the file is linked into each) and says how to make a store and
/// how to open the same one again; every test then runs against that store.
/// </summary>
public abstract partial class ProcessStoreContract : IAsyncLifetime
{
    /// <summary>The start of fake time in every test.</summary>
    protected static readonly DateTimeOffset Epoch = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly List<IProcessStore> _opened = [];

    /// <summary>The fake clock every engine of the test reads.</summary>
    protected FakeTimeProvider Time { get; } = new(Epoch);

    /// <summary>The store under test, made fresh (empty) for each test.</summary>
    protected IProcessStore Store { get; private set; } = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Makes an empty store for one test.</summary>
    protected abstract ValueTask<IProcessStore> CreateStoreAsync();

    /// <summary>Opens the same store again, as a restarted process would (the in-memory store returns itself).</summary>
    protected abstract ValueTask<IProcessStore> ReopenAsync(IProcessStore store);

    /// <summary>Releases a store made by <see cref="CreateStoreAsync"/> or <see cref="ReopenAsync"/>.</summary>
    protected virtual ValueTask DisposeStoreAsync(IProcessStore store) =>
        store is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => Store = Track(await CreateStoreAsync());

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var store in _opened.AsEnumerable().Reverse().Distinct())
        {
            await DisposeStoreAsync(store);
        }

        GC.SuppressFinalize(this);
    }

    private IProcessStore Track(IProcessStore store)
    {
        _opened.Add(store);
        return store;
    }

    private async Task<IProcessStore> ReopenedAsync() => Track(await ReopenAsync(Store));

    private ProcessEngine Engine(IProcessStore? store = null) => new(new ProcessEngineOptions
    {
        Store = store ?? Store,
        TimeProvider = Time,
        RoleMembers = static role => role == "clerk" ? ["ann", "bob"] : [],
    });

    private static ProcessUser Clerk(string id = "ann") => new(id, ["clerk"]);

    /// <summary>A task for a clerk (deadline in an hour), then a wait for a message correlated by the order number, then an end.</summary>
    private static ProcessDefinition OrderProcess(int version = 1, string name = "Order")
    {
        var p = ProcessBuilder.Create("contract.order", name).Version(version);
        p.Supplier("shop", "Shop").Inputs(Field.String("order", required: true), Field.Number("amount"));
        var clerk = p.Role("clerk", "Clerk").HourlyCost(60m);
        var check = p.HumanTask("check", "Check the order", clerk)
            .Writes(Field.String("note"))
            .Deadline(TimeSpan.FromHours(1));
        var paid = p.WaitMessage("paid", "Wait for payment", "payment").CorrelatedBy("order").Writes(Field.Number("paidAmount"));
        var done = p.End("done", "Done").Outcome("paid");
        var rejected = p.End("rejected", "Rejected").Outcome("rejected");
        check.On("ok", paid).On("reject", rejected, PathKind.Alternate);
        paid.Then(done);
        return p.Build();
    }

    private static Dictionary<string, object?> Order(string number, decimal amount = 10m) => new() { ["order"] = number, ["amount"] = amount };

    private static async Task<HumanTaskInfo> OpenTaskAsync(IProcessStore store, InstanceId instance) =>
        Assert.Single(await store.QueryTasksAsync(new TaskQuery { Instance = instance, State = TaskState.Offered }, Ct));

    [Fact]
    public async Task Definitions_are_kept_by_version_and_the_same_content_twice_is_no_change()
    {
        Assert.True(await Store.SaveDefinitionAsync(OrderProcess(1), Ct));
        Assert.False(await Store.SaveDefinitionAsync(OrderProcess(1), Ct));
        Assert.True(await Store.SaveDefinitionAsync(OrderProcess(2), Ct));

        var reopened = await ReopenedAsync();
        Assert.Equal(OrderProcess(2), reopened.FindDefinition("contract.order", null));
        Assert.Equal(OrderProcess(1), reopened.FindDefinition("contract.order", 1));
        Assert.Null(reopened.FindDefinition("contract.order", 3));
        Assert.Null(reopened.FindDefinition("nothing", null));
        Assert.Equal([1, 2], (await reopened.ListDefinitionsAsync(Ct)).Select(static d => d.Version).Order());
    }

    [Fact]
    public async Task Other_content_under_a_deployed_version_is_refused_and_the_first_stays()
    {
        await Store.SaveDefinitionAsync(OrderProcess(1), Ct);

        var error = await Assert.ThrowsAsync<InvalidCommandException>(async () => await Store.SaveDefinitionAsync(OrderProcess(1, "Renamed"), Ct));

        Assert.Equal(ProcessErrorCodes.VersionExists, error.ErrorCode);
        Assert.Equal("Order", Store.FindDefinition("contract.order", 1)!.Name);
    }

    [Fact]
    public async Task Ids_are_never_handed_out_twice_even_from_several_threads_and_after_a_reopen()
    {
        var instances = new System.Collections.Concurrent.ConcurrentBag<long>();
        var tasks = new System.Collections.Concurrent.ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 2_500; i++)
            {
                instances.Add(Store.NewInstanceId().Value);
                tasks.Add(Store.NewTaskId());
            }
        }, Ct)));

        // A reopened store goes on after every id handed out before, used or not.
        var reopened = await ReopenedAsync();
        for (var i = 0; i < 100; i++)
        {
            instances.Add(reopened.NewInstanceId().Value);
            tasks.Add(reopened.NewTaskId());
        }

        Assert.Equal(instances.Count, instances.Distinct().Count());
        Assert.Equal(tasks.Count, tasks.Distinct().Count());
        Assert.All(instances, static id => Assert.True(id > 0));
    }

    [Fact]
    public async Task A_started_instance_reads_back_with_its_data_waits_task_and_history_after_a_reopen()
    {
        var engine = Engine();
        await engine.DeployAsync(OrderProcess(), Ct);
        var id = await engine.StartAsync("contract.order", Order("A-1", 12.5m), "A-1", Ct);
        var history = await engine.GetHistoryAsync(id, Ct);

        // A durable store's reopen closes the first store, so its history is read before.
        var reopened = await ReopenedAsync();
        var again = Engine(reopened);
        var instance = await again.GetInstanceAsync(id, Ct);
        Assert.Equal(InstanceState.Running, instance.State);
        Assert.Equal("A-1", instance.BusinessKey);
        Assert.Equal(1, instance.ProcessVersion);
        Assert.Equal(12.5m, instance.Data["amount"]);
        Assert.Equal(["check"], instance.ActiveSteps);
        Assert.Equal(history, await again.GetHistoryAsync(id, Ct));
        var task = await OpenTaskAsync(reopened, id);
        Assert.Equal("clerk", task.Role);
        Assert.Equal(Epoch.AddHours(1), task.DueAt);
    }

    [Fact]
    public async Task A_commit_with_a_stale_version_is_refused_and_changes_nothing()
    {
        var engine = Engine();
        await engine.DeployAsync(OrderProcess(), Ct);
        var id = await engine.StartAsync("contract.order", Order("A-2"), cancellationToken: Ct);
        var loaded = (await Store.FindInstanceAsync(id, new Models(engine), false, Ct))!;
        var task = await OpenTaskAsync(Store, id);

        // Another command commits first...
        await engine.ClaimTaskAsync(task.TaskId, Clerk(), Ct);

        // ...so a commit made from the state loaded before it is stale.
        var stale = new InstanceCommit();
        stale.Reset(loaded.CopyForCommand(), loaded.Version);
        stale.Add(task with { State = TaskState.Completed, Outcome = "ok", ClosedAt = Epoch });
        stale.AddTimer(new TimerRecord(Epoch.AddMinutes(5).UtcTicks, id, 0, 1, TimerKind.TimerStep, 0));
        stale.Subscribe = [new Subscription("late", "A-2", id, 0, 1)];
        Assert.False(await Store.TryCommitAsync(stale, Ct));

        var after = (await Store.FindInstanceAsync(id, new Models(engine), false, Ct))!;
        Assert.Equal(loaded.Version + 1, after.Version);
        Assert.Equal(TaskState.Claimed, (await Store.FindTaskAsync(task.TaskId, Ct))!.State);
        Assert.Null(await Store.FindSubscriptionAsync("late", "A-2", Ct));
        var due = new List<TimerRecord>();
        await Store.TakeDueAsync(Epoch.AddMinutes(10).UtcTicks, due, Ct);
        Assert.DoesNotContain(due, static t => t.Kind == TimerKind.TimerStep);
    }

    [Fact]
    public async Task Creating_an_instance_whose_id_exists_is_refused()
    {
        var engine = Engine();
        await engine.DeployAsync(OrderProcess(), Ct);
        var id = await engine.StartAsync("contract.order", Order("A-3"), cancellationToken: Ct);
        var existing = (await Store.FindInstanceAsync(id, new Models(engine), false, Ct))!;

        var create = new InstanceCommit();
        create.Reset(existing.CopyForCommand(), 0);

        Assert.False(await Store.TryCommitAsync(create, Ct));
        Assert.Equal(existing.Version, (await Store.FindInstanceAsync(id, new Models(engine), false, Ct))!.Version);
    }

    [Fact]
    public async Task Tasks_are_found_by_role_user_instance_state_and_due_date_and_counted_per_user()
    {
        var engine = Engine();
        await engine.DeployAsync(OrderProcess(), Ct);
        var first = await engine.StartAsync("contract.order", Order("T-1"), cancellationToken: Ct);
        Time.Advance(TimeSpan.FromMinutes(30));
        var second = await engine.StartAsync("contract.order", Order("T-2"), cancellationToken: Ct);
        var third = await engine.StartAsync("contract.order", Order("T-3"), cancellationToken: Ct);
        var firstTask = await OpenTaskAsync(Store, first);
        await engine.ClaimTaskAsync(firstTask.TaskId, Clerk("bob"), Ct);
        await engine.CompleteTaskAsync((await OpenTaskAsync(Store, third)).TaskId, Clerk("ann"), "reject", cancellationToken: Ct);

        var store = await ReopenedAsync();
        Assert.Equal(3, (await store.QueryTasksAsync(new TaskQuery { Role = "clerk" }, Ct)).Count);
        Assert.Equal([firstTask.TaskId], (await store.QueryTasksAsync(new TaskQuery { User = "bob" }, Ct)).Select(static t => t.TaskId));
        Assert.Equal(second, Assert.Single(await store.QueryTasksAsync(new TaskQuery { State = TaskState.Offered }, Ct)).Instance);
        Assert.Equal(TaskState.Completed, Assert.Single(await store.QueryTasksAsync(new TaskQuery { Instance = third }, Ct)).State);
        Assert.Equal([first], (await store.QueryTasksAsync(new TaskQuery { DueBefore = Epoch.AddHours(1), State = TaskState.Claimed }, Ct)).Select(static t => t.Instance));
        var available = await store.QueryTasksAsync(new TaskQuery { AvailableTo = Clerk("ann") }, Ct);
        Assert.Equal([second], available.Select(static t => t.Instance));
        var ids = (await store.QueryTasksAsync(new TaskQuery(), Ct)).Select(static t => t.TaskId).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(1, store.CountOpenTasks("bob"));
        Assert.Equal(0, store.CountOpenTasks("ann"));
        Assert.Equal(firstTask.TaskId, store.FindTask(firstTask.TaskId)!.TaskId);
        Assert.Null(store.FindTask(-5));
        Assert.Null(await store.FindTaskAsync(-5, Ct));
    }

    [Fact]
    public async Task A_waiting_instance_is_found_by_its_subscription_and_the_subscription_ends_with_the_wait()
    {
        var engine = Engine();
        await engine.DeployAsync(OrderProcess(), Ct);
        var id = await engine.StartAsync("contract.order", Order("S-1"), cancellationToken: Ct);
        await engine.CompleteTaskAsync((await OpenTaskAsync(Store, id)).TaskId, Clerk(), "ok", cancellationToken: Ct);

        var reopened = await ReopenedAsync();
        var subscription = await reopened.FindSubscriptionAsync("payment", "S-1", Ct);
        Assert.Equal(id, subscription?.Instance);
        Assert.Null(await reopened.FindSubscriptionAsync("payment", "S-2", Ct));

        var again = Engine(reopened);
        Assert.Equal(MessageOutcome.Delivered, await again.PublishMessageAsync(new ProcessMessage("payment") { CorrelationKey = "S-1", Payload = new Dictionary<string, object?> { ["paidAmount"] = 10 } }, Ct));
        Assert.Null(await reopened.FindSubscriptionAsync("payment", "S-1", Ct));
        var instance = await again.GetInstanceAsync(id, Ct);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal(10m, instance.Data["paidAmount"]);
    }

    [Fact]
    public async Task A_message_nobody_waits_for_is_buffered_until_it_expires_and_its_id_is_applied_once()
    {
        var engine = Engine();
        await engine.DeployAsync(OrderProcess(), Ct);
        var early = new ProcessMessage("payment") { CorrelationKey = "B-1", MessageId = "m-1", Payload = new Dictionary<string, object?> { ["paidAmount"] = 7 } };

        Assert.Equal(MessageOutcome.Buffered, await engine.PublishMessageAsync(early, Ct));
        Assert.Equal(MessageOutcome.Duplicate, await engine.PublishMessageAsync(early, Ct));

        var store = await ReopenedAsync();
        Assert.True(await store.HasSeenMessageAsync("m-1", Time.GetUtcNow().UtcTicks, Ct));
        Assert.False(await store.HasSeenMessageAsync("m-2", Time.GetUtcNow().UtcTicks, Ct));
        var buffered = store.FindBuffered("payment", "B-1", Time.GetUtcNow().UtcTicks);
        Assert.NotNull(buffered);
        Assert.Equal(7, Convert.ToInt32(buffered.Payload!["paidAmount"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(store.FindBuffered("payment", "B-2", Time.GetUtcNow().UtcTicks));

        // The instance reaches its wait and takes the buffered message, once.
        var again = Engine(store);
        var id = await again.StartAsync("contract.order", Order("B-1"), cancellationToken: Ct);
        await again.CompleteTaskAsync((await OpenTaskAsync(store, id)).TaskId, Clerk(), "ok", cancellationToken: Ct);
        Assert.Equal(InstanceState.Completed, (await again.GetInstanceAsync(id, Ct)).State);
        Assert.Null(store.FindBuffered("payment", "B-1", Time.GetUtcNow().UtcTicks));

        // A message left waiting is gone once its time to live has passed.
        Assert.Equal(MessageOutcome.Buffered, await again.PublishMessageAsync(new ProcessMessage("payment") { CorrelationKey = "B-9" }, Ct));
        var left = store.FindBuffered("payment", "B-9", Time.GetUtcNow().UtcTicks);
        Assert.NotNull(left);
        Assert.Null(store.FindBuffered("payment", "B-9", left.ExpiresTicks));
    }

    [Fact]
    public async Task A_message_id_seen_in_a_delivery_is_refused_as_a_duplicate()
    {
        var engine = Engine();
        await engine.DeployAsync(OrderProcess(), Ct);
        var id = await engine.StartAsync("contract.order", Order("D-1"), cancellationToken: Ct);
        await engine.CompleteTaskAsync((await OpenTaskAsync(Store, id)).TaskId, Clerk(), "ok", cancellationToken: Ct);
        var message = new ProcessMessage("payment") { CorrelationKey = "D-1", MessageId = "pay-D-1" };

        Assert.Equal(MessageOutcome.Delivered, await engine.PublishMessageAsync(message, Ct));

        var again = Engine(await ReopenedAsync());
        Assert.Equal(MessageOutcome.Duplicate, await again.PublishMessageAsync(message, Ct));
        Assert.Equal(MessageOutcome.Duplicate, await again.PublishMessageAsync(message with { CorrelationKey = "D-2" }, Ct));
    }

    [Fact]
    public async Task Timers_are_taken_once_when_due_never_early_and_put_back_when_their_command_fails()
    {
        var engine = Engine();
        await engine.DeployAsync(OrderProcess(), Ct);
        var id = await engine.StartAsync("contract.order", Order("X-1"), cancellationToken: Ct);
        var dueAt = Epoch.AddHours(1).UtcTicks;

        var store = await ReopenedAsync();
        Assert.Equal(dueAt, store.NextDueTicks());
        var due = new List<TimerRecord>();
        await store.TakeDueAsync(dueAt - 1, due, Ct);
        Assert.Empty(due);

        await store.TakeDueAsync(dueAt, due, Ct);
        var timer = Assert.Single(due);
        Assert.Equal(id, timer.Instance);
        Assert.Equal(TimerKind.TaskDeadline, timer.Kind);
        var again = new List<TimerRecord>();
        await store.TakeDueAsync(dueAt, again, Ct);
        Assert.Empty(again);

        await store.RescheduleAsync(due, Ct);
        await store.TakeDueAsync(dueAt, again, Ct);
        Assert.Equal(timer.Instance, Assert.Single(again).Instance);
        await store.DropTimerAsync(again[0], Ct);
        var none = new List<TimerRecord>();
        await store.TakeDueAsync(dueAt + TimeSpan.TicksPerDay, none, Ct);
        Assert.Empty(none);
    }

    [Fact]
    public async Task A_deadline_fires_through_the_engine_once_after_a_reopen()
    {
        var engine = Engine();
        await engine.DeployAsync(OrderProcess(), Ct);
        var id = await engine.StartAsync("contract.order", Order("X-2"), cancellationToken: Ct);
        Time.Advance(TimeSpan.FromHours(2));

        var again = Engine(await ReopenedAsync());
        Assert.Equal(1, await again.RunDueAsync(Ct));
        Assert.Equal(0, await again.RunDueAsync(Ct));
        Assert.Contains(await again.GetHistoryAsync(id, Ct), static e => e.Type == History.HistoryEventType.DeadlineBreached);
    }

    [Fact]
    public async Task History_grows_in_order_across_commands_and_reopens()
    {
        var engine = Engine();
        await engine.DeployAsync(OrderProcess(), Ct);
        var id = await engine.StartAsync("contract.order", Order("H-1"), cancellationToken: Ct);
        var afterStart = await engine.GetHistoryAsync(id, Ct);

        var second = Engine(await ReopenedAsync());
        Time.Advance(TimeSpan.FromMinutes(3));
        await second.CompleteTaskAsync((await OpenTaskAsync(second.Store, id)).TaskId, Clerk(), "reject", cancellationToken: Ct);

        var third = Engine(await ReopenedAsync());
        var history = await third.GetHistoryAsync(id, Ct);
        Assert.Equal(afterStart, history.Take(afterStart.Count));
        Assert.True(history.Count > afterStart.Count);
        Assert.Equal(Enumerable.Range(1, history.Count).Select(static i => (long)i), history.Select(static e => (long)e.Sequence));
        Assert.Equal(history.OrderBy(static e => e.Time).Select(static e => e.Sequence), history.Select(static e => e.Sequence));
        Assert.Equal(History.HistoryEventType.InstanceCompleted, history[^1].Type);
        Assert.Equal("ann", history.Single(static e => e.Type == History.HistoryEventType.StepCompleted && e.StepId == "check").UserId);
    }

    [Fact]
    public async Task Incidents_are_listed_until_resolved()
    {
        var p = ProcessBuilder.Create("contract.failing", "Failing");
        var step = p.Automated("call", "Call", "contract.fail");
        step.Then(p.End("done", "Done"));
        var engine = new ProcessEngine(new ProcessEngineOptions { Store = Store, TimeProvider = Time }
            .AddHandler("contract.fail", static _ => throw new InvalidOperationException("the service is down")));
        await engine.DeployAsync(p.Build(), Ct);
        var id = await engine.StartAsync("contract.failing", cancellationToken: Ct);

        var store = await ReopenedAsync();
        var incident = Assert.Single(await store.QueryIncidentsAsync(id, Ct));
        Assert.Equal("call", incident.StepId);
        Assert.Contains("the service is down", incident.Message, StringComparison.Ordinal);
        Assert.Single(await store.QueryIncidentsAsync(null, Ct));

        var again = new ProcessEngine(new ProcessEngineOptions { Store = store, TimeProvider = Time }.AddHandler("contract.fail", static _ => { }));
        await again.ResolveIncidentAsync(id, incident.StepInstance, Ct);
        Assert.Empty(await store.QueryIncidentsAsync(id, Ct));
        Assert.Equal(InstanceState.Completed, (await again.GetInstanceAsync(id, Ct)).State);
    }

    /// <summary>The engine as a model source for direct store calls.</summary>
    [Fact]
    public async Task Open_tasks_are_counted_per_process_with_those_due_before_now_as_overdue()
    {
        var engine = Engine();
        await engine.DeployAsync(OrderProcess(), Ct);
        var other = ProcessBuilder.Create("contract.other", "Other");
        var clerk = other.Role("clerk", "Clerk");
        other.HumanTask("sign", "Sign", clerk).Deadline(TimeSpan.FromHours(3)).Then(other.End("signed", "Signed"));
        await engine.DeployAsync(other.Build(), Ct);
        var first = await engine.StartAsync("contract.order", Order("G-1"), cancellationToken: Ct);
        Time.Advance(TimeSpan.FromMinutes(30));
        await engine.StartAsync("contract.order", Order("G-2"), cancellationToken: Ct);
        var third = await engine.StartAsync("contract.order", Order("G-3"), cancellationToken: Ct);
        await engine.StartAsync("contract.other", cancellationToken: Ct);
        await engine.CompleteTaskAsync((await OpenTaskAsync(Store, third)).TaskId, Clerk(), "reject", cancellationToken: Ct);
        await engine.ClaimTaskAsync((await OpenTaskAsync(Store, first)).TaskId, Clerk("bob"), Ct);

        var store = await ReopenedAsync();

        // Due at 60 and 90 minutes (the order tasks still open) and at 210 minutes (the other process's).
        Assert.Equal(
            [new OpenTaskCount("contract.order", 2, 1), new OpenTaskCount("contract.other", 1, 0)],
            store.CountOpenTasksByProcess(Epoch.AddMinutes(90).UtcTicks).OrderBy(static c => c.ProcessId, StringComparer.Ordinal));
        Assert.Equal(
            [new OpenTaskCount("contract.order", 2, 2), new OpenTaskCount("contract.other", 1, 1)],
            store.CountOpenTasksByProcess(Epoch.AddHours(4).UtcTicks).OrderBy(static c => c.ProcessId, StringComparer.Ordinal));
    }

    private sealed class Models(ProcessEngine engine) : IModelSource
    {
        public ProcessModel? FindModel(string processId, int? version) => ((IModelSource)engine).FindModel(processId, version);
    }
}
