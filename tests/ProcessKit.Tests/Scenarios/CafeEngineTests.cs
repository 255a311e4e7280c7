using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Tests.Execution;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Scenarios;

/// <summary>The cafe scenario run end to end in the engine on fake time.</summary>
public sealed class CafeEngineTests
{
    private static async Task<(EngineTestKit Kit, InstanceId Id)> SeatedGuestAsync()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(CafeProcess.Definition, new Dictionary<string, object?> { ["partySize"] = 2 });
        kit.Time.Advance(TimeSpan.FromMinutes(2));
        await kit.CompleteAsync(id, "greetGuest", data: new Dictionary<string, object?> { ["table"] = 7 });
        return (kit, id);
    }

    [Fact]
    public async Task Happy_path_a_guest_is_seated_served_bills_and_rates_within_the_deadline()
    {
        var (kit, id) = await SeatedGuestAsync();
        await kit.WorkAsync(id, "takeOrder", TimeSpan.FromMinutes(5), "ordered", new() { ["dishes"] = new List<string> { "soup", "steak" }, ["drinks"] = new List<string> { "tea" } });

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
        await kit.WorkAsync(id, "askRating", TimeSpan.FromMinutes(1), data: new() { ["rating"] = 5 });

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal("GuestServed", instance.EndOutcome);
        await kit.AdvanceAsync(TimeSpan.FromHours(1));
        var history = await kit.HistoryAsync(id);
        Assert.DoesNotContain(history, e => e.Type == HistoryEventType.DeadlineBreached);
        var end = history[^1];
        Assert.Equal(HistoryEventType.InstanceCompleted, end.Type);
        Assert.Equal(5m, end.Value);
        Assert.Equal(2, history.Count(e => e.Type == HistoryEventType.StepCompleted && e.StepId == "prepareDishes"));

        // 2 dishes × (4.50 + 450/h × 6 min) + waiter 350/h × (5 + 3 + 2 + 1) min + host 0 work (completed unclaimed) + cashier 300/h × 3 min
        var expected = (2 * (4.50m + 45m)) + (350m * 11 / 60) + (300m * 3 / 60);
        Assert.Equal(expected, history.Sum(e => e.Cost), 2);
    }

    [Fact]
    public async Task Alternate_paths_a_dish_is_unavailable_and_the_late_order_gets_a_free_dessert()
    {
        var (kit, id) = await SeatedGuestAsync();
        await kit.WorkAsync(id, "takeOrder", TimeSpan.FromMinutes(5), "dishUnavailable", new() { ["dishes"] = new List<string> { "lobster" } });
        await kit.WorkAsync(id, "offerAlternative", TimeSpan.FromMinutes(2));
        await kit.WorkAsync(id, "takeOrder", TimeSpan.FromMinutes(3), "ordered", new() { ["dishes"] = new List<string> { "fish" } });
        await kit.WorkAsync(id, "prepareDrinks", TimeSpan.FromMinutes(3));

        await kit.AdvanceAsync(TimeSpan.FromMinutes(20));

        var history = await kit.HistoryAsync(id);
        Assert.Contains(history, e => e.Type == HistoryEventType.DeadlineBreached && e.Detail == "orderToServing");
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
    }
}
