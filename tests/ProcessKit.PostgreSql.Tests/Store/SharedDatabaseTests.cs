using Microsoft.Extensions.Time.Testing;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Messaging;
using ProcessKit.Persistence;
using ProcessKit.PostgreSql.Tests.Server;
using ProcessKit.Scheduling;
using ProcessKit.Tasks;

namespace ProcessKit.PostgreSql.Tests.Store;

/// <summary>Several stores on one database: tenants apart, nodes racing on one instance, a timer lease taken over.</summary>
public sealed class SharedDatabaseTests(PostgresServer server)
{
    private static readonly DateTimeOffset Epoch = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_tenants_on_one_database_see_nothing_of_each_other()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await using var a = await PostgreSqlProcessStore.OpenAsync(new() { ConnectionString = db.ConnectionString, TenantId = "a" }, Ct);
        await using var b = await PostgreSqlProcessStore.OpenAsync(new() { ConnectionString = db.ConnectionString, TenantId = "b" }, Ct);
        var time = new FakeTimeProvider(Epoch);
        var engineA = new ProcessEngine(new ProcessEngineOptions { Store = a, TimeProvider = time });
        await engineA.DeployAsync(Review(), Ct);
        var id = await engineA.StartAsync("shared.review", new Dictionary<string, object?> { ["items"] = new List<string> { "x" } }, "K-1", Ct);
        await engineA.PublishMessageAsync(new ProcessMessage("note") { CorrelationKey = "K-1", MessageId = "m-1" }, Ct);
        IProcessStore storeA = a, storeB = b;

        Assert.NotNull(await storeA.FindInstanceAsync(id, engineA, false, Ct));
        Assert.Null(await storeB.FindInstanceAsync(id, engineA, false, Ct));
        Assert.Empty(await storeB.QueryTasksAsync(new TaskQuery(), Ct));
        Assert.NotEmpty(await storeA.QueryTasksAsync(new TaskQuery(), Ct));
        var task = (await storeA.QueryTasksAsync(new TaskQuery(), Ct))[0];
        Assert.Null(storeB.FindTask(task.TaskId));
        Assert.Equal(0, storeB.CountOpenTasks("ann"));
        Assert.Null(storeB.FindDefinition("shared.review", null));
        Assert.Empty(await storeB.ListDefinitionsAsync(Ct));
        Assert.NotNull(storeA.FindBuffered("note", "K-1", Epoch.UtcTicks));
        Assert.Null(storeB.FindBuffered("note", "K-1", Epoch.UtcTicks));
        Assert.False(await storeB.HasSeenMessageAsync("m-1", Epoch.UtcTicks, Ct));
        var due = new List<TimerRecord>();
        await storeB.TakeDueAsync(Epoch.AddDays(2).UtcTicks, due, Ct);
        Assert.Empty(due);
        Assert.Null(storeB.NextDueTicks());
        Assert.Equal(Epoch.AddHours(1).UtcTicks, storeA.NextDueTicks());

