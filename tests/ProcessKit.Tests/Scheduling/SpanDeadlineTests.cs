using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Messaging;
using ProcessKit.Tasks;
using ProcessKit.Tests.Execution;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Scheduling;

/// <summary>Span deadlines ("25 minutes from the order to serving") and their escalations, on fake time.</summary>
public sealed class SpanDeadlineTests
{
    /// <summary>
    /// A bar tab runs beside the order (outside the span); the order is taken, cooked and served,
    /// and both branches meet before the guest leaves. The span runs from taking the order until
    /// serving, 25 minutes. The escalation path (made only when the escalations ask for it) has
    /// the manager apologize with a dessert and then serve.
    /// </summary>
    private static ProcessDefinition Order(Action<DeadlineHandle, Func<StepHandle>, RoleHandle> escalate)
    {
        var p = ProcessBuilder.Create("order", "Order");
        var waiter = p.Role("waiter", "Waiter");
        var cookRole = p.Role("cook", "Cook");
        var manager = p.Role("manager", "Manager");
        var split = p.ParallelSplit("split", "Guest sits down");
        var tab = p.HumanTask("tab", "Keep the bar tab", waiter);
        var take = p.HumanTask("take", "Take the order", waiter);
        var cook = p.HumanTask("cook", "Cook", cookRole);
        var serve = p.HumanTask("serve", "Serve", waiter);
        var join = p.ParallelJoin("join", "Guest leaves", split);
        split.Branch(tab).Branch(take);
        tab.Then(join);
        take.Then(cook);
        cook.Then(serve);
        serve.Then(join);
        join.Then(p.End("left", "Guest left"));
        HumanTaskHandle? apologize = null;
        StepHandle Apologize()
        {
            apologize ??= p.HumanTask("apologize", "Apologize with a dessert", manager).Then(serve);
            return apologize;
        }

        escalate(p.Deadline("orderToServing", take, TimeSpan.FromMinutes(25)).Until(serve), Apologize, manager);
        return p.Build();
    }

    private static IEnumerable<string?> Escalations(IEnumerable<HistoryEvent> history) =>
        history.Where(static e => e.Type == HistoryEventType.Escalated).Select(static e => e.Detail);

    private static bool Breached(IEnumerable<HistoryEvent> history) =>
        history.Any(static e => e.Type == HistoryEventType.DeadlineBreached && e.Detail == "orderToServing");

