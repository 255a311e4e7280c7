using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Messaging;
using ProcessKit.Tasks;
using ProcessKit.Tests.Execution;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Scheduling;

/// <summary>Timers, task deadlines, escalations and event-based choice, on fake time.</summary>
public sealed class TimerAndDeadlineTests
{
    [Fact]
    public async Task A_timer_step_waits_until_due_and_the_engine_tells_when_that_is()
    {
        var p = ProcessBuilder.Create("timer", "Timer");
        var eat = p.Timer("eat", "The guest eats", TimeSpan.FromMinutes(20));
        var done = p.End("done", "Done");
        eat.Then(done);
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(p.Build());
        Assert.Equal(Epoch.AddMinutes(20), kit.Engine.NextDueTime);

        Assert.Equal(0, await kit.AdvanceAsync(TimeSpan.FromMinutes(19)));
        Assert.Equal(InstanceState.Running, (await kit.InstanceAsync(id)).State);
        Assert.Equal(1, await kit.AdvanceAsync(TimeSpan.FromMinutes(1)));

        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
        Assert.Null(kit.Engine.NextDueTime);
        var fired = (await kit.HistoryAsync(id)).Single(e => e.Type == HistoryEventType.TimerFired);
        Assert.Equal(Epoch.AddMinutes(20), fired.Time);
    }

    [Fact]
    public async Task A_cancelled_run_of_due_timers_keeps_them_scheduled()
    {
        var p = ProcessBuilder.Create("timer", "Timer");
        var eat = p.Timer("eat", "The guest eats", TimeSpan.FromMinutes(20));
        var done = p.End("done", "Done");
        eat.Then(done);
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(p.Build());
        kit.Time.Advance(TimeSpan.FromMinutes(20));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => kit.Engine.RunDueAsync(cancelled.Token).AsTask());

