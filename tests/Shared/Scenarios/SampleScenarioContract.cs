using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Messaging;
using ProcessKit.Persistence;
using ProcessKit.Tests.Scenarios;

namespace ProcessKit.Scenarios;

/// <summary>
/// The two sample processes (the cafe and the sales office) end to end, with the application restarted in the
/// middle, on the store under test: each script asserts as it goes, and the same script run on a fresh in-memory
/// store must end with the same state, data and history (ids aside). A store's test project derives from this class
/// (the file is linked into each) and says how to open its store; every scenario then runs against that store.
/// </summary>
public abstract class SampleScenarioContract
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Opens the store under test: a fresh, empty one on the first call of a test, the same one again (as a
    /// restarted application would) on every later call.
    /// </summary>
    protected abstract ValueTask<IProcessStore> OpenStoreAsync();

    /// <summary>Closes a store opened by <see cref="OpenStoreAsync"/> (by default: disposes it if it is disposable).</summary>
    protected virtual ValueTask CloseStoreAsync(IProcessStore store) =>
        store is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;

    [Fact]
    public Task The_cafe_seats_serves_bills_and_rates_a_guest_within_the_deadline_across_restarts_as_in_memory() =>
        RunAsInMemoryAsync(CafeHappyPathAsync);

    [Fact]
    public Task An_unavailable_dish_makes_the_cafe_order_late_the_breach_is_recorded_once_across_restarts_and_the_guest_gets_a_free_dessert() =>
        RunAsInMemoryAsync(CafeLateOrderAsync);

    [Fact]
    public Task The_sales_office_turns_a_new_contact_into_a_won_deal_across_restarts_with_messages_and_handlers_as_in_memory() =>
        RunAsInMemoryAsync(SalesOfficeWonDealAsync, SalesOfficeHandlers);

    /// <summary>Runs the script on the store under test and on a fresh in-memory store, and compares the two runs.</summary>
    private async Task RunAsInMemoryAsync(Func<StoreEngineKit, Task<InstanceId>> script, Action<ProcessEngineOptions>? configure = null)
    {
        await using var kit = await StoreEngineKit.OpenAsync(OpenStoreAsync, CloseStoreAsync, configure);
        var id = await script(kit);
        await using var reference = await StoreEngineKit.InMemoryAsync(configure);
        var referenceId = await script(reference);

        var expected = await reference.InstanceAsync(referenceId);
        var actual = await kit.InstanceAsync(id);
        Assert.Equal(expected.State, actual.State);
        Assert.Equal(expected.EndOutcome, actual.EndOutcome);
        Assert.Equal(expected.Data.Keys.Order(StringComparer.Ordinal), actual.Data.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, value) in expected.Data)
        {
            Assert.Equal(Text(value), Text(actual.Data[name]));
        }

        // Ids differ between stores; everything else about each event is the same.
        Assert.Equal(
            (await reference.HistoryAsync(referenceId)).Select(static e => e with { Instance = default }),
            (await kit.HistoryAsync(id)).Select(static e => e with { Instance = default }));
    }

    /// <summary>A value as text: lists and objects as JSON (a durable store gives them back as JSON, memory keeps the caller's list).</summary>
    private static string? Text(object? value) => value switch
    {
        System.Text.Json.JsonElement json => json.GetRawText(),
        System.Collections.IEnumerable when value is not string => System.Text.Json.JsonSerializer.Serialize(value),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static ProcessUser User(string id, params string[] roles) => new(id, roles);

    /// <summary>The cafe's happy path: two dishes cooked, paid by card, rated 5; restarts while cooking and before the rating.</summary>
    private static async Task<InstanceId> CafeHappyPathAsync(StoreEngineKit kit)
    {
        var id = await kit.DeployAndStartAsync(CafeProcess.Definition, new Dictionary<string, object?> { ["partySize"] = 2 });
        kit.Time.Advance(TimeSpan.FromMinutes(2));
        await kit.CompleteAsync(id, "greetGuest", data: new Dictionary<string, object?> { ["table"] = 7 });
        await kit.WorkAsync(id, "takeOrder", TimeSpan.FromMinutes(5), "ordered", new() { ["dishes"] = new List<string> { "soup", "steak" }, ["drinks"] = new List<string> { "tea" } });

        // The application stops while the dishes are being cooked, and starts again on the same store.
        await kit.RestartAsync();

        var cooking = (await kit.OpenTasksAsync(id)).Where(t => t.StepId == "prepareDishes").ToList();
        Assert.Equal(["soup", "steak"], cooking.Select(t => t.Item));
        foreach (var dish in cooking)
        {
            var cook = User("carl", "cook");
            await kit.Engine.ClaimTaskAsync(dish.TaskId, cook, Ct);
            kit.Time.Advance(TimeSpan.FromMinutes(6));
            await kit.Engine.CompleteTaskAsync(dish.TaskId, cook, cancellationToken: Ct);
        }

        await kit.WorkAsync(id, "prepareDrinks", TimeSpan.FromMinutes(3));
        await kit.WorkAsync(id, "serve", TimeSpan.FromMinutes(2), data: new() { ["served"] = true });
        Assert.Equal(["guestEats"], (await kit.InstanceAsync(id)).ActiveSteps);
        await kit.AdvanceAsync(TimeSpan.FromMinutes(20));
        await kit.WorkAsync(id, "billAndPayment", TimeSpan.FromMinutes(3), "card", new() { ["billTotal"] = 42.5m });
        await kit.RestartAsync();
        await kit.WorkAsync(id, "askRating", TimeSpan.FromMinutes(1), data: new() { ["rating"] = 5 });

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal("GuestServed", instance.EndOutcome);
        Assert.Equal(42.5m, instance.Data["billTotal"]);
        await kit.AdvanceAsync(TimeSpan.FromHours(1));
        var history = await kit.HistoryAsync(id);
        Assert.DoesNotContain(history, e => e.Type == HistoryEventType.DeadlineBreached);
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(static e => (int)e.Sequence));
        var end = history[^1];
        Assert.Equal(HistoryEventType.InstanceCompleted, end.Type);
        Assert.Equal(5m, end.Value);
        Assert.Equal(2, history.Count(e => e.Type == HistoryEventType.StepCompleted && e.StepId == "prepareDishes"));

        // 2 dishes × (4.50 + 450/h × 6 min) + waiter 350/h × (5 + 3 + 2 + 1) min + host 0 work (completed unclaimed) + cashier 300/h × 3 min
        var expected = (2 * (4.50m + 45m)) + (350m * 11 / 60) + (300m * 3 / 60);
        Assert.Equal(expected, history.Sum(e => e.Cost), 2);
        return id;
    }

    /// <summary>The cafe's alternate paths: the dish is unavailable, the order is taken again and served late (restarts around the deadline), a free dessert.</summary>
    private static async Task<InstanceId> CafeLateOrderAsync(StoreEngineKit kit)
    {
        var id = await kit.DeployAndStartAsync(CafeProcess.Definition, new Dictionary<string, object?> { ["partySize"] = 2 });
        kit.Time.Advance(TimeSpan.FromMinutes(2));
        await kit.CompleteAsync(id, "greetGuest", data: new Dictionary<string, object?> { ["table"] = 7 });
        await kit.WorkAsync(id, "takeOrder", TimeSpan.FromMinutes(5), "dishUnavailable", new() { ["dishes"] = new List<string> { "lobster" } });
        await kit.WorkAsync(id, "offerAlternative", TimeSpan.FromMinutes(2));
        await kit.WorkAsync(id, "takeOrder", TimeSpan.FromMinutes(3), "ordered", new() { ["dishes"] = new List<string> { "fish" } });
        await kit.WorkAsync(id, "prepareDrinks", TimeSpan.FromMinutes(3));

        await kit.RestartAsync();
        await kit.AdvanceAsync(TimeSpan.FromMinutes(20));
        await kit.RestartAsync();
        await kit.AdvanceAsync(TimeSpan.FromMinutes(20));

        var history = await kit.HistoryAsync(id);
        Assert.Single(history, e => e.Type == HistoryEventType.DeadlineBreached && e.Detail == "orderToServing");
        Assert.Contains(history, e => e.Type == HistoryEventType.NotificationSent && e.RoleId == "manager");
        Assert.Equal(2, history.Count(e => e.Type == HistoryEventType.StepEntered && e.StepId == "takeOrder"));
        Assert.Contains(history, e => e.Type == HistoryEventType.StepEntered && e.StepId == "takeOrder" && e.Path == ProcessKit.Definitions.PathKind.Rework);
        Assert.Equal(["offerFreeDessert", "prepareDishes"], (await kit.OpenTasksAsync(id)).Select(t => t.StepId).Order(StringComparer.Ordinal));

        await kit.WorkAsync(id, "offerFreeDessert", TimeSpan.FromMinutes(2));
        await kit.WorkAsync(id, "prepareDishes", TimeSpan.FromMinutes(1));
        await kit.WorkAsync(id, "serve", TimeSpan.FromMinutes(1), data: new() { ["served"] = true });
        await kit.AdvanceAsync(TimeSpan.FromMinutes(20));
        await kit.WorkAsync(id, "billAndPayment", TimeSpan.FromMinutes(3), "cash", new() { ["billTotal"] = 30 });
        await kit.WorkAsync(id, "askRating", TimeSpan.FromMinutes(1), data: new() { ["rating"] = 4 });

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal("GuestServed", instance.EndOutcome);
        return id;
    }

    /// <summary>Stub handlers for the sales office (fixed ids, so that two runs give the same data), a new client, two managers.</summary>
    private static void SalesOfficeHandlers(ProcessEngineOptions o)
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

    /// <summary>The sales office's happy path for a new client: a call is reviewed, qualified, checked, the discount approved, delivered and rated; restarts between the stages.</summary>
    private static async Task<InstanceId> SalesOfficeWonDealAsync(StoreEngineKit kit)
    {
        await kit.DeployAsync(SalesOfficeProcess.Definition);
        var contact = new ProcessMessage("contact.received")
        {
            MessageId = "call-1",
            Payload = new Dictionary<string, object?> { ["contactName"] = "Ann Client", ["channel"] = "call", ["phone"] = "+100" },
        };
        Assert.Equal(MessageOutcome.Started, await kit.Engine.PublishMessageAsync(contact, Ct));
        Assert.Equal(MessageOutcome.Duplicate, await kit.Engine.PublishMessageAsync(contact, Ct));
        var review = Assert.Single(await kit.Engine.QueryTasksAsync(new() { Role = "operator" }, Ct));
        kit.Time.Advance(TimeSpan.FromMinutes(5));
        await kit.Engine.CompleteTaskAsync(review.TaskId, User("olga", "operator"), cancellationToken: Ct);
        var id = review.Instance;

        await kit.RestartAsync();
        Assert.Equal(MessageOutcome.Duplicate, await kit.Engine.PublishMessageAsync(contact, Ct));
        var qualify = await kit.OpenTaskAsync(id, "qualifyLead");
        Assert.Equal("mia", qualify.AssignedTo);
        await kit.Engine.CompleteTaskAsync(qualify.TaskId, User("mia", "manager"), "qualified", new Dictionary<string, object?> { ["needs"] = "10 chairs", ["dealAmount"] = 5000, ["discountPercent"] = 15, ["requestedDate"] = "2026-04-01T00:00:00Z" }, Ct);

        await kit.RestartAsync();
        var check = await kit.OpenTaskAsync(id, "checkFeasibility");
        Assert.Equal("dan", check.AssignedTo);
        await kit.Engine.CompleteTaskAsync(check.TaskId, User("dan", "dispatcher"), "feasible", new Dictionary<string, object?> { ["deliveryDate"] = "2026-03-30T00:00:00Z" }, Ct);
        var approve = await kit.OpenTaskAsync(id, "approveDiscount");
        await Assert.ThrowsAsync<ProcessAuthorizationException>(() => kit.Engine.CompleteTaskAsync(approve.TaskId, User("mia", "manager", "headOfSales"), "approved", cancellationToken: Ct).AsTask());
        await kit.Engine.CompleteTaskAsync(approve.TaskId, User("hal", "headOfSales"), "approved", cancellationToken: Ct);

        await kit.RestartAsync();
        var dealId = (string)(await kit.InstanceAsync(id)).Data["dealId"]!;
        Assert.Equal(MessageOutcome.Delivered, await kit.Engine.PublishMessageAsync(new ProcessMessage("delivered") { CorrelationKey = dealId, Payload = new Dictionary<string, object?> { ["deliveredAt"] = "2026-03-29T12:00:00Z" } }, Ct));
        Assert.Equal(MessageOutcome.Delivered, await kit.Engine.PublishMessageAsync(new ProcessMessage("rating.received") { CorrelationKey = dealId, Payload = new Dictionary<string, object?> { ["rating"] = 5 } }, Ct));

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal("DealWon", instance.EndOutcome);
        var history = await kit.HistoryAsync(id);
        Assert.Equal(5m, history[^1].Value);
        Assert.Equal("contact.received", history[0].Detail);
        Assert.DoesNotContain(history, e => e.Type == HistoryEventType.DeadlineBreached);
        return id;
    }
}
