using ProcessKit.Definitions;

namespace ProcessKit.Tests.Scenarios;

public sealed class SalesOfficeProcessTests
{
    private readonly ProcessDefinition _sales = SalesOfficeProcess.Definition;

    [Fact]
    public void Builds_with_the_process_settings_of_the_scenario()
    {
        Assert.Equal("sales.lead-to-deal", _sales.Id);
        Assert.Equal(ProcessKind.Core, _sales.Kind);
        Assert.Equal("Sales", _sales.Category);
        Assert.Contains("15 minutes", _sales.Goal, StringComparison.Ordinal);
        Assert.Equal("headOfSales", _sales.OwnerRole);
        Assert.Equal(["client", "company"], _sales.Clients.Select(c => c.Id));
        Assert.Contains(Assert.Single(_sales.Suppliers).Inputs, i => i.Name == "contactName" && i.Required);
        Assert.Equal("rating", _sales.Targets?.SatisfactionField);
        Assert.Equal("registerLead", _sales.GetStartStepId());
        Assert.False(_sales.ContainsLambdas);
    }

    [Fact]
    public void Every_incoming_contact_starts_the_process()
    {
        var trigger = Assert.Single(_sales.Triggers);

        Assert.Equal(TriggerKind.Message, trigger.Kind);
        Assert.Equal("contact.received", trigger.Message);
    }

    [Fact]
    public void Has_the_four_roles_with_an_hourly_cost()
    {
        Assert.Equal(
            [("operator", 250m), ("manager", 500m), ("dispatcher", 350m), ("headOfSales", 900m)],
            _sales.Roles.Select(r => (r.Id, r.HourlyCost)));
    }

    [Fact]
    public void Has_the_steps_of_the_scenario_by_kind()
    {
        var counts = _sales.CountByKind();

        Assert.Equal(7, counts[StepKind.HumanTask]);
        Assert.Equal(4, counts[StepKind.Automated]);
        Assert.Equal(2, counts[StepKind.Decision]);
        Assert.Equal(3, counts[StepKind.WaitMessage]);
        Assert.Equal(1, counts[StepKind.EventChoice]);
        Assert.Equal(1, counts[StepKind.Timer]);
        Assert.Equal(1, counts[StepKind.Notification]);
        Assert.Equal(3, counts[StepKind.End]);
        Assert.Equal(["DealLost", "DealWon", "LeadLost"], _sales.Steps.OfType<EndStep>().Select(e => e.Outcome).Order());
    }

    [Fact]
    public void The_operator_reacts_within_fifteen_minutes_or_the_head_of_sales_is_told()
    {
        var review = _sales.Step<HumanTaskStep>("reviewLead");

        Assert.Equal("operator", review.Role);
        Assert.Equal(TimeSpan.FromMinutes(15), review.Deadline?.After);
        var escalation = Assert.Single(review.Escalations);
        Assert.Equal(EscalationAction.NotifyRole, escalation.Action);
        Assert.Equal("headOfSales", escalation.Role);
        Assert.Null(escalation.At);
    }

    [Fact]
    public void An_existing_client_becomes_a_deal_at_once_and_a_new_one_goes_to_a_manager_in_turn()
    {
        var decision = _sales.Step<DecisionStep>("existingClient");

        Assert.Collection(
            decision.Flows,
            existing => Assert.Equal(("convertToDeal", "clientExists", false), (existing.To, existing.When?.Text, existing.IsDefault)),
            fresh => Assert.Equal(("qualifyLead", null, true), (fresh.To, fresh.When?.Text, fresh.IsDefault)));
        Assert.Equal(AllocationStrategy.RoundRobin, _sales.Step<HumanTaskStep>("qualifyLead").Allocation.Strategy);
    }

    [Fact]
    public void Qualifying_has_three_outcomes_with_their_paths()
    {
        Assert.Equal(["qualified", "notInterested", "dataMissing"], _sales.Step<HumanTaskStep>("qualifyLead").Outcomes);
        Assert.Equal(PathKind.Happy, _sales.Flow("qualifyLead", "createDeal", "qualified").Path);
        Assert.Equal(PathKind.Alternate, _sales.Flow("qualifyLead", "leadLost", "notInterested").Path);
        Assert.Equal(PathKind.Alternate, _sales.Flow("qualifyLead", "contactClient", "dataMissing").Path);
    }