        Assert.Equal(Epoch.AddMinutes(20), kit.Engine.NextDueTime);
        Assert.Equal(1, await kit.Engine.RunDueAsync(Ct));
        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
    }

    private static ProcessDefinition Lead(bool interrupting)
    {
        var p = ProcessBuilder.Create("lead", "Lead");
        var op = p.Role("operator", "Operator");
        var head = p.Role("head", "Head of sales");
        var backup = p.Role("backup", "Backup");
        var review = p.HumanTask("review", "Review", op).Deadline(TimeSpan.FromMinutes(15));
        var late = p.HumanTask("callBack", "Call back at once", head);
        var done = p.End("done", "Done");
        var lateDone = p.End("lateDone", "Late done");
        review.OnLateRemind()
            .OnLateNotifyRole(head, message: "No reaction for 15 minutes")
            .OnLateReassign(backup, TimeSpan.FromMinutes(30))
            .OnLateTakePath(late, interrupting, PathKind.Exception, TimeSpan.FromMinutes(45))
            .Then(done);
        late.Then(lateDone);
        return p.Build();
    }

    [Fact]
    public async Task Resource_escalation_a_late_task_reminds_notifies_a_role_is_reassigned_and_takes_a_path_beside_it()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Lead(interrupting: false));

        await kit.AdvanceAsync(TimeSpan.FromMinutes(15));
        var history = await kit.HistoryAsync(id);
        Assert.Contains(history, e => e.Type == HistoryEventType.DeadlineBreached && e.StepId == "review");
        Assert.Contains(history, e => e.Type == HistoryEventType.Escalated && e.Detail == "Remind");
        Assert.Contains(history, e => e.Type == HistoryEventType.NotificationSent && e.RoleId == "head" && e.Detail == "No reaction for 15 minutes");

        await kit.AdvanceAsync(TimeSpan.FromMinutes(15));
        var review = await kit.OpenTaskAsync(id, "review");
        Assert.Equal("backup", review.Role);

        await kit.AdvanceAsync(TimeSpan.FromMinutes(15));
        Assert.Equal(["review", "callBack"], (await kit.OpenTasksAsync(id)).Select(t => t.StepId));
        await kit.CompleteAsync(id, "callBack");
        await kit.CompleteAsync(id, "review");
        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
    }

    [Fact]
    public async Task WCP19_Cancel_task_an_interrupting_escalation_cancels_the_late_task()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Lead(interrupting: true));
        var review = await kit.OpenTaskAsync(id, "review");

        await kit.AdvanceAsync(TimeSpan.FromMinutes(45));

        Assert.Equal(TaskState.Cancelled, (await kit.Engine.GetTaskAsync(review.TaskId, Ct)).State);
        Assert.Equal(["callBack"], (await kit.OpenTasksAsync(id)).Select(t => t.StepId));
        var error = await Assert.ThrowsAsync<InvalidCommandException>(() => kit.Engine.CompleteTaskAsync(review.TaskId, User("ann", "backup"), cancellationToken: Ct).AsTask());
        Assert.Equal(ProcessErrorCodes.TaskClosed, error.ErrorCode);
        Assert.Contains(await kit.HistoryAsync(id), e => e.Type == HistoryEventType.StepCancelled && e.StepId == "review");
    }

    [Fact]
    public async Task Deadlines_of_a_task_completed_in_time_do_nothing()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Lead(interrupting: true));
        await kit.CompleteAsync(id, "review");

        Assert.Equal(0, await kit.AdvanceAsync(TimeSpan.FromHours(1)));
        Assert.DoesNotContain(await kit.HistoryAsync(id), e => e.Type is HistoryEventType.DeadlineBreached or HistoryEventType.Escalated);
    }

    private static ProcessDefinition Rating()
    {
        var p = ProcessBuilder.Create("rating", "Rating");
        p.Supplier("s", "S").Inputs(Field.String("dealId", required: true));
        var manager = p.Role("manager", "Manager");
        var choice = p.EventChoice("choice", "Rating or reminder");
        var wait = p.WaitMessage("waitRating", "Wait for the rating", "rating.received").CorrelatedBy("dealId").Writes(Field.Number("rating"));
        var overdue = p.Timer("overdue", "Three days", TimeSpan.FromDays(3));
        var ask = p.HumanTask("ask", "Ask for a rating", manager).Writes(Field.Number("rating", required: true));
        var done = p.End("done", "Done");
        choice.WaitFor(wait).WaitFor(overdue, PathKind.Alternate);
        wait.Then(done);
        overdue.Then(ask);
        ask.Then(done);
        return p.Build();
    }

    [Fact]
    public async Task WCP16_Deferred_choice_the_message_wins_and_the_timer_is_dropped()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Rating(), new Dictionary<string, object?> { ["dealId"] = "D1" });
        Assert.Equal(["waitRating", "overdue"], (await kit.InstanceAsync(id)).ActiveSteps.Order(StringComparer.Ordinal).Reverse());

        await kit.Engine.PublishMessageAsync(new ProcessMessage("rating.received") { CorrelationKey = "D1", Payload = new Dictionary<string, object?> { ["rating"] = 5 } }, Ct);

        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
        Assert.Equal(0, await kit.AdvanceAsync(TimeSpan.FromDays(3)));
        Assert.Contains("overdue", Steps(await kit.HistoryAsync(id), HistoryEventType.StepCancelled));
    }

    [Fact]
    public async Task WCP16_Deferred_choice_the_timer_wins_and_the_message_wait_is_dropped()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Rating(), new Dictionary<string, object?> { ["dealId"] = "D1" });

        await kit.AdvanceAsync(TimeSpan.FromDays(3));

        Assert.Equal(["ask"], (await kit.InstanceAsync(id)).ActiveSteps);
        Assert.Equal(MessageOutcome.Buffered, await kit.Engine.PublishMessageAsync(new ProcessMessage("rating.received") { CorrelationKey = "D1" }, Ct));
        await kit.CompleteAsync(id, "ask", data: new Dictionary<string, object?> { ["rating"] = 4 });
        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
    }

    [Fact]
    public async Task WCP16_Deferred_choice_between_a_task_and_a_timer_the_task_wins_and_a_notification_goes_out()
    {
        var p = ProcessBuilder.Create("callback", "Call back");
        var op = p.Role("operator", "Operator");
        var head = p.Role("head", "Head");
        var choice = p.EventChoice("choice", "Call or give up");
        var call = p.HumanTask("call", "Call the client", op);
        var giveUp = p.Timer("giveUp", "One hour", TimeSpan.FromHours(1));
        var tell = p.Notification("tell", "Tell the head", head).Message("The client was called back.");
        var done = p.End("done", "Done");
        var lost = p.End("lost", "Lost");
        choice.WaitFor(call).WaitFor(giveUp, PathKind.Alternate);
        call.Then(tell);
        tell.Then(done);
        giveUp.Then(lost);
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(p.Build());

        await kit.CompleteAsync(id, "call");

        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
        var history = await kit.HistoryAsync(id);
        Assert.Contains(history, e => e.Type == HistoryEventType.NotificationSent && e.RoleId == "head" && e.Detail == "The client was called back.");
        Assert.Contains("giveUp", Steps(history, HistoryEventType.StepCancelled));
        Assert.Equal(0, await kit.AdvanceAsync(TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task WCP16_Deferred_choice_between_a_task_and_a_timer_the_timer_wins_and_the_task_is_withdrawn()
    {
        var p = ProcessBuilder.Create("callback", "Call back");
        var op = p.Role("operator", "Operator");
        var choice = p.EventChoice("choice", "Call or give up");
        var call = p.HumanTask("call", "Call the client", op);
        var giveUp = p.Timer("giveUp", "One hour", TimeSpan.FromHours(1));
        var done = p.End("done", "Done");
        var lost = p.End("lost", "Lost").Outcome("GaveUp");
        choice.WaitFor(call).WaitFor(giveUp, PathKind.Alternate);
        call.Then(done);
        giveUp.Then(lost);
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(p.Build());
        var task = await kit.OpenTaskAsync(id, "call");

        await kit.AdvanceAsync(TimeSpan.FromHours(1));

        Assert.Equal("GaveUp", (await kit.InstanceAsync(id)).EndOutcome);
        Assert.Equal(TaskState.Cancelled, (await kit.Engine.GetTaskAsync(task.TaskId, Ct)).State);
    }
}
