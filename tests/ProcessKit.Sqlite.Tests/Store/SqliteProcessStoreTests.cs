using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.Scheduling;
using ProcessKit.Sqlite.Schema;
using ProcessKit.Tasks;

namespace ProcessKit.Sqlite.Tests.Store;

/// <summary>What the SQLite store promises beyond the shared contract: durability, tenants, restarts, its lifecycle and errors.</summary>
public sealed class SqliteProcessStoreTests : IDisposable
{
    private static readonly DateTimeOffset Epoch = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>How long a timer the store hands out stays the taker's (the store's lease, on the engine's clock).</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private readonly TempDatabase _db = new();
    private readonly FakeTimeProvider _time = new(Epoch);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _db.Dispose();

    private Task<SqliteProcessStore> OpenAsync(string tenant = "default") =>
        SqliteProcessStore.OpenAsync(_db.Options(o => o.TenantId = tenant), Ct).AsTask();

    private ProcessEngine Engine(IProcessStore store) => new(new ProcessEngineOptions
    {
        Store = store,
        TimeProvider = _time,
        RoleMembers = static role => role == "clerk" ? ["ann"] : [],
    });

    /// <summary>Deploys the review and starts one on <paramref name="doc"/>.</summary>
    private static async Task<InstanceId> StartReviewAsync(ProcessEngine engine, string doc)
    {
        await engine.DeployAsync(Review(), Ct);
        return await engine.StartAsync("store.review", new Dictionary<string, object?> { ["doc"] = doc }, cancellationToken: Ct);
    }

    /// <summary>A task for a clerk with a deadline in an hour, then an end.</summary>
    private static ProcessDefinition Review(string id = "store.review")
    {
        var p = ProcessBuilder.Create(id, "Review").Version(1);
        p.Supplier("src", "Source").Inputs(Field.String("doc", required: true));
        var clerk = p.Role("clerk", "Clerk");
        var review = p.HumanTask("review", "Review the document", clerk).Deadline(TimeSpan.FromHours(1));
        review.Then(p.End("done", "Done"));
        return p.Build();
    }

    /// <summary>Five automated steps from start to end.</summary>
    private static ProcessDefinition Automated()
    {
        var p = ProcessBuilder.Create("store.auto", "Automated").Version(1);
        p.Supplier("src", "Source").Inputs(Field.Number("n"));
        var steps = Enumerable.Range(1, 5).Select(i => p.Automated($"s{i}", $"Step {i}", "store.noop")).ToArray();
        for (var i = 0; i < steps.Length - 1; i++)
        {
            steps[i].Then(steps[i + 1]);
        }

        steps[^1].Then(p.End("done", "Done"));
        return p.Build();
    }

    [Fact]
    public async Task A_commit_once_awaited_is_in_the_file_for_another_connection()
    {
        await using var store = await OpenAsync();
        var engine = Engine(store);
        await engine.DeployAsync(Review(), Ct);

        var id = await engine.StartAsync("store.review", new Dictionary<string, object?> { ["doc"] = "D-1" }, "D-1", Ct);

        using var connection = _db.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, state, business_key, history_count FROM instances WHERE tenant = 'default' AND id = $id;";
        command.Parameters.AddWithValue("$id", id.Value);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(1, reader.GetInt64(0));
        Assert.Equal((int)InstanceState.Running, reader.GetInt32(1));
        Assert.Equal("D-1", reader.GetString(2));
        Assert.Equal(reader.GetInt32(3), _db.Scalar($"SELECT sum(count) FROM history WHERE instance_id = {id.Value};"));
        Assert.Equal(1, _db.Scalar($"SELECT count(*) FROM tasks WHERE instance_id = {id.Value} AND state = {(int)TaskState.Offered};"));
        Assert.Equal(1, _db.Scalar($"SELECT count(*) FROM timers WHERE instance_id = {id.Value};"));
    }

