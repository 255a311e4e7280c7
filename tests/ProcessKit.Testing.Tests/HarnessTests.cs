using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Messaging;
using static ProcessKit.Testing.ProcessTestHarness;
using static ProcessKit.Testing.Tests.Samples;

namespace ProcessKit.Testing.Tests;

/// <summary>The harness itself: building, stubs, acting by step id, fake time, messages.</summary>
public sealed class HarnessTests
{
    private static readonly ProcessUser Clara = User("clara", "clerk");
    private static readonly ProcessUser Boris = User("boris", "boss");

    private static async Task<ProcessTestHarness> ReviewHarnessAsync(Action<ProcessTestHarnessOptions>? configure = null)
    {
        var options = new ProcessTestHarnessOptions { Definitions = { Small.Review() } };
        options.AddHandler("enrich", static c => c.Set("score", "A"));
        configure?.Invoke(options);
        return await CreateAsync(options, Ct);
    }

    [Fact]
    public async Task A_definition_with_an_unregistered_handler_is_refused_unless_stubs_are_asked_for()
    {
        var refused = await Assert.ThrowsAsync<InvalidCommandException>(() => CreateAsync(Small.Review(), Ct).AsTask());
        Assert.Equal(ProcessErrorCodes.HandlerNotRegistered, refused.ErrorCode);
        Assert.Equal(["enrich"], refused.Problems);

        var harness = await CreateAsync(new ProcessTestHarnessOptions { Definitions = { Small.Review() }, StubMissingHandlers = true }, Ct);
        Assert.Equal(["enrich"], harness.StubbedHandlers);
        var instance = await harness.StartAsync("review", Small.Case("C-1"), cancellationToken: Ct);
        await instance.CompleteAsync("review", Clara, cancellationToken: Ct);
        await instance.AssertOpenTasksAsync(["approve"], Ct);
        await instance.AssertDataAsync("score", null, Ct);
    }

    [Fact]
    public async Task Registered_handlers_are_not_stubbed_and_run()
    {
        var harness = await ReviewHarnessAsync(o => o.StubMissingHandlers = true);
        Assert.Empty(harness.StubbedHandlers);

        var instance = await harness.StartAsync("review", Small.Case("C-1"), cancellationToken: Ct);
        await instance.CompleteAsync("review", Clara, data: new Dictionary<string, object?> { ["note"] = "fine" }, cancellationToken: Ct);

        await instance.AssertDataAsync("score", "A", Ct);
        await instance.AssertDataAsync("note", "fine", Ct);
    }

    [Fact]
    public void Missing_handlers_are_listed_sorted_and_once()
    {
        var missing = MissingHandlers([Small.Review(), Small.Review(), Samples.SalesOffice], static name => name == "sales.createDeal");

        Assert.Equal(["enrich", "sales.assignDispatcher", "sales.convertLeadToDeal", "sales.registerLead"], missing);
    }

    [Fact]
    public async Task Acting_by_step_id_walks_the_instance_to_its_end()
    {
        var harness = await ReviewHarnessAsync();
        var instance = await harness.StartAsync("review", Small.Case("C-1"), "case-1", Ct);
        await instance.AssertAtAsync("review", Ct);
        await instance.AssertOpenTaskAsync("review", role: "clerk", cancellationToken: Ct);

        await instance.ClaimAsync("review", Clara, Ct);
        await instance.AssertOpenTaskAsync("review", user: "clara", cancellationToken: Ct);
        await harness.AdvanceAsync(TimeSpan.FromMinutes(30), Ct);
        await instance.CompleteAsync("review", Clara, cancellationToken: Ct);
        await instance.CompleteAsync("approve", Boris, "ok", cancellationToken: Ct);

        var snapshot = await instance.AssertCompletedAsync("Approved", Ct);
        Assert.Equal("case-1", snapshot.BusinessKey);
        await instance.AssertActiveStepsAsync([], Ct);
        await instance.AssertOpenTasksAsync([], Ct);
        var completed = await instance.AssertHistoryContainsAsync(HistoryEventType.StepCompleted, "review", Ct);
        Assert.Equal(30m, completed.Cost);
    }