    [Fact]
    public async Task A_span_escalation_with_its_own_time_fires_then_counted_from_the_span_start_and_one_without_fires_at_the_deadline()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Order((d, _, manager) => d.OnLateRemind(TimeSpan.FromMinutes(10)).OnLateNotifyRole(manager, message: "Order late")));
        await kit.AdvanceAsync(TimeSpan.FromMinutes(5));
        await kit.CompleteAsync(id, "take");

        await kit.AdvanceAsync(TimeSpan.FromMinutes(5));
        var history = await kit.HistoryAsync(id);
        Assert.Equal(["Remind"], Escalations(history));
        Assert.False(Breached(history));
        var remind = history.Single(static e => e.Type == HistoryEventType.Escalated);
        Assert.Equal("take", remind.StepId);
        Assert.Equal(Epoch + TimeSpan.FromMinutes(10), remind.Time);

        await kit.AdvanceAsync(TimeSpan.FromMinutes(15));
        history = await kit.HistoryAsync(id);
        Assert.True(Breached(history));
        Assert.Equal(["Remind", "NotifyRole"], Escalations(history));
        Assert.Contains(history, static e => e.Type == HistoryEventType.NotificationSent && e.RoleId == "manager" && e.Detail == "Order late");
    }

    [Fact]
    public async Task An_escalation_later_than_the_deadline_still_fires_while_the_span_runs()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Order((d, _, manager) => d.OnLateNotifyRole(manager, TimeSpan.FromMinutes(40))));

        await kit.AdvanceAsync(TimeSpan.FromMinutes(25));
        Assert.True(Breached(await kit.HistoryAsync(id)));
        Assert.Empty(Escalations(await kit.HistoryAsync(id)));

        await kit.AdvanceAsync(TimeSpan.FromMinutes(15));
        Assert.Equal(["NotifyRole"], Escalations(await kit.HistoryAsync(id)));
    }

    [Fact]
    public async Task Pending_span_escalations_do_nothing_once_the_until_step_is_reached()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Order((d, apologize, manager) => d
            .OnLateRemind(TimeSpan.FromMinutes(10))
            .OnLateNotifyRole(manager)
            .OnLateTakePath(apologize(), interrupting: true, at: TimeSpan.FromMinutes(40))));
        await kit.CompleteAsync(id, "take");
        await kit.CompleteAsync(id, "cook");

        await kit.AdvanceAsync(TimeSpan.FromHours(1));

        var history = await kit.HistoryAsync(id);
        Assert.False(Breached(history));
        Assert.Empty(Escalations(history));
        Assert.Equal(["serve", "tab"], (await kit.OpenTasksAsync(id)).Select(static t => t.StepId).Order());
    }

    [Fact]
    public async Task An_interrupting_span_escalation_cancels_the_open_work_inside_the_span_only_and_ends_the_span()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Order((d, apologize, manager) => d
            .OnLateTakePath(apologize(), interrupting: true, at: TimeSpan.FromMinutes(20))
            .OnLateNotifyRole(manager)));
        await kit.CompleteAsync(id, "take");
        var cook = await kit.OpenTaskAsync(id, "cook");
        var tab = await kit.OpenTaskAsync(id, "tab");

        await kit.AdvanceAsync(TimeSpan.FromMinutes(20));

        Assert.Equal(TaskState.Cancelled, (await kit.Engine.GetTaskAsync(cook.TaskId, Ct)).State);
        Assert.Equal(TaskState.Offered, (await kit.Engine.GetTaskAsync(tab.TaskId, Ct)).State);
        Assert.Equal(["apologize", "tab"], (await kit.OpenTasksAsync(id)).Select(static t => t.StepId).Order());
        var history = await kit.HistoryAsync(id);
        Assert.Equal(["TakePath"], Escalations(history));
        Assert.Single(history, static e => e.Type == HistoryEventType.StepCancelled && e.StepId == "cook");
        Assert.DoesNotContain(history, static e => e.Type == HistoryEventType.StepCancelled && e.StepId == "tab");
        Assert.Contains(history, static e => e.Type == HistoryEventType.StepEntered && e.StepId == "apologize" && e.Path == PathKind.Exception);

        await kit.AdvanceAsync(TimeSpan.FromMinutes(10));
        history = await kit.HistoryAsync(id);
        Assert.False(Breached(history));
        Assert.Equal(["TakePath"], Escalations(history));

        await kit.CompleteAsync(id, "apologize");
        await kit.CompleteAsync(id, "serve");
        await kit.CompleteAsync(id, "tab");
        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
    }

    [Fact]
    public async Task A_non_interrupting_span_escalation_takes_its_path_beside_the_late_work()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Order((d, apologize, _) => d.OnLateTakePath(apologize())));
        await kit.CompleteAsync(id, "take");

        await kit.AdvanceAsync(TimeSpan.FromMinutes(24));
        Assert.Equal(["cook", "tab"], (await kit.OpenTasksAsync(id)).Select(static t => t.StepId).Order());
        await kit.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.True(Breached(await kit.HistoryAsync(id)));
        Assert.Equal(["apologize", "cook", "tab"], (await kit.OpenTasksAsync(id)).Select(static t => t.StepId).Order());
        await kit.CompleteAsync(id, "cook");
        Assert.Equal(["apologize", "serve", "tab"], (await kit.OpenTasksAsync(id)).Select(static t => t.StepId).Order());
    }

    [Fact]
    public async Task A_span_reassign_escalation_moves_the_open_tasks_inside_the_span_to_the_role()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Order((d, _, manager) => d.OnLateReassign(manager, TimeSpan.FromMinutes(15))));
        await kit.CompleteAsync(id, "take");

        await kit.AdvanceAsync(TimeSpan.FromMinutes(15));

        Assert.Equal("manager", (await kit.OpenTaskAsync(id, "cook")).Role);
        Assert.Equal("waiter", (await kit.OpenTaskAsync(id, "tab")).Role);
        Assert.Equal(["Reassign"], Escalations(await kit.HistoryAsync(id)));
    }

    [Fact]
    public async Task Every_escalation_due_at_the_deadline_fires_even_beside_an_interrupting_one()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Order((d, apologize, manager) => d
            .OnLateTakePath(apologize(), interrupting: true)
            .OnLateNotifyRole(manager, message: "Order late")));
        await kit.CompleteAsync(id, "take");
        var cook = await kit.OpenTaskAsync(id, "cook");

        await kit.AdvanceAsync(TimeSpan.FromMinutes(25));

        var history = await kit.HistoryAsync(id);
        Assert.True(Breached(history));
        Assert.Equal(["TakePath", "NotifyRole"], Escalations(history));
        Assert.Equal(TaskState.Cancelled, (await kit.Engine.GetTaskAsync(cook.TaskId, Ct)).State);
        Assert.Equal(["apologize", "tab"], (await kit.OpenTasksAsync(id)).Select(static t => t.StepId).Order());
    }

    [Fact]
    public async Task An_interrupting_span_escalation_withdraws_a_message_wait_inside_the_span()
    {
        var p = ProcessBuilder.Create("quote", "Quote");
        p.Supplier("s", "S").Inputs(Field.String("quoteId", required: true));
        var sales = p.Role("sales", "Sales");
        var send = p.Notification("send", "Send the quote", sales).Message("Quote sent");
        var reply = p.WaitMessage("reply", "Wait for the reply", "quote.reply").CorrelatedBy("quoteId");
        var chase = p.HumanTask("chase", "Call the client", sales);
        send.Then(reply);
        reply.Then(p.End("answered", "Answered"));
        chase.Then(p.End("chased", "Chased"));
        p.Deadline("replyInTime", send, TimeSpan.FromDays(3)).OnLateTakePath(chase, interrupting: true);
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(p.Build(), new Dictionary<string, object?> { ["quoteId"] = "Q-1" });
        Assert.Equal(["reply"], (await kit.InstanceAsync(id)).ActiveSteps);

        await kit.AdvanceAsync(TimeSpan.FromDays(3));

        Assert.Equal(["chase"], (await kit.InstanceAsync(id)).ActiveSteps);
        Assert.Contains(await kit.HistoryAsync(id), static e => e.Type == HistoryEventType.StepCancelled && e.StepId == "reply");
        Assert.Equal(MessageOutcome.Buffered, await kit.Engine.PublishMessageAsync(new ProcessMessage("quote.reply") { CorrelationKey = "Q-1" }, Ct));
    }
}