    [Fact]
    public async Task Commits_from_eight_concurrent_starters_are_all_durable_after_a_reopen()
    {
        const int PerStarter = 40;
        var started = new ConcurrentBag<InstanceId>();
        await using (var store = await OpenAsync())
        {
            var options = new ProcessEngineOptions { Store = store, TimeProvider = _time }.AddHandler("store.noop", static _ => { });
            var engine = new ProcessEngine(options);
            await engine.DeployAsync(Automated(), Ct);
            await Task.WhenAll(Enumerable.Range(0, 8).Select(starter => Task.Run(
                async () =>
                {
                    for (var i = 0; i < PerStarter; i++)
                    {
                        started.Add(await engine.StartAsync("store.auto", new Dictionary<string, object?> { ["n"] = (starter * PerStarter) + i }, cancellationToken: Ct));
                    }
                },
                Ct)));
        }

        Assert.Equal(8 * PerStarter, started.Distinct().Count());
        await using var reopened = await OpenAsync();
        var again = new ProcessEngine(new ProcessEngineOptions { Store = reopened, TimeProvider = _time }.AddHandler("store.noop", static _ => { }));
        await again.DeployAsync(Automated(), Ct);
        var seen = new HashSet<decimal>();
        foreach (var id in started)
        {
            var instance = await again.GetInstanceAsync(id, Ct);
            Assert.Equal(InstanceState.Completed, instance.State);
            seen.Add((decimal)instance.Data["n"]!);
            var history = await again.GetHistoryAsync(id, Ct);
            Assert.Equal(["s1", "s2", "s3", "s4", "s5"], history.Where(static e => e.Type == History.HistoryEventType.StepCompleted && e.StepId!.StartsWith('s')).Select(static e => e.StepId));
            Assert.Equal(History.HistoryEventType.InstanceCompleted, history[^1].Type);
        }

        Assert.Equal(8 * PerStarter, seen.Count);
    }

    [Fact]
    public async Task Two_tenants_in_one_file_see_nothing_of_each_other()
    {
        await using var red = await OpenAsync("red");
        await using var blue = await OpenAsync("blue");
        var engine = Engine(red);
        var id = await StartReviewAsync(engine, "R-1");
        await engine.PublishMessageAsync(new Messaging.ProcessMessage("note") { CorrelationKey = "k", MessageId = "m-1" }, Ct);
        IProcessStore redStore = red;
        IProcessStore blueStore = blue;
        Assert.NotNull(redStore.FindDefinition("store.review", 1));
        Assert.NotNull(redStore.FindBuffered("note", "k", Epoch.UtcTicks));

        Assert.Null(blueStore.FindDefinition("store.review", null));
        Assert.Empty(await blueStore.ListDefinitionsAsync(Ct));
        Assert.Null(await blueStore.FindInstanceAsync(id, engine, false, Ct));
        Assert.Empty(await blueStore.QueryTasksAsync(new TaskQuery(), Ct));
        Assert.Null(blueStore.FindBuffered("note", "k", Epoch.UtcTicks));
        Assert.False(await blueStore.HasSeenMessageAsync("m-1", Epoch.UtcTicks, Ct));
        Assert.Null(blueStore.NextDueTicks());
        var due = new List<TimerRecord>();
        await blueStore.TakeDueAsync(Epoch.AddDays(1).UtcTicks, due, Ct);
        Assert.Empty(due);

        // The other tenant may use the same ids and process versions without touching the first.
        var blueEngine = Engine(blue);
        await blueEngine.DeployAsync(Review(), Ct);
        var blueId = await blueEngine.StartAsync("store.review", new Dictionary<string, object?> { ["doc"] = "B-1" }, cancellationToken: Ct);
        Assert.Equal("B-1", (await blueEngine.GetInstanceAsync(blueId, Ct)).Data["doc"]);
        Assert.Equal("R-1", (await engine.GetInstanceAsync(id, Ct)).Data["doc"]);
        Assert.Single(await redStore.QueryTasksAsync(new TaskQuery(), Ct));
        await redStore.TakeDueAsync(Epoch.AddDays(1).UtcTicks, due, Ct);
        Assert.Equal(id, Assert.Single(due).Instance);
    }

