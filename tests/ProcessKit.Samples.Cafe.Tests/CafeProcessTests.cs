using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Testing;
using static ProcessKit.Testing.ProcessTestHarness;

namespace ProcessKit.Samples.Cafe.Tests;

/// <summary>The sample's cafe process, valid and run end to end on fake time: every alternate path, each named.</summary>
public sealed class CafeProcessTests
{
    private static readonly ProcessUser Hana = User("hana", "host");
    private static readonly ProcessUser Walt = User("walt", "waiter");
    private static readonly ProcessUser Carl = User("carl", "cook");
    private static readonly ProcessUser Cass = User("cass", "cashier");
    private static readonly ProcessUser Mona = User("mona", "manager");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<ProcessTestHarness> HarnessAsync()
    {
        var options = new ProcessTestHarnessOptions().AddHandler(CafeProcess.ComputeBillHandler, CafeMenu.ComputeBill);
        options.Definitions.Add(CafeProcess.Definition);
        return await CreateAsync(options, Ct);
    }

    private static async Task<(ProcessTestHarness Harness, TestInstance Guest)> SeatedGuestAsync()
    {
        var harness = await HarnessAsync();
        var guest = await harness.StartAsync(CafeProcess.Id, new Dictionary<string, object?> { ["partySize"] = 2 }, cancellationToken: Ct);
        await WorkAsync(harness, guest, "greetGuest", Hana, TimeSpan.FromMinutes(2), data: new() { ["table"] = 7 });
        return (harness, guest);
    }

    private static async Task WorkAsync(ProcessTestHarness harness, TestInstance guest, string step, ProcessUser user, TimeSpan work, string? outcome = null, Dictionary<string, object?>? data = null)
    {
        await guest.ClaimAsync(step, user, Ct);
        await harness.AdvanceAsync(work, Ct);
        await guest.CompleteAsync(step, user, outcome, data, Ct);
    }

    private static Dictionary<string, object?> Order(string[] dishes, string[] drinks) =>
        new() { ["dishes"] = dishes.ToList(), ["drinks"] = drinks.ToList() };

    /// <summary>From the order being ready: serve, eat, the bill (computed), payment and the rating.</summary>
    private static async Task ServeEatPayAndRateAsync(ProcessTestHarness harness, TestInstance guest, string payment = "card", int rating = 5)
    {
        await WorkAsync(harness, guest, "serve", Walt, TimeSpan.FromMinutes(2), data: new() { ["served"] = true });
        await guest.AssertActiveStepsAsync(["guestEats"], Ct);
        await harness.AdvanceAsync(TimeSpan.FromMinutes(20), Ct);
        await WorkAsync(harness, guest, "billAndPayment", Cass, TimeSpan.FromMinutes(3), payment);
        await WorkAsync(harness, guest, "askRating", Walt, TimeSpan.FromMinutes(1), data: new() { ["rating"] = rating });
    }

    [Fact]
    public void The_process_is_valid_without_warnings_and_can_be_written_as_json()
    {
        var definition = CafeProcess.Create().BuildWithWarnings(out var warnings);

        Assert.Empty(warnings);
        Assert.False(definition.ContainsLambdas);
        Assert.Equal(definition, ProcessKit.Definitions.Json.ProcessDefinitionJson.Read(ProcessKit.Definitions.Json.ProcessDefinitionJson.Write(definition)));
        Assert.Equal([("host", 300m), ("waiter", 350m), ("cook", 450m), ("cashier", 300m), ("manager", 600m)], definition.Roles.Select(r => (r.Id, r.HourlyCost)));
        Assert.Equal(CafeProcess.Definition, definition);
    }

    [Fact]
    public async Task Happy_path_the_guest_is_seated_orders_is_served_on_time_pays_a_computed_bill_by_card_and_rates()
    {
        var (harness, guest) = await SeatedGuestAsync();
        await WorkAsync(harness, guest, "takeOrder", Walt, TimeSpan.FromMinutes(5), "ordered", Order(["soup", "steak"], ["tea"]));

        var open = await guest.AssertOpenTasksAsync(["prepareDishes", "prepareDishes", "prepareDrinks"], Ct);
        Assert.Equal(["soup", "steak"], open.Where(t => t.StepId == "prepareDishes").Select(t => t.Item));
        await WorkAsync(harness, guest, "prepareDishes", Carl, TimeSpan.FromMinutes(6));
        await WorkAsync(harness, guest, "prepareDishes", Carl, TimeSpan.FromMinutes(6));
        await WorkAsync(harness, guest, "prepareDrinks", Walt, TimeSpan.FromMinutes(3));
        await ServeEatPayAndRateAsync(harness, guest);

        await guest.AssertCompletedAsync("GuestServed", Ct);
        await guest.AssertDataAsync("billTotal", 6.50m + 24.00m + 3.00m, Ct);
        await guest.AssertHistoryLacksAsync(HistoryEventType.DeadlineBreached, cancellationToken: Ct);
        await guest.AssertHistoryLacksAsync(HistoryEventType.StepEntered, "priceByHand", Ct);

        // 2 dishes x (4.50 + 450/h x 6 min) + waiter 350/h x (5 + 3 + 2 + 1) min + host 300/h x 2 min + cashier 300/h x 3 min
        var expected = (2 * (4.50m + 45m)) + (350m * 11 / 60) + 10m + 15m;
        Assert.Equal(expected, (await guest.GetHistoryAsync(Ct)).Sum(e => e.Cost), 2);
    }

