using ProcessKit.Definitions;

namespace ProcessKit.Tests.Definitions.Builder;

public sealed class StepKindTests
{
    [Fact]
    public void HumanTask_with_every_setting_produces_the_model_record()
    {
        var (p, clerk, done) = BuilderTestKit.Start();
        var boss = p.Role("boss", "Boss");
        var review = p.HumanTask("review", "Review", clerk);
        p.HumanTask("approve", "Approve", boss)
            .Description("Approves the request.")
            .WorkTime(TimeSpan.FromMinutes(10))
            .FixedCost(2.5m)
            .Reads("amount", "requester")
            .Writes(Field.Boolean("approved", required: true), Field.String("comment"))
            .GoalTime(TimeSpan.FromHours(1))
            .Deadline(TimeSpan.FromHours(4))
            .OnLateRemind()
            .AllocateShortestQueue()
            .SeparateFrom(review)
            .RetainFamiliar(review)
            .ForEach("requests", "request", MultiInstanceMode.Sequential, requiredCompletions: 2)
            .On("approved", done)
            .On("rejected", review, PathKind.Rework);

        var expected = new HumanTaskStep("approve", "Approve")
        {
            Description = "Approves the request.",
            Role = "boss",
            WorkTime = TimeSpan.FromMinutes(10),
            FixedCost = 2.5m,
            Flows =
            [
                new FlowDefinition("done") { Outcome = "approved" },
                new FlowDefinition("review") { Outcome = "rejected", Path = PathKind.Rework },
            ],
            Outcomes = ["approved", "rejected"],
            Reads = ["amount", "requester"],
            Writes = [new DataField("approved", DataType.Boolean) { Required = true }, new DataField("comment", DataType.String)],
            GoalTime = TimeSpan.FromHours(1),
            Deadline = DueTime.In(TimeSpan.FromHours(4)),
            Escalations = [new Escalation(EscalationAction.Remind)],
            Allocation = new Allocation { Strategy = AllocationStrategy.ShortestQueue, SeparateFrom = ["review"], RetainFamiliar = "review" },
            MultiInstance = new MultiInstance("requests", "request") { Mode = MultiInstanceMode.Sequential, RequiredCompletions = 2 },
        };
        Assert.Equal(expected, p.BuildUnchecked().Step<HumanTaskStep>("approve"));
    }

    [Fact]
    public void HumanTask_with_nothing_but_its_role_has_the_model_defaults()
    {
        var (p, clerk, _) = BuilderTestKit.Start();
        p.HumanTask("work", "Work", clerk);

        Assert.Equal(new HumanTaskStep("work", "Work") { Role = "clerk" }, p.BuildUnchecked().Step<HumanTaskStep>("work"));
    }

    [Fact]
    public void Automated_with_every_setting_produces_the_model_record()
    {
        var (p, clerk, done) = BuilderTestKit.Start();
        var retry = new RetryPolicy { MaxAttempts = 5, Delay = TimeSpan.FromSeconds(3), BackoffMultiplier = 1.5, MaxDelay = TimeSpan.FromMinutes(2) };
        p.Automated("register", "Register", "crm.register")
            .Role(clerk)
            .Asynchronous()
            .Retry(retry)
            .Timeout(TimeSpan.FromSeconds(30))
            .Reads("email")
            .Writes(Field.String("leadId", required: true))
            .ForEach("contacts", "contact")
            .Then(done);

        var expected = new AutomatedStep("register", "Register", "crm.register")
        {
            Role = "clerk",
            Flows = [new FlowDefinition("done")],
            Asynchronous = true,
            Retry = retry,
            Timeout = TimeSpan.FromSeconds(30),
            Reads = ["email"],
            Writes = [new DataField("leadId", DataType.String) { Required = true }],
            MultiInstance = new MultiInstance("contacts", "contact"),
        };
        Assert.Equal(expected, p.BuildUnchecked().Step<AutomatedStep>("register"));
    }

