using ProcessKit.Definitions;

namespace ProcessKit.Tests.Scenarios;

public sealed class CafeProcessTests
{
    private readonly ProcessDefinition _cafe = CafeProcess.Definition;

    [Fact]
    public void Builds_with_the_process_settings_of_the_scenario()
    {
        Assert.Equal("cafe.serve-guest", _cafe.Id);
        Assert.Equal(1, _cafe.Version);
        Assert.Equal(ProcessKind.Core, _cafe.Kind);
        Assert.Equal("Cafe", _cafe.Category);
        Assert.Contains("30 minutes", _cafe.Goal, StringComparison.Ordinal);
        Assert.Equal("manager", _cafe.OwnerRole);
        Assert.Equal(["guest", "kitchenStock"], _cafe.Suppliers.Select(s => s.Id));
        Assert.Equal(["served", "billTotal", "rating"], Assert.Single(_cafe.Clients).Outputs.Select(o => o.Name));
        Assert.Equal("rating", _cafe.Targets?.SatisfactionField);
        Assert.Empty(_cafe.Triggers);
        Assert.Equal("greetGuest", _cafe.GetStartStepId());
        Assert.False(_cafe.ContainsLambdas);
    }

    [Fact]
    public void Has_the_five_roles_with_their_hourly_cost()
    {
        Assert.Equal(
            [("host", 300m), ("waiter", 350m), ("cook", 450m), ("cashier", 300m), ("manager", 600m)],
            _cafe.Roles.Select(r => (r.Id, r.HourlyCost)));
    }

    [Fact]
    public void Has_the_steps_of_the_scenario_by_kind()
    {
        var counts = _cafe.CountByKind();

        Assert.Equal(9, counts[StepKind.HumanTask]);
        Assert.Equal(1, counts[StepKind.ParallelSplit]);
        Assert.Equal(1, counts[StepKind.ParallelJoin]);
        Assert.Equal(1, counts[StepKind.Timer]);
        Assert.Equal(2, counts[StepKind.End]);
        Assert.Equal(14, _cafe.Steps.Count);
    }

    [Fact]
    public void Every_human_task_has_a_role_and_an_expected_work_time()
    {
        foreach (var task in _cafe.Steps.OfType<HumanTaskStep>())
        {
            Assert.NotNull(task.Role);
            Assert.NotNull(task.WorkTime);
        }

        Assert.Equal(TimeSpan.FromMinutes(15), _cafe.Step<HumanTaskStep>("prepareDishes").WorkTime);
        Assert.Equal("host", _cafe.Step<HumanTaskStep>("greetGuest").Role);
    }

    [Fact]
    public void An_unavailable_dish_loops_back_to_taking_the_order()
    {
        Assert.Equal(["ordered", "dishUnavailable"], _cafe.Step<HumanTaskStep>("takeOrder").Outcomes);
        Assert.Equal(PathKind.Alternate, _cafe.Flow("takeOrder", "offerAlternative", "dishUnavailable").Path);
        Assert.Equal(PathKind.Rework, _cafe.Flow("offerAlternative", "takeOrder").Path);
    }

    [Fact]
    public void Dishes_and_drinks_are_prepared_in_parallel_and_joined_before_serving()
    {
        Assert.Equal(["prepareDishes", "prepareDrinks"], _cafe.Step<ParallelSplitStep>("prepareOrder").Flows.Select(f => f.To));
        Assert.Equal("prepareOrder", _cafe.Step<ParallelJoinStep>("orderReady").Split);
        Assert.Equal("orderReady", Assert.Single(_cafe.Step<HumanTaskStep>("prepareDishes").Flows).To);
        Assert.Equal("orderReady", Assert.Single(_cafe.Step<HumanTaskStep>("prepareDrinks").Flows).To);
        Assert.Equal("serve", Assert.Single(_cafe.Step<ParallelJoinStep>("orderReady").Flows).To);
    }

    [Fact]
    public void Each_dish_carries_its_ingredient_cost()
    {
        var dishes = _cafe.Step<HumanTaskStep>("prepareDishes");

        Assert.Equal(4.50m, dishes.FixedCost);
        Assert.Equal(new MultiInstance("dishes", "dish"), dishes.MultiInstance);
    }

    [Fact]
    public void The_guest_eats_for_twenty_minutes_then_pays_by_card_or_cash()
    {
        Assert.Equal(TimeSpan.FromMinutes(20), _cafe.Step<TimerStep>("guestEats").Wait.After);
        Assert.Equal(["card", "cash"], _cafe.Step<HumanTaskStep>("billAndPayment").Outcomes);
        Assert.Equal(PathKind.Happy, _cafe.Flow("billAndPayment", "askRating", "cash").Path);
    }

    [Fact]
    public void The_rating_is_a_number_from_one_to_five()
    {
        var rating = Assert.Single(_cafe.Step<HumanTaskStep>("askRating").Writes);

        Assert.Equal(new DataField("rating", DataType.Number) { Required = true, Minimum = 1, Maximum = 5 }, rating);
        Assert.Equal("GuestServed", _cafe.Step<EndStep>("guestServed").Outcome);
    }

    [Fact]
    public void Serving_late_tells_the_manager_and_takes_the_free_dessert_path_without_stopping_the_cooking()
    {
        var deadline = Assert.Single(_cafe.Deadlines);

        Assert.Equal(("takeOrder", "serve"), (deadline.From, deadline.Until));
        Assert.Equal(TimeSpan.FromMinutes(25), deadline.Within.After);
        Assert.Collection(
            deadline.Escalations,
            notify =>
            {
                Assert.Equal(EscalationAction.NotifyRole, notify.Action);
                Assert.Equal("manager", notify.Role);
            },
            dessert =>
            {
                Assert.Equal(EscalationAction.TakePath, dessert.Action);
                Assert.Equal("offerFreeDessert", dessert.To);
                Assert.False(dessert.Interrupting);
                Assert.Equal(PathKind.Alternate, dessert.Path);
            });
        var offer = _cafe.Step<HumanTaskStep>("offerFreeDessert");
        Assert.Equal("manager", offer.Role);
        Assert.True(offer.FixedCost > 0);
    }

    [Fact]
    public void Reading_twice_gives_equal_definitions()
    {
        Assert.Equal(_cafe, CafeProcess.Definition);
    }
}