    [Fact]
    public async Task Timers_taken_by_a_process_that_stopped_without_firing_them_are_taken_again_after_a_restart_and_never_early()
    {
        InstanceId id;
        var dueAt = Epoch.AddHours(1).UtcTicks;
        await using (var first = await OpenAsync())
        {
            var engine = Engine(first);
            id = await StartReviewAsync(engine, "T-1");
            var taken = new List<TimerRecord>();
            await ((IProcessStore)first).TakeDueAsync(dueAt, taken, Ct);
            Assert.Single(taken);
            Assert.Equal(dueAt + Lease.Ticks, ((IProcessStore)first).NextDueTicks());

            // The process ends here without firing, dropping or rescheduling the timer.
        }

        Assert.Equal(1, _db.Scalar("SELECT count(*) FROM timers WHERE lease_owner IS NOT NULL;"));
        await using var second = await OpenAsync();
        IProcessStore store = second;
        Assert.Equal(0, _db.Scalar("SELECT count(*) FROM timers WHERE lease_owner IS NOT NULL;"));
        Assert.Equal(dueAt, store.NextDueTicks());
        var early = new List<TimerRecord>();
        await store.TakeDueAsync(dueAt - 1, early, Ct);
        Assert.Empty(early);

        _time.Advance(TimeSpan.FromHours(1));
        var again = Engine(second);
        await again.DeployAsync(Review(), Ct);
        Assert.Equal(1, await again.RunDueAsync(Ct));
        Assert.Equal(0, _db.Scalar("SELECT count(*) FROM timers;"));
        Assert.Single(await again.GetHistoryAsync(id, Ct), static e => e.Type == History.HistoryEventType.DeadlineBreached);
    }

    [Fact]
    public async Task A_timer_taken_and_never_fired_is_due_again_for_the_same_open_store_when_its_lease_runs_out()
    {
        await using var open = await OpenAsync();
        IProcessStore store = open;
        var engine = Engine(open);
        var id = await StartReviewAsync(engine, "L-1");
        _time.Advance(TimeSpan.FromHours(1));

        // A run takes the deadline and dies in-process (it threw, or was cancelled) without firing or putting it back.
        var crashed = new List<TimerRecord>();
        await store.TakeDueAsync(_time.GetUtcNow().UtcTicks, crashed, Ct);
        var lost = Assert.Single(crashed);
        Assert.Equal(0, await engine.RunDueAsync(Ct));
        Assert.Equal(_time.GetUtcNow().UtcTicks + Lease.Ticks, store.NextDueTicks());
        _time.Advance(Lease - TimeSpan.FromTicks(1));
        Assert.Equal(0, await engine.RunDueAsync(Ct));

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, await engine.RunDueAsync(Ct));
        Assert.Single(await engine.GetHistoryAsync(id, Ct), static e => e.Type == History.HistoryEventType.DeadlineBreached);
        Assert.Equal(0, _db.Scalar("SELECT count(*) FROM timers;"));