    [Fact]
    public void Decision_produces_conditional_flows_and_one_default()
    {
        var (p, clerk, done) = BuilderTestKit.Start();
        var big = p.HumanTask("big", "Big", clerk);
        p.Decision("size", "Big order?").Role(clerk).When("amount > 100", big, label: "big").Otherwise(done);

        var expected = new DecisionStep("size", "Big order?")
        {
            Role = "clerk",
            Flows = [new FlowDefinition("big") { When = "amount > 100", Label = "big" }, new FlowDefinition("done") { IsDefault = true }],
        };
        Assert.Equal(expected, p.BuildUnchecked().Step<DecisionStep>("size"));
    }

    [Fact]
    public void ParallelSplit_and_ParallelJoin_produce_the_model_records()
    {
        var (p, clerk, done) = BuilderTestKit.Start();
        var split = p.ParallelSplit("split", "Split");
        var a = p.HumanTask("a", "A", clerk);
        var b = p.HumanTask("b", "B", clerk);
        var join = p.ParallelJoin("join", "Join", split).Then(done);
        split.Branch(a).Branch(b, label: "second");
        a.Then(join);
        b.Then(join);

        var definition = p.BuildUnchecked();
        Assert.Equal(
            new ParallelSplitStep("split", "Split") { Flows = [new FlowDefinition("a"), new FlowDefinition("b") { Label = "second" }] },
            definition.Step<ParallelSplitStep>("split"));
        Assert.Equal(
            new ParallelJoinStep("join", "Join", "split") { Flows = [new FlowDefinition("done")] },
            definition.Step<ParallelJoinStep>("join"));
    }

    [Fact]
    public void InclusiveSplit_and_InclusiveMerge_produce_the_model_records()
    {
        var (p, clerk, done) = BuilderTestKit.Start();
        var split = p.InclusiveSplit("extras", "Extras");
        var wrap = p.HumanTask("wrap", "Gift wrap", clerk);
        var card = p.HumanTask("card", "Write a card", clerk);
        var merge = p.InclusiveMerge("extrasDone", "Extras done", split).Then(done);
        split.When("giftWrap", wrap).When("withCard", card).Otherwise(merge, label: "no extras");
        wrap.Then(merge);
        card.Then(merge);

        var definition = p.BuildUnchecked();
        Assert.Equal(
            new InclusiveSplitStep("extras", "Extras")
            {
                Flows =
                [
                    new FlowDefinition("wrap") { When = "giftWrap" },
                    new FlowDefinition("card") { When = "withCard" },
                    new FlowDefinition("extrasDone") { IsDefault = true, Label = "no extras" },
                ],
            },
            definition.Step<InclusiveSplitStep>("extras"));
        Assert.Equal(
            new InclusiveMergeStep("extrasDone", "Extras done", "extras") { Flows = [new FlowDefinition("done")] },
            definition.Step<InclusiveMergeStep>("extrasDone"));
    }

    [Fact]
    public void EventChoice_leads_to_a_message_a_timer_and_a_task()
    {
        var (p, clerk, done) = BuilderTestKit.Start();
        var choice = p.EventChoice("firstEvent", "First event");
        var reply = p.WaitMessage("reply", "Reply", "client.replied").Then(done);
        var timer = p.Timer("later", "Later", TimeSpan.FromDays(1)).Then(done);
        var call = p.HumanTask("call", "Call", clerk).Then(done);
        choice.WaitFor(reply).WaitFor(timer, PathKind.Exception, "a day passed").WaitFor(call);

        Assert.Equal(
            new EventChoiceStep("firstEvent", "First event")
            {
                Flows =
                [
                    new FlowDefinition("reply"),
                    new FlowDefinition("later") { Path = PathKind.Exception, Label = "a day passed" },
                    new FlowDefinition("call"),
                ],
            },
            p.BuildUnchecked().Step<EventChoiceStep>("firstEvent"));
    }