    [Fact]
    public async Task Alternate_path_dish_unavailable_the_waiter_offers_an_alternative_and_takes_the_order_again()
    {
        var (harness, guest) = await SeatedGuestAsync();
        await WorkAsync(harness, guest, "takeOrder", Walt, TimeSpan.FromMinutes(4), "dishUnavailable", Order(["lobster"], []));

        await guest.AssertOpenTasksAsync(["offerAlternative"], Ct);
        await WorkAsync(harness, guest, "offerAlternative", Walt, TimeSpan.FromMinutes(2));
        await guest.AssertOpenTasksAsync(["takeOrder"], Ct);
        await guest.AssertHistoryContainsAsync(e => e.Type == HistoryEventType.StepEntered && e.StepId == "takeOrder" && e.Path == PathKind.Rework, "takeOrder entered again on the rework path", Ct);
        await WorkAsync(harness, guest, "takeOrder", Walt, TimeSpan.FromMinutes(2), "ordered", Order(["fish"], ["water"]));

        await guest.AssertOpenTasksAsync(["prepareDishes", "prepareDrinks"], Ct);
    }

    [Fact]
    public async Task Alternate_path_late_order_the_deadline_cannot_be_met_so_the_manager_is_told_and_offers_a_free_dessert_while_the_cooking_goes_on()
    {
        var (harness, guest) = await SeatedGuestAsync();
        await WorkAsync(harness, guest, "takeOrder", Walt, TimeSpan.FromMinutes(5), "ordered", Order(["risotto"], []));
        await guest.ClaimAsync("prepareDishes", Carl, Ct);

        // The order was taken from 09:02 to 09:07: the deadline is 09:27, 20 minutes into the cooking.
        await harness.AdvanceAsync(TimeSpan.FromMinutes(19), Ct);
        await guest.AssertHistoryLacksAsync(HistoryEventType.DeadlineBreached, cancellationToken: Ct);
        await harness.AdvanceAsync(TimeSpan.FromMinutes(1), Ct);

        await guest.AssertHistoryContainsAsync(e => e.Type == HistoryEventType.DeadlineBreached && e.Detail == "orderToServing", "the 25-minute deadline passed", Ct);
        await guest.AssertHistoryContainsAsync(e => e.Type == HistoryEventType.NotificationSent && e.RoleId == "manager", "the manager was told", Ct);
        await guest.AssertOpenTasksAsync(["prepareDishes", "offerFreeDessert"], Ct);
        await WorkAsync(harness, guest, "offerFreeDessert", Mona, TimeSpan.FromMinutes(2), data: new() { ["freeDessert"] = true });
        await guest.CompleteAsync("prepareDishes", Carl, cancellationToken: Ct);
        await ServeEatPayAndRateAsync(harness, guest, rating: 4);

        await guest.AssertCompletedAsync("GuestServed", Ct);
        await guest.AssertDataAsync("freeDessert", true, Ct);
        await guest.AssertDataAsync("billTotal", 14.00m, Ct);
        var history = await guest.GetHistoryAsync(Ct);
        Assert.Contains(history, e => e.Type == HistoryEventType.StepCompleted && e.StepId == "offerFreeDessert" && e.Cost == 3.00m + 20m);
    }

    [Fact]
    public async Task Alternate_path_no_drinks_the_drinks_branch_is_skipped_and_serving_waits_for_the_dishes_only()
    {
        var (harness, guest) = await SeatedGuestAsync();
        await WorkAsync(harness, guest, "takeOrder", Walt, TimeSpan.FromMinutes(5), "ordered", Order(["pasta"], []));

        await guest.AssertOpenTasksAsync(["prepareDishes"], Ct);
        await WorkAsync(harness, guest, "prepareDishes", Carl, TimeSpan.FromMinutes(12));
        await guest.AssertOpenTasksAsync(["serve"], Ct);
        await ServeEatPayAndRateAsync(harness, guest);

        await guest.AssertCompletedAsync("GuestServed", Ct);
        await guest.AssertHistoryLacksAsync(HistoryEventType.StepEntered, "prepareDrinks", Ct);
        await guest.AssertDataAsync("billTotal", 12.50m, Ct);
    }