        // The other tenant deploys other content under the same id and version without a clash.
        Assert.True(await storeB.SaveDefinitionAsync(Review(name: "Other"), Ct));
        Assert.Equal("Review", storeA.FindDefinition("shared.review", 1)!.Name);
    }

    [Fact]
    public async Task A_stale_commit_from_another_node_is_refused_and_after_a_reload_both_changes_are_kept()
    {
        await using var nodes = await TwoNodes.OpenAsync(server);
        var (a, b, engineA, engineB) = (nodes.A, nodes.B, nodes.EngineA, nodes.EngineB);
        await engineA.DeployAsync(Review(), Ct);
        await engineB.DeployAsync(Review(), Ct);
        var id = await engineA.StartAsync("shared.review", new Dictionary<string, object?> { ["items"] = new List<string> { "x", "y" } }, cancellationToken: Ct);
        var loadedA = (await a.FindInstanceAsync(id, engineA, false, Ct))!;
        var loadedB = (await b.FindInstanceAsync(id, engineB, false, Ct))!;
        var tasks = await a.QueryTasksAsync(new TaskQuery { Instance = id }, Ct);

        var first = Commit(loadedA, tasks[0] with { State = TaskState.Claimed, ClaimedBy = "ann", ClaimedAt = Epoch });
        var second = Commit(loadedB, tasks[1] with { State = TaskState.Claimed, ClaimedBy = "bob", ClaimedAt = Epoch });
        var outcomes = await Task.WhenAll(a.TryCommitAsync(first, Ct).AsTask(), b.TryCommitAsync(second, Ct).AsTask());

        // One wins; the loser changed nothing.
        Assert.Single(outcomes, static won => won);
        var loser = outcomes[0] ? (Store: b, Engine: engineB, Task: tasks[1]) : (Store: a, Engine: engineA, Task: tasks[0]);
        Assert.Equal(TaskState.Offered, (await loser.Store.FindTaskAsync(loser.Task.TaskId, Ct))!.State);
        var reloaded = (await loser.Store.FindInstanceAsync(id, loser.Engine, false, Ct))!;
        Assert.Equal(loadedA.Version + 1, reloaded.Version);

        // Reloaded, its change goes through on top of the winner's.
        Assert.True(await loser.Store.TryCommitAsync(Commit(reloaded, loser.Task with { State = TaskState.Claimed, ClaimedBy = "cid", ClaimedAt = Epoch }), Ct));
        Assert.All(await a.QueryTasksAsync(new TaskQuery { Instance = id }, Ct), static t => Assert.Equal(TaskState.Claimed, t.State));
        Assert.Equal(loadedA.Version + 2, (await a.FindInstanceAsync(id, engineA, false, Ct))!.Version);
    }

    [Fact]
    public async Task Two_nodes_completing_the_tasks_of_one_instance_at_once_lose_no_update()
    {
        const int Items = 12;
        await using var nodes = await TwoNodes.OpenAsync(server, maxConflictRetries: 100);
        var engines = new[] { nodes.EngineA, nodes.EngineB };
        foreach (var engine in engines)
            await engine.DeployAsync(Review(), Ct);
        var id = await engines[0].StartAsync("shared.review", new Dictionary<string, object?> { ["items"] = Enumerable.Range(0, Items).Select(static i => "item-" + i).ToList() }, cancellationToken: Ct);
        var tasks = await engines[0].QueryTasksAsync(new TaskQuery { Instance = id }, Ct);
        Assert.Equal(Items, tasks.Count);

        // Each node completes every other task, all at once: commands of one node queue up in its engine, the two
        // nodes race in the database.
        var user = new ProcessUser("ann", ["clerk"]);
        await Task.WhenAll(tasks.Select((t, i) => Task.Run(async () => await engines[i % 2].CompleteTaskAsync(t.TaskId, user, cancellationToken: Ct), Ct)));

        var instance = await engines[1].GetInstanceAsync(id, Ct);
        Assert.Equal(InstanceState.Completed, instance.State);
        var history = await engines[1].GetHistoryAsync(id, Ct);
        Assert.Equal(Items, history.Count(static e => e.Type == HistoryEventType.StepCompleted && e.StepId == "review"));
        Assert.Equal(Enumerable.Range(1, history.Count).Select(static i => (long)i), history.Select(static e => e.Sequence));
        Assert.All(await engines[0].QueryTasksAsync(new TaskQuery { Instance = id }, Ct), static t => Assert.Equal(TaskState.Completed, t.State));
    }

    [Fact]
    public async Task A_node_whose_timer_lease_was_taken_over_cannot_commit_the_firing_and_the_new_owner_can()
    {
        await using var nodes = await TwoNodes.OpenAsync(server);
        var (a, b, engineA, engineB) = (nodes.A, nodes.B, nodes.EngineA, nodes.EngineB);
        var p = ProcessBuilder.Create("shared.wait", "Wait");
        var wait = p.Timer("wait", "Wait a minute", TimeSpan.FromMinutes(1));
        wait.Then(p.End("done", "Done"));
        var definition = p.Build();
        await engineA.DeployAsync(definition, Ct);
        await engineB.DeployAsync(definition, Ct);
        var id = await engineA.StartAsync("shared.wait", cancellationToken: Ct);
        nodes.Time.Advance(TimeSpan.FromMinutes(2));

        var takenByA = new List<TimerRecord>();
        await a.TakeDueAsync(nodes.Time.GetUtcNow().UtcTicks, takenByA, Ct);
        var timerA = Assert.Single(takenByA);

        // A stalls past its lease (made to run out by the database clock), and B takes the timer over.
        await nodes.Database.ExecuteAsync("UPDATE processkit.timers SET lease_expires = now() - interval '1 second'");
        var takenByB = new List<TimerRecord>();
        await b.TakeDueAsync(nodes.Time.GetUtcNow().UtcTicks, takenByB, Ct);
        var timerB = Assert.Single(takenByB);
        Assert.Equal(timerA.Id, timerB.Id);
        Assert.Equal(timerA.Lease + 1, timerB.Lease);

        // A's firing is refused although the instance has not moved, and changes nothing.
        var loaded = (await a.FindInstanceAsync(id, engineA, false, Ct))!;
        var late = new InstanceCommit();
        late.Reset(loaded.CopyForCommand(), loaded.Version);
        late.FiredTimer = timerA;
        late.Subscribe = [new Subscription("late", "k", id, 0, 9)];
        Assert.False(await a.TryCommitAsync(late, Ct));
        Assert.Equal(loaded.Version, (await a.FindInstanceAsync(id, engineA, false, Ct))!.Version);
        Assert.Null(await a.FindSubscriptionAsync("late", "k", Ct));
        await a.DropTimerAsync(timerA, Ct);
        await a.RescheduleAsync([timerA], Ct);
        Assert.Equal(1L, await nodes.Database.ScalarAsync<long>("SELECT count(*) FROM processkit.timers"));

        // B, which holds the lease, fires it: the instance goes on and the timer row is gone.
        var owned = new InstanceCommit();
        owned.Reset(loaded.CopyForCommand(), loaded.Version);
        owned.FiredTimer = timerB;
        Assert.True(await b.TryCommitAsync(owned, Ct));
        Assert.Equal(0L, await nodes.Database.ScalarAsync<long>("SELECT count(*) FROM processkit.timers"));
    }

    [Fact]
    public async Task A_timer_fired_by_the_engine_of_another_node_after_a_takeover_completes_the_instance_once()
    {
        await using var nodes = await TwoNodes.OpenAsync(server);
        var (a, engineA, engineB) = (nodes.A, nodes.EngineA, nodes.EngineB);
        var p = ProcessBuilder.Create("shared.wait", "Wait");
        p.Timer("wait", "Wait a minute", TimeSpan.FromMinutes(1)).Then(p.End("done", "Done"));
        await engineA.DeployAsync(p.Build(), Ct);
        await engineB.DeployAsync(p.Build(), Ct);
        var id = await engineA.StartAsync("shared.wait", cancellationToken: Ct);
        nodes.Time.Advance(TimeSpan.FromMinutes(2));
        var takenByA = new List<TimerRecord>();
        await a.TakeDueAsync(nodes.Time.GetUtcNow().UtcTicks, takenByA, Ct);
        Assert.Equal(0, await engineB.RunDueAsync(Ct));

        await nodes.Database.ExecuteAsync("UPDATE processkit.timers SET lease_expires = now() - interval '1 second'");

        Assert.Equal(1, await engineB.RunDueAsync(Ct));
        Assert.Equal(InstanceState.Completed, (await engineA.GetInstanceAsync(id, Ct)).State);
        Assert.Equal(0, await engineA.RunDueAsync(Ct));
        Assert.Single(await engineA.GetHistoryAsync(id, Ct), static e => e.Type == HistoryEventType.InstanceCompleted);
    }

    [Fact]
    public async Task A_message_id_applied_by_one_node_makes_another_nodes_commit_with_it_change_nothing()
    {
        await using var nodes = await TwoNodes.OpenAsync(server);
        var (a, b, engine) = (nodes.A, nodes.B, nodes.EngineA);
        await engine.DeployAsync(Review(), Ct);
        var first = await engine.StartAsync("shared.review", new Dictionary<string, object?> { ["items"] = new List<string> { "x" } }, cancellationToken: Ct);
        var second = await engine.StartAsync("shared.review", new Dictionary<string, object?> { ["items"] = new List<string> { "y" } }, cancellationToken: Ct);
        var now = nodes.Time.GetUtcNow().UtcTicks;

        // Both nodes found the id unseen, then each applies it to its own instance.
        Assert.False(await a.HasSeenMessageAsync("pay-1", now, Ct));
        Assert.False(await b.HasSeenMessageAsync("pay-1", now, Ct));
        var byA = WithMessage((await a.FindInstanceAsync(first, engine, false, Ct))!, "pay-1", now);
        var byB = WithMessage((await b.FindInstanceAsync(second, engine, false, Ct))!, "pay-1", now);

        Assert.True(await a.TryCommitAsync(byA, Ct));
        Assert.False(await b.TryCommitAsync(byB, Ct));
        Assert.Equal(1, (await b.FindInstanceAsync(second, engine, false, Ct))!.Version);
        Assert.True(await b.HasSeenMessageAsync("pay-1", now, Ct));

        // Once the id has expired by the engine's clock it may be applied again.
        var later = now + TimeSpan.TicksPerDay;
        Assert.False(await b.HasSeenMessageAsync("pay-1", later, Ct));
        Assert.True(await b.TryCommitAsync(WithMessage((await b.FindInstanceAsync(second, engine, false, Ct))!, "pay-1", later), Ct));
    }

    private static InstanceCommit WithMessage(InstanceRecord loaded, string messageId, long nowTicks)
    {
        var commit = new InstanceCommit();
        commit.Reset(loaded.CopyForCommand(), loaded.Version);
        commit.MessageId = messageId;
        commit.MessageIdExpiresTicks = nowTicks + TimeSpan.TicksPerHour;
        return commit;
    }

    private static InstanceCommit Commit(InstanceRecord loaded, HumanTaskInfo task)
    {
        var commit = new InstanceCommit();
        commit.Reset(loaded.CopyForCommand(), loaded.Version);
        commit.Add(task);
        return commit;
    }

    /// <summary>One review task per item (all must be done, each within an hour), then an end.</summary>
    private static ProcessDefinition Review(string name = "Review")
    {
        var p = ProcessBuilder.Create("shared.review", name);
        p.Supplier("desk", "Desk").Inputs(Field.List("items", required: true));
        var clerk = p.Role("clerk", "Clerk");
        var review = p.HumanTask("review", "Review an item", clerk).Reads("items").ForEach("items", "item").Deadline(TimeSpan.FromHours(1));
        review.Then(p.End("done", "Done"));
        return p.Build();
    }

    /// <summary>Two stores (nodes) on one fresh database, each with an engine; both engines read one fake clock.</summary>
    private sealed class TwoNodes : IAsyncDisposable
    {
        private TwoNodes(TestDatabase database, PostgreSqlProcessStore nodeA, PostgreSqlProcessStore nodeB, int? maxConflictRetries)
        {
            Database = database;
            NodeA = nodeA;
            NodeB = nodeB;
            EngineA = Engine(nodeA);
            EngineB = Engine(nodeB);

            ProcessEngine Engine(IProcessStore store)
            {
                var options = new ProcessEngineOptions { Store = store, TimeProvider = Time };
                if (maxConflictRetries is { } retries)
                {
                    options.MaxConflictRetries = retries;
                }

                return new ProcessEngine(options);
            }
        }

        public TestDatabase Database { get; }

        public PostgreSqlProcessStore NodeA { get; }

        public PostgreSqlProcessStore NodeB { get; }

        public IProcessStore A => NodeA;

        public IProcessStore B => NodeB;

        public FakeTimeProvider Time { get; } = new(Epoch);

        public ProcessEngine EngineA { get; }

        public ProcessEngine EngineB { get; }

        public static async Task<TwoNodes> OpenAsync(PostgresServer server, int? maxConflictRetries = null)
        {
            var database = await server.CreateDatabaseAsync(Ct);
            var options = new PostgreSqlStoreOptions { ConnectionString = database.ConnectionString };
            var nodeA = await PostgreSqlProcessStore.OpenAsync(options, Ct);
            var nodeB = await PostgreSqlProcessStore.OpenAsync(options, Ct);
            return new TwoNodes(database, nodeA, nodeB, maxConflictRetries);
        }

        public async ValueTask DisposeAsync()
        {
            await NodeB.DisposeAsync();
            await NodeA.DisposeAsync();
            await Database.DisposeAsync();
        }
    }
}