    [Fact]
    public void WaitMessage_with_every_setting_produces_the_model_record()
    {
        var (p, clerk, done) = BuilderTestKit.Start();
        var boss = p.Role("boss", "Boss");
        var lost = p.End("lost", "Lost");
        p.WaitMessage("waitReply", "Wait for the reply", "client.replied")
            .Role(clerk)
            .CorrelatedBy("leadId")
            .Writes(Field.String("reply"))
            .Timeout(TimeSpan.FromDays(2), lost)
            .OnLateRemind(TimeSpan.FromDays(1), "No reply yet.")
            .OnLateNotifyRole(boss, DueTime.AtExpression("followUpAt"))
            .Then(done);

        var expected = new WaitMessageStep("waitReply", "Wait for the reply", "client.replied")
        {
            Role = "clerk",
            Flows = [new FlowDefinition("done")],
            Correlation = "leadId",
            Writes = [new DataField("reply", DataType.String)],
            Timeout = new MessageTimeout(TimeSpan.FromDays(2), "lost"),
            Escalations =
            [
                new Escalation(EscalationAction.Remind) { At = TimeSpan.FromDays(1), Message = "No reply yet." },
                new Escalation(EscalationAction.NotifyRole) { Role = "boss", At = DueTime.AtExpression("followUpAt") },
            ],
        };
        Assert.Equal(expected, p.BuildUnchecked().Step<WaitMessageStep>("waitReply"));
    }

    [Fact]
    public void Timer_waits_a_span_or_until_an_expression()
    {
        var (p, _, done) = BuilderTestKit.Start();
        p.Timer("eat", "Eat", TimeSpan.FromMinutes(20)).Then(done);
        p.Timer("untilDate", "Until the date", DueTime.AtExpression("requestedDate")).Then(done);

        var definition = p.BuildUnchecked();
        Assert.Equal(
            new TimerStep("eat", "Eat", TimeSpan.FromMinutes(20)) { Flows = [new FlowDefinition("done")] },
            definition.Step<TimerStep>("eat"));
        Assert.Equal("requestedDate", definition.Step<TimerStep>("untilDate").Wait.At?.Text);
    }

    [Fact]
    public void Notification_tells_its_role_a_message()
    {
        var (p, clerk, done) = BuilderTestKit.Start();
        p.Notification("tell", "Tell the clerk", clerk).Message("Something happened.").Then(done);

        Assert.Equal(
            new NotificationStep("tell", "Tell the clerk") { Role = "clerk", Message = "Something happened.", Flows = [new FlowDefinition("done")] },
            p.BuildUnchecked().Step<NotificationStep>("tell"));
    }

    [Fact]
    public void SubProcess_with_every_setting_produces_the_model_record()
    {
        var (p, clerk, done) = BuilderTestKit.Start();
        p.SubProcess("ship", "Ship the order", "logistics.ship")
            .Role(clerk)
            .Version(3)
            .Input("orderId", "dealId")
            .Output("trackingCode", "trackingCode")
            .ForEach("parcels", "parcel", requiredCompletions: 1)
            .Then(done);

        var expected = new SubProcessStep("ship", "Ship the order", "logistics.ship")
        {
            Role = "clerk",
            Flows = [new FlowDefinition("done")],
            Version = 3,
            Inputs = [new DataMapping("orderId", "dealId")],
            Outputs = [new DataMapping("trackingCode", "trackingCode")],
            MultiInstance = new MultiInstance("parcels", "parcel") { RequiredCompletions = 1 },
        };
        Assert.Equal(expected, p.BuildUnchecked().Step<SubProcessStep>("ship"));
    }

    [Fact]
    public void End_with_an_outcome_that_terminates_produces_the_model_record()
    {
        var (p, clerk, _) = BuilderTestKit.Start();
        p.End("cancelled", "Cancelled").Outcome("Cancelled").Terminate().Role(clerk);

        var definition = p.BuildUnchecked();
        Assert.Equal(
            new EndStep("cancelled", "Cancelled") { Outcome = "Cancelled", Terminate = true, Role = "clerk" },
            definition.Step<EndStep>("cancelled"));
        Assert.Equal(new EndStep("done", "Done"), definition.Step<EndStep>("done"));
    }
}