    [Fact]
    public async Task Alternate_path_missing_prices_an_item_not_on_the_menu_is_priced_by_the_cashier_by_hand()
    {
        var (harness, guest) = await SeatedGuestAsync();
        await WorkAsync(harness, guest, "takeOrder", Walt, TimeSpan.FromMinutes(5), "ordered", Order(["chef's special"], ["wine"]));
        await WorkAsync(harness, guest, "prepareDishes", Carl, TimeSpan.FromMinutes(12));
        await WorkAsync(harness, guest, "prepareDrinks", Walt, TimeSpan.FromMinutes(1));
        await WorkAsync(harness, guest, "serve", Walt, TimeSpan.FromMinutes(2), data: new() { ["served"] = true });
        await harness.AdvanceAsync(TimeSpan.FromMinutes(20), Ct);

        await guest.AssertOpenTasksAsync(["priceByHand"], Ct);
        await guest.AssertDataAsync("billTotal", 7.50m, Ct);
        Assert.Equal(["chef's special"], CafeMenu.Items((await guest.GetSnapshotAsync(Ct)).Data["unpricedItems"]));
        await WorkAsync(harness, guest, "priceByHand", Cass, TimeSpan.FromMinutes(2), data: new() { ["billTotal"] = 29.50m });
        await WorkAsync(harness, guest, "billAndPayment", Cass, TimeSpan.FromMinutes(3), "cash");
        await WorkAsync(harness, guest, "askRating", Walt, TimeSpan.FromMinutes(1), data: new() { ["rating"] = 5 });

        await guest.AssertCompletedAsync("GuestServed", Ct);
        await guest.AssertDataAsync("billTotal", 29.50m, Ct);
        await guest.AssertHistoryContainsAsync(e => e.Type == HistoryEventType.StepEntered && e.StepId == "priceByHand" && e.Path == PathKind.Alternate, "priced by hand on the alternate path", Ct);
    }

    [Fact]
    public async Task Missing_data_a_guest_without_a_party_size_is_not_started_and_an_order_without_dishes_is_refused_with_the_task_left_open()
    {
        var harness = await HarnessAsync();
        var noParty = await Assert.ThrowsAnyAsync<ProcessKitException>(async () => await harness.StartAsync(CafeProcess.Id, new Dictionary<string, object?>(), cancellationToken: Ct));
        Assert.Equal(ProcessErrorCodes.StartDataInvalid, noParty.ErrorCode);

        var (_, guest) = await SeatedGuestAsync();
        var noDishes = await Assert.ThrowsAnyAsync<ProcessKitException>(async () => await guest.CompleteAsync("takeOrder", Walt, "ordered", new Dictionary<string, object?> { ["drinks"] = new List<string> { "tea" } }, Ct));
        Assert.Equal(ProcessErrorCodes.TaskDataInvalid, noDishes.ErrorCode);
        var notAList = await Assert.ThrowsAnyAsync<ProcessKitException>(async () => await guest.CompleteAsync("takeOrder", Walt, "ordered", new Dictionary<string, object?> { ["dishes"] = "soup" }, Ct));
        Assert.Equal(ProcessErrorCodes.TaskDataInvalid, notAList.ErrorCode);

        await guest.AssertOpenTasksAsync(["takeOrder"], Ct);
    }

    [Fact]
    public async Task Payment_by_cash_ends_the_same_way_as_by_card()
    {
        var (harness, guest) = await SeatedGuestAsync();
        await WorkAsync(harness, guest, "takeOrder", Walt, TimeSpan.FromMinutes(5), "ordered", Order(["salad"], ["juice"]));
        await WorkAsync(harness, guest, "prepareDishes", Carl, TimeSpan.FromMinutes(8));
        await WorkAsync(harness, guest, "prepareDrinks", Walt, TimeSpan.FromMinutes(2));
        await ServeEatPayAndRateAsync(harness, guest, payment: "cash", rating: 3);

        await guest.AssertCompletedAsync("GuestServed", Ct);
        var end = await guest.AssertHistoryContainsAsync(HistoryEventType.InstanceCompleted, cancellationToken: Ct);
        Assert.Equal(3m, end.Value);
        await guest.AssertHistoryContainsAsync(e => e.Type == HistoryEventType.StepCompleted && e.StepId == "billAndPayment" && e.Detail == "cash", "paid by cash", Ct);
    }
}
