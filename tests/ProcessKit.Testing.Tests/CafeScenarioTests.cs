using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using static ProcessKit.Testing.ProcessTestHarness;
using static ProcessKit.Testing.Tests.Samples;

namespace ProcessKit.Testing.Tests;

/// <summary>The cafe sample (samples/definitions/cafe.json) driven end to end through the harness.</summary>
public sealed class CafeScenarioTests
{
    private static readonly ProcessUser Hana = User("hana", "host");
    private static readonly ProcessUser Walt = User("walt", "waiter");
    private static readonly ProcessUser Carl = User("carl", "cook");
    private static readonly ProcessUser Cass = User("cass", "cashier");
    private static readonly ProcessUser Mona = User("mona", "manager");

    private static async Task<(ProcessTestHarness Harness, TestInstance Guest)> SeatedGuestAsync()
    {
        var harness = await CreateAsync(Cafe, Ct);
        var guest = await harness.StartAsync("cafe.serve-guest", new Dictionary<string, object?> { ["partySize"] = 2 }, cancellationToken: Ct);
        await guest.AssertOpenTaskAsync("greetGuest", role: "host", cancellationToken: Ct);
        await harness.AdvanceAsync(TimeSpan.FromMinutes(2), Ct);
        await guest.CompleteAsync("greetGuest", Hana, data: new Dictionary<string, object?> { ["table"] = 7 }, cancellationToken: Ct);
        await guest.AssertOpenTasksAsync(["takeOrder"], Ct);
        return (harness, guest);
    }

    /// <summary>Claims the task of a step, lets the work take <paramref name="work"/>, and completes it.</summary>
    private static async Task WorkAsync(ProcessTestHarness harness, TestInstance guest, string step, ProcessUser user, TimeSpan work, string? outcome = null, Dictionary<string, object?>? data = null)
    {
        await guest.ClaimAsync(step, user, Ct);
        await harness.AdvanceAsync(work, Ct);
        await guest.CompleteAsync(step, user, outcome, data, Ct);
    }

    [Fact]
    public async Task Happy_path_the_guest_is_seated_served_within_the_deadline_pays_and_rates()
    {
        var (harness, guest) = await SeatedGuestAsync();
        await WorkAsync(harness, guest, "takeOrder", Walt, TimeSpan.FromMinutes(5), "ordered", new() { ["dishes"] = new List<string> { "soup", "steak" }, ["drinks"] = new List<string> { "tea" } });

        var open = await guest.AssertOpenTasksAsync(["prepareDishes", "prepareDishes", "prepareDrinks"], Ct);
        Assert.Equal(["soup", "steak"], open.Where(t => t.StepId == "prepareDishes").Select(t => t.Item));
        await WorkAsync(harness, guest, "prepareDishes", Carl, TimeSpan.FromMinutes(6));
        await WorkAsync(harness, guest, "prepareDishes", Carl, TimeSpan.FromMinutes(6));
        await guest.AssertActiveStepsAsync(["prepareDrinks"], Ct);
        await WorkAsync(harness, guest, "prepareDrinks", Walt, TimeSpan.FromMinutes(3));
        await WorkAsync(harness, guest, "serve", Walt, TimeSpan.FromMinutes(2), data: new() { ["served"] = true });

        await guest.AssertActiveStepsAsync(["guestEats"], Ct);
        await harness.AdvanceAsync(TimeSpan.FromMinutes(20), Ct);
        await WorkAsync(harness, guest, "billAndPayment", Cass, TimeSpan.FromMinutes(3), "card", new() { ["billTotal"] = 42.5m });
        await WorkAsync(harness, guest, "askRating", Walt, TimeSpan.FromMinutes(1), data: new() { ["rating"] = 5 });

        await guest.AssertCompletedAsync("GuestServed", Ct);
        await guest.AssertDataAsync("billTotal", 42.5, Ct);
        await harness.AdvanceAsync(TimeSpan.FromHours(1), Ct);
        await guest.AssertHistoryLacksAsync(HistoryEventType.DeadlineBreached, cancellationToken: Ct);
        var end = await guest.AssertHistoryContainsAsync(HistoryEventType.InstanceCompleted, cancellationToken: Ct);
        Assert.Equal(5m, end.Value);

        // 2 dishes × (4.50 + 450/h × 6 min) + waiter 350/h × (5 + 3 + 2 + 1) min + cashier 300/h × 3 min (the host completed without claiming: no work time)
        var expected = (2 * (4.50m + 45m)) + (350m * 11 / 60) + (300m * 3 / 60);
        Assert.Equal(expected, (await guest.GetHistoryAsync(Ct)).Sum(e => e.Cost), 2);
    }