    [Fact]
    public async Task A_user_outside_the_role_is_refused_by_the_engine_and_nothing_changes()
    {
        var harness = await ReviewHarnessAsync();
        var instance = await harness.StartAsync("review", Small.Case("C-1"), cancellationToken: Ct);

        await Assert.ThrowsAsync<ProcessAuthorizationException>(() => instance.CompleteAsync("review", Boris, cancellationToken: Ct).AsTask());

        await instance.AssertOpenTasksAsync(["review"], Ct);
    }

    [Fact]
    public async Task Acting_on_a_step_without_an_open_task_says_where_the_instance_stands()
    {
        var harness = await ReviewHarnessAsync();
        var instance = await harness.StartAsync("review", Small.Case("C-1"), cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<ProcessAssertionException>(() => instance.CompleteAsync("approve", Boris, "ok", cancellationToken: Ct).AsTask());

        Assert.Equal("Expected an open task at step 'approve' for boris, but there is none.", error.Expectation);
        Assert.Contains("Instance 1 of 'review' v1: Running", error.WhereItStands, StringComparison.Ordinal);
        Assert.Contains("waiting at: review", error.Message, StringComparison.Ordinal);
        Assert.Contains("open tasks: review (task 1, role clerk, offered)", error.Message, StringComparison.Ordinal);
        Assert.Contains("data: caseId=\"C-1\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("TaskCreated review", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_failed_assertion_names_what_was_expected_and_what_was_found()
    {
        var harness = await ReviewHarnessAsync();
        var instance = await harness.StartAsync("review", Small.Case("C-1"), cancellationToken: Ct);

        async Task<string?> Fails(Func<Task> assertion) => (await Assert.ThrowsAsync<ProcessAssertionException>(assertion)).Expectation;

        Assert.Equal("Expected the instance to wait at 'approve', but it waits at [review].", await Fails(() => instance.AssertAtAsync("approve", Ct).AsTask()));
        Assert.Equal("Expected the instance to wait at [approve, review], but it waits at [review].", await Fails(() => instance.AssertActiveStepsAsync(["review", "approve"], Ct).AsTask()));
        Assert.Equal("Expected open tasks at nothing, but they are at [review].", await Fails(() => instance.AssertOpenTasksAsync([], Ct).AsTask()));
        Assert.Equal("Expected an open task at 'review' for role 'boss', but there is none.", await Fails(() => instance.AssertOpenTaskAsync("review", "boss", cancellationToken: Ct).AsTask()));
        Assert.Equal("Expected the instance to be Completed, but it is Running.", await Fails(() => instance.AssertStateAsync(InstanceState.Completed, Ct).AsTask()));
        Assert.Equal("Expected the instance to complete with 'Approved', but it is Running.", await Fails(() => instance.AssertCompletedAsync("Approved", Ct).AsTask()));
        Assert.Equal("Expected 'caseId' to be \"C-2\", but it is \"C-1\".", await Fails(() => instance.AssertDataAsync("caseId", "C-2", Ct).AsTask()));
        Assert.Equal("Expected the history to hold a StepCompleted event at 'review', but it does not.", await Fails(() => instance.AssertHistoryContainsAsync(HistoryEventType.StepCompleted, "review", Ct).AsTask()));
        Assert.StartsWith("Expected no TaskCreated event, but found #", await Fails(() => instance.AssertHistoryLacksAsync(HistoryEventType.TaskCreated, cancellationToken: Ct).AsTask()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Numbers_compare_by_value_whatever_their_type()
    {
        var harness = await ReviewHarnessAsync();
        var instance = await harness.StartAsync("review", new Dictionary<string, object?> { ["caseId"] = "C-1", ["amount"] = 12.5 }, cancellationToken: Ct);

        await instance.AssertDataAsync("amount", 12.5m, Ct);
        await instance.AssertDataAsync("amount", 12.5, Ct);
        await Assert.ThrowsAsync<ProcessAssertionException>(() => instance.AssertDataAsync("amount", 12, Ct).AsTask());
    }

    [Fact]
    public async Task Advancing_fires_each_timer_at_its_own_due_time()
    {
        var harness = await CreateAsync(Small.Payment(), Ct);
        var start = harness.Now;
        var instance = await harness.StartAsync("payment", Small.Case("C-9"), cancellationToken: Ct);
        await instance.AssertAtAsync("cool", Ct);

        var fired = await harness.AdvanceAsync(TimeSpan.FromDays(5), Ct);

        Assert.Equal(3, fired);
        Assert.Equal(start.AddDays(5), harness.Now);
        await instance.AssertCompletedAsync("Unpaid", Ct);
        var history = await instance.GetHistoryAsync(Ct);
        Assert.Equal(start.AddMinutes(30), history.Single(e => e.Type == HistoryEventType.TimerFired).Time);
        Assert.Equal(start.AddMinutes(30).AddDays(1), history.Single(e => e.Type == HistoryEventType.Escalated).Time);
        Assert.Equal(start.AddMinutes(30).AddDays(2), history.Single(e => e.Type == HistoryEventType.DeadlineBreached).Time);
    }

    [Fact]
    public async Task Advancing_by_zero_fires_what_is_due_now_and_negative_time_is_refused()
    {
        var harness = await CreateAsync(Small.Payment(), Ct);
        await harness.StartAsync("payment", Small.Case("C-9"), cancellationToken: Ct);

        Assert.Equal(0, await harness.AdvanceAsync(TimeSpan.Zero, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => harness.AdvanceAsync(TimeSpan.FromSeconds(-1), Ct).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => harness.AdvanceToAsync(harness.Now.AddTicks(-1), Ct).AsTask());
    }

    [Fact]
    public async Task A_message_to_an_instance_finds_its_correlation_key_in_the_instance_data()
    {
        var harness = await CreateAsync(Small.Payment(), Ct);
        var a = await harness.StartAsync("payment", Small.Case("A"), cancellationToken: Ct);
        var b = await harness.StartAsync("payment", Small.Case("B"), cancellationToken: Ct);
        await harness.AdvanceAsync(TimeSpan.FromMinutes(30), Ct);

        Assert.Equal(MessageOutcome.Delivered, await b.PublishAsync("paid", payload: new Dictionary<string, object?> { ["paidAmount"] = 20 }, cancellationToken: Ct));

        await b.AssertCompletedAsync("Paid", Ct);
        await b.AssertDataAsync("paidAmount", 20, Ct);
        await a.AssertAtAsync("waitPaid", Ct);
        Assert.Equal(MessageOutcome.Delivered, await harness.PublishAsync(new ProcessMessage("paid") { CorrelationKey = "A" }, Ct));
        await a.AssertCompletedAsync("Paid", Ct);
    }

    [Fact]
    public async Task A_message_nobody_waits_for_yet_is_buffered_and_consumed_when_the_wait_begins()
    {
        var harness = await CreateAsync(Small.Payment(), Ct);
        var instance = await harness.StartAsync("payment", Small.Case("A"), cancellationToken: Ct);

        Assert.Equal(MessageOutcome.Buffered, await instance.PublishAsync("paid", "A", cancellationToken: Ct));
        await harness.AdvanceAsync(TimeSpan.FromMinutes(30), Ct);

        await instance.AssertCompletedAsync("Paid", Ct);
    }

    [Fact]
    public async Task Starting_by_message_returns_the_instances_it_started()
    {
        var options = new ProcessTestHarnessOptions { Definitions = { Samples.SalesOffice }, StubMissingHandlers = true };
        var harness = await CreateAsync(options, Ct);
        var earlier = await harness.StartAsync("sales.lead-to-deal", new Dictionary<string, object?> { ["contactName"] = "Bo", ["channel"] = "email" }, cancellationToken: Ct);

        var started = await harness.StartByMessageAsync(
            new ProcessMessage("contact.received") { Payload = new Dictionary<string, object?> { ["contactName"] = "Ann", ["channel"] = "call" } }, Ct);

        var lead = Assert.Single(started);
        Assert.NotEqual(earlier.Id, lead.Id);
        await lead.AssertDataAsync("contactName", "Ann", Ct);
        await Assert.ThrowsAsync<ProcessAssertionException>(() => harness.StartByMessageAsync(new ProcessMessage("nobody.listens"), Ct).AsTask());
    }

    [Fact]
    public async Task The_engine_settings_can_be_changed_but_the_clock_stays_the_harness_clock()
    {
        var options = new ProcessTestHarnessOptions
        {
            Definitions = { Small.Payment() },
            StartTime = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero),
            ConfigureEngine = static o =>
            {
                o.TimeProvider = TimeProvider.System;
                o.MessageTimeToLive = TimeSpan.FromMinutes(10);
            },
        };

        var harness = await CreateAsync(options, Ct);

        Assert.Same(harness.Clock, harness.Engine.TimeProvider);
        Assert.Equal(options.StartTime, harness.Now);
        Assert.Equal(MessageOutcome.Buffered, await harness.PublishAsync(new ProcessMessage("paid") { CorrelationKey = "A" }, Ct));
        await harness.AdvanceAsync(TimeSpan.FromMinutes(11), Ct);
        var instance = await harness.StartAsync("payment", Small.Case("A"), cancellationToken: Ct);
        await harness.AdvanceAsync(TimeSpan.FromMinutes(30), Ct);
        await instance.AssertAtAsync("waitPaid", Ct);
    }

    private static ProcessDefinition TaskBesideTimer()
    {
        var p = ProcessBuilder.Create("beside", "Beside");
        var clerk = p.Role("clerk", "Clerk");
        var split = p.ParallelSplit("split", "Split");
        var work = p.HumanTask("work", "Work", clerk);
        var wait = p.Timer("wait", "Wait", TimeSpan.FromMinutes(1));
        var join = p.ParallelJoin("join", "Join", split);
        var done = p.End("done", "Done");
        split.Branch(work).Branch(wait);
        work.Then(join);
        wait.Then(join);
        join.Then(done);
        return p.Build();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task What_is_due_runs_after_each_action_unless_turned_off(bool runDueWork)
    {
        var harness = await CreateAsync(new ProcessTestHarnessOptions { Definitions = { TaskBesideTimer() }, RunDueWorkAfterActions = runDueWork }, Ct);
        var instance = await harness.StartAsync("beside", cancellationToken: Ct);
        harness.Clock.Advance(TimeSpan.FromMinutes(1));

        await instance.CompleteAsync("work", Clara, cancellationToken: Ct);

        await instance.AssertStateAsync(runDueWork ? InstanceState.Completed : InstanceState.Running, Ct);
        Assert.Equal(runDueWork ? 0 : 1, await harness.AdvanceAsync(TimeSpan.Zero, Ct));
        await instance.AssertCompletedAsync(null, Ct);
    }

    [Fact]
    public void A_handler_name_is_registered_once()
    {
        var options = new ProcessTestHarnessOptions().AddHandler("x", static _ => { });

        Assert.True(options.HasHandler("x"));
        Assert.Throws<ArgumentException>(() => options.AddHandler("x", static _ => ValueTask.CompletedTask));
    }

    [Fact]
    public async Task Release_and_delegate_act_on_the_task_of_the_step()
    {
        var harness = await ReviewHarnessAsync();
        var instance = await harness.StartAsync("review", Small.Case("C-1"), cancellationToken: Ct);

        await instance.ClaimAsync("review", Clara, Ct);
        await instance.ReleaseAsync("review", Clara, Ct);
        await instance.AssertOpenTaskAsync("review", role: "clerk", cancellationToken: Ct);
        await instance.DelegateAsync("review", Clara, "dora", Ct);
        await instance.AssertOpenTaskAsync("review", user: "dora", cancellationToken: Ct);
        await instance.CompleteAsync("review", User("dora"), cancellationToken: Ct);

        await instance.AssertOpenTasksAsync(["approve"], Ct);
        await instance.AssertHistoryContainsAsync(e => e.Type == HistoryEventType.TaskDelegated && e.Detail == "dora", "a delegation to dora", Ct);
    }

    [Fact]
    public async Task Cancelling_an_instance_closes_its_tasks()
    {
        var harness = await ReviewHarnessAsync();
        var instance = await harness.StartAsync("review", Small.Case("C-1"), cancellationToken: Ct);

        await instance.CancelAsync("duplicate case", Ct);

        await instance.AssertStateAsync(InstanceState.Cancelled, Ct);
        await instance.AssertOpenTasksAsync([], Ct);
    }
}
