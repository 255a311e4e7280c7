using Microsoft.Extensions.Time.Testing;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Messaging;
using ProcessKit.Persistence;
using ProcessKit.PostgreSql.Tests.Server;
using ProcessKit.Tasks;
using ProcessKit.Tests.Scenarios;

namespace ProcessKit.PostgreSql.Tests.Store;

/// <summary>
/// The two sample processes end to end on the PostgreSQL store, with a node restart in the middle of each; the same
/// script run on the in-memory store gives the same history, data and outcome.
/// </summary>
public sealed class ScenarioTests(PostgresServer server)
{
    private static readonly DateTimeOffset Epoch = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_cafe_serves_a_guest_to_the_end_across_a_restart_as_in_memory()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        var options = new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString };
        await using var first = await PostgreSqlProcessStore.OpenAsync(options, Ct);
        await using var second = await PostgreSqlProcessStore.OpenAsync(options, Ct);

        var (durable, durableHistory) = await CafeAsync(first, second);
        var memory = new InMemoryProcessStore();
        var (reference, referenceHistory) = await CafeAsync(memory, memory);

        Assert.Equal(InstanceState.Completed, durable.State);
        Assert.Equal("GuestServed", durable.EndOutcome);
        AssertSameRun(reference, referenceHistory, durable, durableHistory);
        Assert.Equal(2, durableHistory.Count(e => e.Type == HistoryEventType.StepCompleted && e.StepId == "prepareDishes"));
    }

    [Fact]
    public async Task The_sales_office_turns_a_contact_into_a_won_deal_across_a_restart_as_in_memory()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        var options = new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString };
        await using var first = await PostgreSqlProcessStore.OpenAsync(options, Ct);
        await using var second = await PostgreSqlProcessStore.OpenAsync(options, Ct);

        var (durable, durableHistory) = await SalesAsync(first, second);
        var memory = new InMemoryProcessStore();
        var (reference, referenceHistory) = await SalesAsync(memory, memory);

        Assert.Equal(InstanceState.Completed, durable.State);
        Assert.Equal("DealWon", durable.EndOutcome);
        AssertSameRun(reference, referenceHistory, durable, durableHistory);
        Assert.Equal("contact.received", durableHistory[0].Detail);
        Assert.Equal(5m, durableHistory[^1].Value);
    }

    private static void AssertSameRun(InstanceSnapshot expected, IReadOnlyList<HistoryEvent> expectedHistory, InstanceSnapshot actual, IReadOnlyList<HistoryEvent> actualHistory)
    {
        Assert.Equal(expected.State, actual.State);
        Assert.Equal(expected.EndOutcome, actual.EndOutcome);
        Assert.Equal(expected.Data.Keys.Order(StringComparer.Ordinal), actual.Data.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, value) in expected.Data)
            Assert.Equal(Text(value), Text(actual.Data[name]));

        // Ids differ between stores; everything else about each event is the same.
        Assert.Equal(
            expectedHistory.Select(static e => e with { Instance = default }),
            actualHistory.Select(static e => e with { Instance = default }));
    }

    /// <summary>A value as text: lists and objects as JSON (the store gives them back as JSON, memory keeps the caller's list).</summary>
    private static string? Text(object? value) => value switch
    {
        System.Text.Json.JsonElement json => json.GetRawText(),
        System.Collections.IEnumerable when value is not string => System.Text.Json.JsonSerializer.Serialize(value),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static ProcessEngine Engine(IProcessStore store, FakeTimeProvider time, Action<ProcessEngineOptions>? configure = null)
    {
        var options = new ProcessEngineOptions { Store = store, TimeProvider = time };
        configure?.Invoke(options);
        return new ProcessEngine(options);
    }

    private static ProcessUser User(string id, params string[] roles) => new(id, roles);

    private static async Task<HumanTaskInfo> OpenTaskAsync(ProcessEngine engine, InstanceId id, string step) =>
        Assert.Single(await engine.QueryTasksAsync(new TaskQuery { Instance = id }, Ct), t => t.IsOpen && t.StepId == step);

    private static async Task WorkAsync(ProcessEngine engine, FakeTimeProvider time, InstanceId id, string step, TimeSpan work, string? outcome = null, Dictionary<string, object?>? data = null)
    {
        var task = await OpenTaskAsync(engine, id, step);
        var user = User("u-" + task.Role, task.Role);
        await engine.ClaimTaskAsync(task.TaskId, user, Ct);
        time.Advance(work);
        await engine.CompleteTaskAsync(task.TaskId, user, outcome, data, Ct);
    }

    /// <summary>The cafe's happy path; the second half runs on <paramref name="restarted"/> (a new node on the same store).</summary>
    private static async Task<(InstanceSnapshot, IReadOnlyList<HistoryEvent>)> CafeAsync(IProcessStore store, IProcessStore restarted)
    {
        var time = new FakeTimeProvider(Epoch);
        var engine = Engine(store, time);
        await engine.DeployAsync(CafeProcess.Definition, Ct);
        var id = await engine.StartAsync(CafeProcess.Id, new Dictionary<string, object?> { ["partySize"] = 2 }, cancellationToken: Ct);
        time.Advance(TimeSpan.FromMinutes(2));
        var greet = await OpenTaskAsync(engine, id, "greetGuest");
        await engine.CompleteTaskAsync(greet.TaskId, User("u-" + greet.Role, greet.Role), data: new Dictionary<string, object?> { ["table"] = 7 }, cancellationToken: Ct);
        await WorkAsync(engine, time, id, "takeOrder", TimeSpan.FromMinutes(5), "ordered", new() { ["dishes"] = new List<string> { "soup", "steak" }, ["drinks"] = new List<string> { "tea" } });

        // A new node takes over: it deploys the process (as every node does at start) and goes on from the store.
        engine = Engine(restarted, time);
        await engine.DeployAsync(CafeProcess.Definition, Ct);
        var cooking = (await engine.QueryTasksAsync(new TaskQuery { Instance = id }, Ct)).Where(t => t.IsOpen && t.StepId == "prepareDishes").ToList();
        Assert.Equal(["soup", "steak"], cooking.Select(t => t.Item));
        foreach (var dish in cooking)
        {
            var cook = User("carl", "cook");
            await engine.ClaimTaskAsync(dish.TaskId, cook, Ct);
            time.Advance(TimeSpan.FromMinutes(6));
            await engine.CompleteTaskAsync(dish.TaskId, cook, cancellationToken: Ct);
        }

        await WorkAsync(engine, time, id, "prepareDrinks", TimeSpan.FromMinutes(3));
        await WorkAsync(engine, time, id, "serve", TimeSpan.FromMinutes(2), data: new() { ["served"] = true });
        time.Advance(TimeSpan.FromMinutes(20));
        await engine.RunDueAsync(Ct);
        await WorkAsync(engine, time, id, "billAndPayment", TimeSpan.FromMinutes(3), "card", new() { ["billTotal"] = 42.5m });
        await WorkAsync(engine, time, id, "askRating", TimeSpan.FromMinutes(1), data: new() { ["rating"] = 5 });
        time.Advance(TimeSpan.FromHours(1));
        await engine.RunDueAsync(Ct);
        return (await engine.GetInstanceAsync(id, Ct), await engine.GetHistoryAsync(id, Ct));
    }

    private static void SalesHandlers(ProcessEngineOptions o)
    {
        o.RoleMembers = static role => role == "manager" ? ["mia", "max"] : [];
        o.AddHandler("sales.registerLead", static c =>
        {
            c.Set("leadId", "L-1");
            c.Set("clientExists", false);
        });
        o.AddHandler("sales.convertLeadToDeal", static c =>
        {
            c.Set("dealId", "D-1");
            c.Set("contactId", "P-1");
        });
        o.AddHandler("sales.createDeal", static c =>
        {
            c.Set("dealId", "D-1");
            c.Set("contactId", "P-2");
            c.Set("companyId", "Co-2");
        });
        o.AddHandler("sales.assignDispatcher", static c => c.Set("dispatcherId", "dan"));
    }

    /// <summary>The sales office's happy path for a new client; the second half runs on <paramref name="restarted"/>.</summary>
    private static async Task<(InstanceSnapshot, IReadOnlyList<HistoryEvent>)> SalesAsync(IProcessStore store, IProcessStore restarted)
    {
        var time = new FakeTimeProvider(Epoch);
        var engine = Engine(store, time, SalesHandlers);
        await engine.DeployAsync(SalesOfficeProcess.Definition, Ct);
        var contact = new ProcessMessage("contact.received")
        {
            MessageId = "call-1",
            Payload = new Dictionary<string, object?> { ["contactName"] = "Ann Client", ["channel"] = "call", ["phone"] = "+100" },
        };
        Assert.Equal(MessageOutcome.Started, await engine.PublishMessageAsync(contact, Ct));
        Assert.Equal(MessageOutcome.Duplicate, await engine.PublishMessageAsync(contact, Ct));
        var review = Assert.Single(await engine.QueryTasksAsync(new TaskQuery { Role = "operator" }, Ct));
        var id = review.Instance;
        time.Advance(TimeSpan.FromMinutes(5));
        await engine.CompleteTaskAsync(review.TaskId, User("olga", "operator"), cancellationToken: Ct);
        var qualify = await OpenTaskAsync(engine, id, "qualifyLead");
        Assert.Equal("mia", qualify.AssignedTo);
        await engine.CompleteTaskAsync(qualify.TaskId, User("mia", "manager"), "qualified", new Dictionary<string, object?> { ["needs"] = "10 chairs", ["dealAmount"] = 5000, ["discountPercent"] = 15, ["requestedDate"] = "2026-04-01T00:00:00Z" }, Ct);

        engine = Engine(restarted, time, SalesHandlers);
        await engine.DeployAsync(SalesOfficeProcess.Definition, Ct);
        var check = await OpenTaskAsync(engine, id, "checkFeasibility");
        Assert.Equal("dan", check.AssignedTo);
        await engine.CompleteTaskAsync(check.TaskId, User("dan", "dispatcher"), "feasible", new Dictionary<string, object?> { ["deliveryDate"] = "2026-03-30T00:00:00Z" }, Ct);
        var approve = await OpenTaskAsync(engine, id, "approveDiscount");
        await Assert.ThrowsAsync<ProcessAuthorizationException>(() => engine.CompleteTaskAsync(approve.TaskId, User("mia", "manager", "headOfSales"), "approved", cancellationToken: Ct).AsTask());
        await engine.CompleteTaskAsync(approve.TaskId, User("hal", "headOfSales"), "approved", cancellationToken: Ct);
        Assert.Equal(MessageOutcome.Delivered, await engine.PublishMessageAsync(new ProcessMessage("delivered") { CorrelationKey = "D-1", Payload = new Dictionary<string, object?> { ["deliveredAt"] = "2026-03-29T12:00:00Z" } }, Ct));
        Assert.Equal(MessageOutcome.Delivered, await engine.PublishMessageAsync(new ProcessMessage("rating.received") { CorrelationKey = "D-1", Payload = new Dictionary<string, object?> { ["rating"] = 5 } }, Ct));
        return (await engine.GetInstanceAsync(id, Ct), await engine.GetHistoryAsync(id, Ct));
    }
}