    [Fact]
    public async Task Alternate_path_an_unavailable_dish_sends_the_waiter_back_to_take_the_order_again()
    {
        var (harness, guest) = await SeatedGuestAsync();

        await WorkAsync(harness, guest, "takeOrder", Walt, TimeSpan.FromMinutes(4), "dishUnavailable", new() { ["dishes"] = new List<string> { "lobster" } });
        await guest.AssertOpenTasksAsync(["offerAlternative"], Ct);
        await WorkAsync(harness, guest, "offerAlternative", Walt, TimeSpan.FromMinutes(2));

        await guest.AssertOpenTasksAsync(["takeOrder"], Ct);
        await guest.AssertHistoryContainsAsync(e => e.Type == HistoryEventType.StepEntered && e.StepId == "takeOrder" && e.Path == PathKind.Rework, "takeOrder entered again on the rework path", Ct);
        await WorkAsync(harness, guest, "takeOrder", Walt, TimeSpan.FromMinutes(2), "ordered", new() { ["dishes"] = new List<string> { "fish" } });
        await guest.AssertOpenTasksAsync(["prepareDishes", "prepareDrinks"], Ct);
    }

    [Fact]
    public async Task Alternate_path_a_late_order_tells_the_manager_who_offers_a_free_dessert_while_the_cooking_goes_on()
    {
        var (harness, guest) = await SeatedGuestAsync();
        await WorkAsync(harness, guest, "takeOrder", Walt, TimeSpan.FromMinutes(5), "ordered", new() { ["dishes"] = new List<string> { "stew" } });
        await WorkAsync(harness, guest, "prepareDrinks", Walt, TimeSpan.FromMinutes(3));

        await harness.AdvanceAsync(TimeSpan.FromMinutes(21), Ct);

        var breach = await guest.AssertHistoryContainsAsync(e => e.Type == HistoryEventType.DeadlineBreached && e.Detail == "orderToServing", "the orderToServing deadline breached", Ct);
        Assert.Equal(PathKind.Exception, breach.Path);
        await guest.AssertHistoryContainsAsync(e => e.Type == HistoryEventType.NotificationSent && e.RoleId == "manager", "a notification to the manager", Ct);
        await guest.AssertOpenTasksAsync(["offerFreeDessert", "prepareDishes"], Ct);
        await guest.AssertOpenTaskAsync("offerFreeDessert", role: "manager", cancellationToken: Ct);

        await WorkAsync(harness, guest, "offerFreeDessert", Mona, TimeSpan.FromMinutes(2));
        await guest.AssertStateAsync(InstanceState.Running, Ct);
        await WorkAsync(harness, guest, "prepareDishes", Carl, TimeSpan.FromMinutes(1));
        await WorkAsync(harness, guest, "serve", Walt, TimeSpan.FromMinutes(1), data: new() { ["served"] = true });
        await harness.AdvanceAsync(TimeSpan.FromMinutes(20), Ct);
        await WorkAsync(harness, guest, "billAndPayment", Cass, TimeSpan.FromMinutes(3), "cash", new() { ["billTotal"] = 30 });
        await WorkAsync(harness, guest, "askRating", Walt, TimeSpan.FromMinutes(1), data: new() { ["rating"] = 4 });

        await guest.AssertCompletedAsync("GuestServed", Ct);
        var dessert = await guest.AssertHistoryContainsAsync(HistoryEventType.StepCompleted, "offerFreeDessert", Ct);
        Assert.Equal(3.00m + (600m * 2 / 60), dessert.Cost);
    }

    [Fact]
    public async Task Only_a_cook_may_prepare_the_dishes()
    {
        var (harness, guest) = await SeatedGuestAsync();
        await WorkAsync(harness, guest, "takeOrder", Walt, TimeSpan.FromMinutes(5), "ordered", new() { ["dishes"] = new List<string> { "soup" } });

        await Assert.ThrowsAsync<ProcessAuthorizationException>(() => guest.CompleteAsync("prepareDishes", Walt, cancellationToken: Ct).AsTask());

        await guest.AssertOpenTasksAsync(["prepareDishes", "prepareDrinks"], Ct);
    }
}