        // The crashed run's lease is over: the timer is not its own any more, and putting it back or dropping it changes nothing.
        Assert.False(await store.HoldsTimerAsync(lost, Ct));
        await store.RescheduleAsync([lost], Ct);
        await store.DropTimerAsync(lost, Ct);
        Assert.Null(store.NextDueTicks());
        Assert.Equal(0, await engine.RunDueAsync(Ct));
    }

    [Fact]
    public async Task The_lease_length_follows_the_LeaseDuration_option()
    {
        var lease = TimeSpan.FromSeconds(30);
        await using var open = await SqliteProcessStore.OpenAsync(_db.Options(o => o.LeaseDuration = lease), Ct);
        IProcessStore store = open;
        var engine = Engine(open);
        await StartReviewAsync(engine, "L-2");
        _time.Advance(TimeSpan.FromHours(1));

        await store.TakeDueAsync(_time.GetUtcNow().UtcTicks, [], Ct);
        Assert.Equal(_time.GetUtcNow().UtcTicks + lease.Ticks, store.NextDueTicks());
        _time.Advance(lease - TimeSpan.FromTicks(1));
        Assert.Equal(0, await engine.RunDueAsync(Ct));

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, await engine.RunDueAsync(Ct));
    }

    [Fact]
    public async Task A_run_whose_lease_ran_out_and_was_taken_again_can_neither_put_the_timer_back_nor_commit_its_firing()
    {
        await using var open = await OpenAsync();
        IProcessStore store = open;
        var engine = Engine(open);
        var id = await StartReviewAsync(engine, "L-2");
        _time.Advance(TimeSpan.FromHours(1));
        var late = new List<TimerRecord>();
        await store.TakeDueAsync(_time.GetUtcNow().UtcTicks, late, Ct);
        _time.Advance(Lease);
        var current = new List<TimerRecord>();
        await store.TakeDueAsync(_time.GetUtcNow().UtcTicks, current, Ct);
        Assert.Equal(Assert.Single(late).Id, Assert.Single(current).Id);
        Assert.True(await store.HoldsTimerAsync(current[0], Ct));
        Assert.False(await store.HoldsTimerAsync(late[0], Ct));

        // The late run puts its timer back: the current lease stays.
        await store.RescheduleAsync(late, Ct);
        Assert.Equal(1, _db.Scalar("SELECT count(*) FROM timers WHERE lease_owner IS NOT NULL;"));

        // The late run commits the firing: refused, nothing stored.
        var record = (await store.FindInstanceAsync(id, engine, false, Ct))!;
        var version = record.Version;
        var commit = new InstanceCommit { Instance = record.TakeForCommand(), ExpectedVersion = version, FiredTimer = late[0] };
        Assert.False(await store.TryCommitAsync(commit, Ct));
        Assert.Equal(version, (await engine.GetInstanceAsync(id, Ct)).Version);
        Assert.Equal(1, _db.Scalar("SELECT count(*) FROM timers;"));

        // The current lease's run puts it back, and the engine fires it once.
        await store.RescheduleAsync(current, Ct);
        Assert.Equal(1, await engine.RunDueAsync(Ct));
        Assert.Single(await engine.GetHistoryAsync(id, Ct), static e => e.Type == History.HistoryEventType.DeadlineBreached);
    }

    [Fact]
    public async Task A_loaded_instance_holds_only_the_events_since_its_stored_count_unless_the_whole_history_is_asked_for()
    {
        await using var store = await OpenAsync();
        var engine = Engine(store);
        var id = await StartReviewAsync(engine, "H-1");
        var stored = (int)_db.Scalar($"SELECT sum(count) FROM history WHERE instance_id = {id.Value};");

        IProcessStore s = store;
        var forCommand = (await s.FindInstanceAsync(id, engine, false, Ct))!;
        var whole = (await s.FindInstanceAsync(id, engine, true, Ct))!;

        Assert.True(stored > 0);
        Assert.Equal(stored, forCommand.HistoryBase);
        Assert.Equal(0, forCommand.HistoryCount);
        Assert.Equal(0, whole.HistoryBase);
        Assert.Equal(stored, whole.HistoryCount);
    }

    [Fact]
    public async Task A_definition_with_lambdas_is_kept_without_json_and_must_be_deployed_again_after_a_restart()
    {
        static ProcessDefinition WithLambda()
        {
            var p = ProcessBuilder.Create("store.lambda", "Lambda").Version(1);
            p.Supplier("src", "Source").Inputs(Field.Number("amount"));
            var decide = p.Decision("decide", "Big?");
            var big = p.End("big", "Big");
            var small = p.End("small", "Small");
            decide.When(ProcessExpression.FromLambda(static data => data["amount"] is decimal d && d > 10m), big).Otherwise(small);
            return p.Build();
        }

        var definition = WithLambda();
        Assert.True(definition.ContainsLambdas);
        await using (var first = await OpenAsync())
        {
            IProcessStore store = first;
            Assert.True(await store.SaveDefinitionAsync(definition, Ct));
            Assert.False(await store.SaveDefinitionAsync(WithLambda(), Ct));
            Assert.Same(definition, store.FindDefinition("store.lambda", 1));
        }

        Assert.Equal(1, _db.Scalar("SELECT count(*) FROM definitions WHERE process_id = 'store.lambda' AND json IS NULL;"));
        await using var second = await OpenAsync();
        IProcessStore reopened = second;
        Assert.Null(reopened.FindDefinition("store.lambda", 1));
        Assert.Empty(await reopened.ListDefinitionsAsync(Ct));
        Assert.False(await reopened.SaveDefinitionAsync(WithLambda(), Ct));
        Assert.NotNull(reopened.FindDefinition("store.lambda", null));
    }

    [Fact]
    public async Task A_store_made_with_its_constructor_opens_the_file_only_when_initialized_and_says_so_when_used_before()
    {
        var store = new SqliteProcessStore(_db.Options());
        IProcessStore s = store;

        Assert.False(File.Exists(_db.Path));
        var error = Assert.Throws<InvalidOperationException>(() => s.NewInstanceId());
        Assert.Contains("InitializeAsync", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await s.FindTaskAsync(1, Ct));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => s.InitializeAsync(Ct).AsTask()));
        await s.InitializeAsync(Ct);
        Assert.True(s.NewInstanceId().Value > 0);
        Assert.Equal(SqliteMigrations.CurrentVersion, _db.Scalar("PRAGMA user_version;"));
        await store.DisposeAsync();
        await store.DisposeAsync();
    }

    [Fact]
    public async Task A_file_with_a_newer_schema_is_refused_with_the_store_error()
    {
        using (var connection = _db.Connect())
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA application_id = {SqliteMigrations.ApplicationId}; PRAGMA user_version = {SqliteMigrations.CurrentVersion + 1}; CREATE TABLE later (x INTEGER);";
            command.ExecuteNonQuery();
        }

        var error = await Assert.ThrowsAsync<ProcessStoreException>(() => OpenAsync());

        Assert.Equal(ProcessErrorCodes.StoreSchemaTooNew, error.ErrorCode);
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_refused_as_unavailable()
    {
        await File.WriteAllTextAsync(_db.Path, "this is a note, not a database" + new string('.', 600), Ct);

        var error = await Assert.ThrowsAsync<ProcessStoreException>(() => OpenAsync());

        Assert.Equal(ProcessErrorCodes.StoreUnavailable, error.ErrorCode);
        Assert.IsType<SqliteException>(error.InnerException);
    }

    [Fact]
    public async Task A_damaged_state_document_is_reported_as_an_unsupported_format()
    {
        await using var store = await OpenAsync();
        var engine = Engine(store);
        var id = await StartReviewAsync(engine, "X-1");
        using (var connection = _db.Connect())
        {
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE instances SET state_blob = $blob WHERE id = $id;";
            command.Parameters.AddWithValue("$blob", "{\"v\":1,\"data\":{\"nope\":1}"u8.ToArray());
            command.Parameters.AddWithValue("$id", id.Value);
            command.ExecuteNonQuery();
        }

        var error = await Assert.ThrowsAsync<ProcessStoreException>(async () => await engine.GetInstanceAsync(id, Ct));

        Assert.Equal(ProcessErrorCodes.StoreFormatUnsupported, error.ErrorCode);
    }

    [Fact]
    public async Task A_buffered_payload_comes_back_with_its_text_numbers_flags_and_objects()
    {
        await using var store = await OpenAsync();
        IProcessStore s = store;
        var payload = new Dictionary<string, object?>
        {
            ["text"] = "hello",
            ["amount"] = 12.5m,
            ["flag"] = true,
            ["nothing"] = null,
            ["nested"] = new Dictionary<string, object?> { ["a"] = 1 },
        };
        var expires = Epoch.AddHours(1).UtcTicks;
        Assert.True(await s.TryBufferAsync(new Messaging.BufferedMessage("m", "k", payload, "id-1", expires, 0), Epoch.UtcTicks, Ct));
        Assert.True(await s.TryBufferAsync(new Messaging.BufferedMessage("m", "k", null, null, expires + 1, 0), Epoch.UtcTicks, Ct));
        Assert.False(await s.TryBufferAsync(new Messaging.BufferedMessage("m", "k", null, "id-1", expires, 0), Epoch.UtcTicks, Ct));

        var first = s.FindBuffered("m", "k", Epoch.UtcTicks)!;
        Assert.Equal("hello", first.Payload!["text"]);
        Assert.Equal(12.5m, first.Payload["amount"]);
        Assert.Equal(true, first.Payload["flag"]);
        Assert.Null(first.Payload["nothing"]);
        Assert.Equal(1, ((System.Text.Json.JsonElement)first.Payload["nested"]!).GetProperty("a").GetInt32());
        Assert.Equal("id-1", first.MessageId);

        // Oldest first; an expired one is skipped.
        var second = s.FindBuffered("m", "k", expires)!;
        Assert.Null(second.Payload);
        Assert.True(second.Sequence > first.Sequence);
        Assert.Null(s.FindBuffered("m", "k", expires + 1));
    }
}
