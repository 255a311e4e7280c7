using ProcessKit.Definitions;

namespace ProcessKit.Tests.Definitions.Builder;

public sealed class EscalationAndAllocationTests
{
    [Fact]
    public void A_task_escalates_with_each_action()
    {
        var (p, clerk, done) = BuilderTestKit.Start();
        var boss = p.Role("boss", "Boss");
        var fallback = p.HumanTask("fallback", "Fallback", boss).Then(done);
        p.HumanTask("work", "Work", clerk)
            .Deadline(TimeSpan.FromHours(2))
            .OnLateRemind(TimeSpan.FromHours(1), "Half the time is gone.")
            .OnLateNotifyRole(boss)
            .OnLateReassign(boss, TimeSpan.FromHours(3))
            .OnLateTakePath(fallback, interrupting: true, PathKind.Alternate, DueTime.AtExpression("giveUpAt"), "given up")
            .Then(done);

        Assert.Equal(
            [
                new Escalation(EscalationAction.Remind) { At = TimeSpan.FromHours(1), Message = "Half the time is gone." },
                new Escalation(EscalationAction.NotifyRole) { Role = "boss" },
                new Escalation(EscalationAction.Reassign) { Role = "boss", At = TimeSpan.FromHours(3) },
                new Escalation(EscalationAction.TakePath)
                {
                    To = "fallback",
                    Interrupting = true,
                    Path = PathKind.Alternate,
                    At = DueTime.AtExpression("giveUpAt"),
                    Message = "given up",
                },
            ],
            p.BuildUnchecked().Step<HumanTaskStep>("work").Escalations);
    }

    [Fact]
    public void Taking_a_path_by_default_does_not_interrupt_and_is_an_exception_path()
    {
        var (p, clerk, done) = BuilderTestKit.Start();
        p.HumanTask("work", "Work", clerk).Deadline(TimeSpan.FromHours(1)).OnLateTakePath(done).Then(done);

        var escalation = Assert.Single(p.BuildUnchecked().Step<HumanTaskStep>("work").Escalations);

        Assert.Equal(new Escalation(EscalationAction.TakePath) { To = "done" }, escalation);
        Assert.False(escalation.Interrupting);
        Assert.Equal(PathKind.Exception, escalation.Path);
    }

    [Fact]
    public void A_deadline_spans_two_steps_and_escalates_with_each_action()
    {
        var (p, clerk, done) = BuilderTestKit.Start();
        var boss = p.Role("boss", "Boss");
        var order = p.HumanTask("order", "Order", clerk);
        var serve = p.HumanTask("serve", "Serve", clerk).Then(done);
        var apology = p.HumanTask("apology", "Apologise", boss).Then(done);
        order.Then(serve);

        p.Deadline("orderToServing", order, TimeSpan.FromMinutes(25))
            .Until(serve)
            .GoalTime(TimeSpan.FromMinutes(20))
            .OnLateRemind()
            .OnLateNotifyRole(boss, message: "Late.")
            .OnLateReassign(boss)
            .OnLateTakePath(apology, path: PathKind.Alternate);

        var expected = new DeadlineDefinition("orderToServing", "order", TimeSpan.FromMinutes(25))
        {
            Until = "serve",
            GoalTime = TimeSpan.FromMinutes(20),
            Escalations =
            [
                new Escalation(EscalationAction.Remind),
                new Escalation(EscalationAction.NotifyRole) { Role = "boss", Message = "Late." },
                new Escalation(EscalationAction.Reassign) { Role = "boss" },
                new Escalation(EscalationAction.TakePath) { To = "apology", Path = PathKind.Alternate },
            ],
        };
        Assert.Equal([expected], p.BuildUnchecked().Deadlines);
    }

    [Fact]
    public void A_deadline_without_Until_runs_to_the_end_of_the_instance_and_may_be_due_at_an_expression()
    {
        var (p, _, done) = BuilderTestKit.Start();
        p.Deadline("whole", done, DueTime.AtExpression("promisedDate"));

        var deadline = Assert.Single(p.BuildUnchecked().Deadlines);

        Assert.Null(deadline.Until);
        Assert.Equal("promisedDate", deadline.Within.At?.Text);
    }

    [Fact]
    public void A_task_is_offered_to_its_role_unless_told_otherwise()
    {
        var (p, clerk, _) = BuilderTestKit.Start();
        p.HumanTask("work", "Work", clerk);

        Assert.Equal(new Allocation(), p.BuildUnchecked().Step<HumanTaskStep>("work").Allocation);
    }

    [Theory]
    [InlineData(AllocationStrategy.RoundRobin)]
    [InlineData(AllocationStrategy.ShortestQueue)]
    [InlineData(AllocationStrategy.Expression)]
    public void Each_allocation_strategy_reaches_the_model(AllocationStrategy strategy)
    {
        var (p, clerk, _) = BuilderTestKit.Start();
        var task = p.HumanTask("work", "Work", clerk);
        _ = strategy switch
        {
            AllocationStrategy.RoundRobin => task.AllocateRoundRobin(),
            AllocationStrategy.ShortestQueue => task.AllocateShortestQueue(),
            _ => task.AllocateTo("assigneeId"),
        };

        var allocation = p.BuildUnchecked().Step<HumanTaskStep>("work").Allocation;

        Assert.Equal(strategy, allocation.Strategy);
        Assert.Equal(strategy == AllocationStrategy.Expression ? "assigneeId" : null, allocation.Assignee?.Text);
    }

    [Fact]
    public void The_last_allocation_strategy_wins_and_drops_an_earlier_assignee()
    {
        var (p, clerk, _) = BuilderTestKit.Start();
        p.HumanTask("work", "Work", clerk).AllocateTo("ownerId").AllocateRoundRobin();

        Assert.Equal(
            new Allocation { Strategy = AllocationStrategy.RoundRobin },
            p.BuildUnchecked().Step<HumanTaskStep>("work").Allocation);
    }

    [Fact]
    public void Separation_of_duties_and_retain_familiar_name_steps_by_handle()
    {
        var (p, clerk, _) = BuilderTestKit.Start();
        var request = p.HumanTask("request", "Request", clerk);
        var check = p.HumanTask("check", "Check", clerk);
        var follow = p.HumanTask("follow", "Follow up", clerk).RetainFamiliar(request);
        p.HumanTask("approve", "Approve", clerk).SeparateFrom(request).SeparateFrom(check, follow);

        var definition = p.BuildUnchecked();

        Assert.Equal("request", definition.Step<HumanTaskStep>("follow").Allocation.RetainFamiliar);
        Assert.Equal(["request", "check", "follow"], definition.Step<HumanTaskStep>("approve").Allocation.SeparateFrom);
    }
}