    [Fact]
    public void Missing_data_waits_two_days_for_the_reply_with_a_reminder_after_one_and_loops_back()
    {
        Assert.Equal("qualifyLead", _sales.Step<HumanTaskStep>("contactClient").Allocation.RetainFamiliar);
        var wait = _sales.Step<WaitMessageStep>("waitReply");

        Assert.Equal("client.replied", wait.Message);
        Assert.Equal("leadId", wait.Correlation?.Text);
        Assert.Equal(new MessageTimeout(TimeSpan.FromDays(2), "leadLost"), wait.Timeout);
        var reminder = Assert.Single(wait.Escalations);
        Assert.Equal((EscalationAction.Remind, (TimeSpan?)TimeSpan.FromDays(1)), (reminder.Action, reminder.At?.After));
        Assert.Equal(PathKind.Rework, _sales.Flow("waitReply", "qualifyLead").Path);
    }

    [Fact]
    public void A_dispatcher_is_made_responsible_and_checks_the_date()
    {
        var check = _sales.Step<HumanTaskStep>("checkFeasibility");

        Assert.Equal("dispatcher", check.Role);
        Assert.Equal(AllocationStrategy.Expression, check.Allocation.Strategy);
        Assert.Equal("dispatcherId", check.Allocation.Assignee?.Text);
        Assert.Contains(_sales.Step<AutomatedStep>("assignDispatcher").Writes, w => w.Name == "dispatcherId");
    }

    [Fact]
    public void A_date_that_cannot_be_met_is_renegotiated_by_the_same_manager_or_the_deal_is_lost()
    {
        Assert.Equal(PathKind.Alternate, _sales.Flow("checkFeasibility", "tellManager", "dateNotFeasible").Path);
        Assert.Equal("manager", _sales.Step<NotificationStep>("tellManager").Role);
        var renegotiate = _sales.Step<HumanTaskStep>("renegotiate");
        Assert.Equal("qualifyLead", renegotiate.Allocation.RetainFamiliar);
        Assert.Equal(PathKind.Rework, _sales.Flow("renegotiate", "checkFeasibility", "agreed").Path);
        Assert.Equal(PathKind.Alternate, _sales.Flow("renegotiate", "dealLost", "refused").Path);
    }

    [Fact]
    public void A_discount_above_ten_percent_is_approved_by_the_head_of_sales_not_by_the_manager_who_asked()
    {
        Assert.Equal("discountPercent > 10", _sales.Flow("discountCheck", "approveDiscount").When?.Text);
        var approve = _sales.Step<HumanTaskStep>("approveDiscount");
        Assert.Equal("headOfSales", approve.Role);
        Assert.Equal(["qualifyLead", "renegotiate"], approve.Allocation.SeparateFrom);
    }

    [Fact]
    public void Fulfilment_waits_for_the_delivered_message_of_this_deal()
    {
        var wait = _sales.Step<WaitMessageStep>("waitDelivered");

        Assert.Equal(("delivered", "dealId"), (wait.Message, wait.Correlation?.Text));
    }

    [Fact]
    public void The_rating_arrives_as_a_message_or_is_asked_by_the_manager()
    {
        var choice = _sales.Step<EventChoiceStep>("ratingChoice");

        Assert.Equal(["waitRating", "ratingOverdue"], choice.Flows.Select(f => f.To));
        Assert.Equal(PathKind.Alternate, _sales.Flow("ratingChoice", "ratingOverdue").Path);
        Assert.Equal("rating.received", _sales.Step<WaitMessageStep>("waitRating").Message);
        Assert.Equal("askRating", Assert.Single(_sales.Step<TimerStep>("ratingOverdue").Flows).To);
        Assert.Equal("manager", _sales.Step<HumanTaskStep>("askRating").Role);
        Assert.Equal("dealWon", Assert.Single(_sales.Step<HumanTaskStep>("askRating").Flows).To);
    }

    [Fact]
    public void Building_twice_gives_equal_definitions()
    {
        Assert.Equal(_sales, SalesOfficeProcess.Definition);
    }
}
