using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Tasks;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Execution;

/// <summary>Control-flow patterns on automated steps and decisions: each runs to its end in one command.</summary>
public sealed class RoutingTests
{
    private static ProcessDefinition FiveSteps()
    {
        var p = ProcessBuilder.Create("five", "Five steps");
        p.Supplier("s", "S").Inputs(Field.Number("amount", required: true));
        var steps = Enumerable.Range(1, 5).Select(i => p.Automated("a" + i, "Step " + i, "count").Writes(Field.Number("count"))).ToArray();
        var done = p.End("done", "Done").Outcome("Done");
        for (var i = 0; i < 4; i++)
        {
            steps[i].Then(steps[i + 1]);
        }

        steps[4].Then(done);
        return p.Build();
    }

    private static void Count(ProcessEngineOptions o) =>
        o.AddHandler("count", static c => c.Set("count", (c.Get("count") as decimal? ?? 0m) + 1));

    [Fact]
    public async Task WCP1_Sequence_runs_every_step_in_order_and_completes()
    {
        var kit = new EngineTestKit(Count);
        var id = await kit.DeployAndStartAsync(FiveSteps(), new Dictionary<string, object?> { ["amount"] = 5 });

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal(5m, instance.Data["count"]);
        Assert.Equal("Done", instance.EndOutcome);
        Assert.Equal(1, instance.Version);
        var history = await kit.HistoryAsync(id);
        Assert.Equal(["a1", "a2", "a3", "a4", "a5", "done"], Steps(history, HistoryEventType.StepEntered));
        Assert.Equal(HistoryEventType.InstanceStarted, history[0].Type);
        Assert.Equal(HistoryEventType.InstanceCompleted, history[^1].Type);
        Assert.Equal("Done", history[^1].Detail);
        Assert.All(history, e => Assert.Equal(Epoch, e.Time));
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Handlers_get_a_stable_idempotency_key_and_the_data()
    {
        var keys = new List<string>();
        var kit = new EngineTestKit(o => o.AddHandler("count", c =>
        {
            keys.Add(c.IdempotencyKey);
            Assert.Equal(5m, c.Data["amount"]);
            Assert.Equal("five", c.ProcessId);
        }));
        var id = await kit.DeployAndStartAsync(FiveSteps(), new Dictionary<string, object?> { ["amount"] = 5 });

        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"{id}/a{i}/{i}"), keys);
    }

    [Fact]
    public async Task A_handler_that_throws_raises_an_incident_and_parks_the_path()
    {
        var kit = new EngineTestKit(o => o.AddHandler("count", static c =>
        {
            c.Set("count", 99);
            if (c.StepId == "a3")
            {
                throw new InvalidOperationException("payment service down");
            }
        }));
        var id = await kit.DeployAndStartAsync(FiveSteps(), new Dictionary<string, object?> { ["amount"] = 5 });

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Running, instance.State);
        Assert.Equal(["a3"], instance.ActiveSteps);
        var history = await kit.HistoryAsync(id);
        Assert.Contains(history, e => e.Type == HistoryEventType.JobFailed && e.StepId == "a3" && e.Detail == "payment service down");
        Assert.Contains(history, e => e.Type == HistoryEventType.IncidentRaised && e.StepId == "a3");
        Assert.DoesNotContain(history, e => e.Type == HistoryEventType.StepCompleted && e.StepId == "a3");
    }

    [Theory]
    [InlineData(500, "big")]
    [InlineData(50, "medium")]
    [InlineData(5, "small")]
    public async Task WCP4_Exclusive_choice_takes_the_first_condition_that_holds_else_the_default(int amount, string expected)
    {
        var p = ProcessBuilder.Create("choice", "Choice");
        p.Supplier("s", "S").Inputs(Field.Number("amount", required: true));
        var decide = p.Decision("decide", "How big?");
        var big = p.End("big", "Big").Outcome("big");
        var medium = p.End("medium", "Medium").Outcome("medium");
        var small = p.End("small", "Small").Outcome("small");
        decide.When("amount > 100", big).When("amount > 10", medium).Otherwise(small, PathKind.Alternate);
        var kit = new EngineTestKit();

        var id = await kit.DeployAndStartAsync(p.Build(), new Dictionary<string, object?> { ["amount"] = amount });

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(expected, instance.EndOutcome);
        var entered = (await kit.HistoryAsync(id)).Single(e => e.Type == HistoryEventType.StepEntered && e.StepId == expected);
        Assert.Equal(expected == "small" ? PathKind.Alternate : PathKind.Happy, entered.Path);
    }

    [Fact]
    public async Task WCP5_Simple_merge_both_routes_reach_the_same_step()
    {
        var p = ProcessBuilder.Create("merge", "Merge");
        p.Supplier("s", "S").Inputs(Field.Boolean("vip", required: true));
        var decide = p.Decision("decide", "VIP?");
        var gold = p.Automated("gold", "Gold", "count").Writes(Field.Number("count"));
        var plain = p.Automated("plain", "Plain", "count").Writes(Field.Number("count"));
        var after = p.Automated("after", "After", "count");
        var done = p.End("done", "Done");
        decide.When("vip", gold).Otherwise(plain);
        gold.Then(after);
        plain.Then(after);
        after.Then(done);
        var kit = new EngineTestKit(Count);
        await kit.Engine.DeployAsync(p.Build(), Ct);

        foreach (var vip in new[] { true, false })
        {
            var id = await kit.Engine.StartAsync("merge", new Dictionary<string, object?> { ["vip"] = vip }, cancellationToken: Ct);
            var history = await kit.HistoryAsync(id);
            Assert.Equal(vip ? ["decide", "gold", "after", "done"] : ["decide", "plain", "after", "done"], Steps(history, HistoryEventType.StepEntered));
            Assert.Equal(2m, (await kit.InstanceAsync(id)).Data["count"]);
        }
    }

    [Fact]
    public async Task WCP2_Parallel_split_starts_every_branch_and_the_join_waits_for_them()
    {
        var p = ProcessBuilder.Create("parallel", "Parallel");
        var clerk = p.Role("clerk", "Clerk");
        var split = p.ParallelSplit("split", "Split");
        var left = p.HumanTask("left", "Left", clerk);
        var right = p.HumanTask("right", "Right", clerk);
        var auto = p.Automated("auto", "Auto", "count").Writes(Field.Number("count"));
        var join = p.ParallelJoin("join", "Join", split);
        var done = p.End("done", "Done");
        split.Branch(left).Branch(right).Branch(auto);
        left.Then(join);
        right.Then(join);
        auto.Then(join);
        join.Then(done);
        var kit = new EngineTestKit(Count);
        var id = await kit.DeployAndStartAsync(p.Build());

        Assert.Equal(2, (await kit.OpenTasksAsync(id)).Count);
        await kit.CompleteAsync(id, "left");
        Assert.Equal(InstanceState.Running, (await kit.InstanceAsync(id)).State);
        Assert.DoesNotContain("join", Steps(await kit.HistoryAsync(id), HistoryEventType.StepCompleted));
        await kit.CompleteAsync(id, "right");

        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
        var history = await kit.HistoryAsync(id);
        Assert.Single(Steps(history, HistoryEventType.StepEntered), s => s == "join");
        Assert.Single(Steps(history, HistoryEventType.StepCompleted), s => s == "join");
    }

    [Fact]
    public async Task WCP10_Arbitrary_cycle_repeats_until_the_condition_lets_go()
    {
        var p = ProcessBuilder.Create("loop", "Loop");
        var work = p.Automated("work", "Work", "count").Writes(Field.Number("count"));
        var again = p.Decision("again", "Again?");
        var done = p.End("done", "Done");
        work.Then(again);
        again.When("count < 3", work, PathKind.Rework).Otherwise(done);
        var kit = new EngineTestKit(Count);
        var id = await kit.DeployAndStartAsync(p.Build());

        var history = await kit.HistoryAsync(id);
        var runs = history.Where(e => e.Type == HistoryEventType.StepEntered && e.StepId == "work").ToList();
        Assert.Equal(3, runs.Count);
        Assert.Equal([PathKind.Happy, PathKind.Rework, PathKind.Rework], runs.Select(e => e.Path));
        Assert.Equal(3, runs.Select(e => e.StepInstance).Distinct().Count());
        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
    }

    [Fact]
    public async Task An_automated_loop_that_never_waits_stops_at_the_step_budget_with_an_incident()
    {
        var p = ProcessBuilder.Create("spin", "Spin");
        var work = p.Automated("work", "Work", "count").Writes(Field.Number("count"));
        var again = p.Decision("again", "Again?");
        var done = p.End("done", "Done");
        work.Then(again);
        again.When("count < 1000000", work, PathKind.Rework).Otherwise(done);
        var kit = new EngineTestKit(o =>
        {
            Count(o);
            o.StepBudget = 100;
        });

        var id = await kit.DeployAndStartAsync(p.Build());

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Failed, instance.State);
        var history = await kit.HistoryAsync(id);
        Assert.Contains(history, e => e.Type == HistoryEventType.IncidentRaised && e.Detail!.Contains("step budget", StringComparison.Ordinal));
        Assert.Equal(HistoryEventType.InstanceFailed, history[^1].Type);
        Assert.True(history.Count(e => e.Type == HistoryEventType.StepEntered) <= 100);
    }

    [Fact]
    public async Task WCP11_Implicit_termination_ends_when_no_path_is_left()
    {
        var p = ProcessBuilder.Create("implicit", "Implicit");
        var clerk = p.Role("clerk", "Clerk");
        var split = p.ParallelSplit("split", "Split");
        var a = p.HumanTask("a", "A", clerk);
        var b = p.HumanTask("b", "B", clerk);
        var join = p.ParallelJoin("join", "Join", split);
        var endA = p.End("endA", "End A").Outcome("first");
        split.Branch(a).Branch(b);
        a.Then(join);
        b.Then(join);
        join.Then(endA);
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(p.Build());
        await kit.CompleteAsync(id, "a");
        Assert.Equal(["b"], (await kit.InstanceAsync(id)).ActiveSteps);
        await kit.CompleteAsync(id, "b");

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Empty(instance.ActiveSteps);
        Assert.Equal(Epoch, instance.EndedAt);
    }

    [Fact]
    public async Task A_terminating_end_cancels_every_other_path()
    {
        var p = ProcessBuilder.Create("terminate", "Terminate");
        var clerk = p.Role("clerk", "Clerk");
        var split = p.ParallelSplit("split", "Split");
        var slow = p.HumanTask("slow", "Slow", clerk);
        var check = p.HumanTask("check", "Check", clerk);
        var join = p.ParallelJoin("join", "Join", split);
        var kill = p.End("kill", "Kill").Outcome("Stopped").Terminate();
        var done = p.End("done", "Done");
        split.Branch(slow).Branch(check);
        slow.Then(join);
        check.On("ok", join).On("abort", kill, PathKind.Exception);
        join.Then(done);
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(p.Build());

        await kit.CompleteAsync(id, "check", "abort");

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal("Stopped", instance.EndOutcome);
        Assert.Empty(await kit.OpenTasksAsync(id));
        Assert.Equal(TaskState.Cancelled, (await kit.Engine.QueryTasksAsync(new TaskQuery { Instance = id }, Ct)).Single(t => t.StepId == "slow").State);
        Assert.Contains("slow", Steps(await kit.HistoryAsync(id), HistoryEventType.StepCancelled));
    }

    [Fact]
    public async Task WCP6_Multi_choice_inclusive_split_starts_the_branches_whose_condition_holds_and_the_merge_waits_for_those_only()
    {
        var p = ProcessBuilder.Create("inclusive", "Inclusive");
        p.Supplier("s", "S").Inputs(Field.Boolean("food"), Field.Boolean("drinks"));
        var clerk = p.Role("clerk", "Clerk");
        var split = p.InclusiveSplit("split", "What to prepare");
        var food = p.HumanTask("food", "Food", clerk);
        var drinks = p.HumanTask("drinks", "Drinks", clerk);
        var nothing = p.HumanTask("nothing", "Nothing", clerk);
        var merge = p.InclusiveMerge("merge", "Ready", split);
        var done = p.End("done", "Done");
        split.When("food", food).When("drinks", drinks).Otherwise(nothing);
        food.Then(merge);
        drinks.Then(merge);
        nothing.Then(merge);
        merge.Then(done);
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(p.Build(), Ct);

        var both = await kit.Engine.StartAsync("inclusive", new Dictionary<string, object?> { ["food"] = true, ["drinks"] = true }, cancellationToken: Ct);
        Assert.Equal(["drinks", "food"], (await kit.OpenTasksAsync(both)).Select(t => t.StepId).Order());
        await kit.CompleteAsync(both, "food");
        Assert.Equal(InstanceState.Running, (await kit.InstanceAsync(both)).State);
        await kit.CompleteAsync(both, "drinks");
        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(both)).State);

        var one = await kit.Engine.StartAsync("inclusive", new Dictionary<string, object?> { ["drinks"] = true }, cancellationToken: Ct);
        await kit.CompleteAsync(one, "drinks");
        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(one)).State);

        var none = await kit.Engine.StartAsync("inclusive", cancellationToken: Ct);
        await kit.CompleteAsync(none, "nothing");
        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(none)).State);
    }

    [Fact]
    public async Task WCP20_Cancel_case_cancels_every_waiting_step_and_refuses_a_second_cancel()
    {
        var p = ProcessBuilder.Create("cancel", "Cancel");
        var clerk = p.Role("clerk", "Clerk");
        var task = p.HumanTask("task", "Task", clerk);
        var done = p.End("done", "Done");
        task.Then(done);
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(p.Build());

        await kit.Engine.CancelInstanceAsync(id, "client withdrew", Ct);

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Cancelled, instance.State);
        Assert.Empty(await kit.OpenTasksAsync(id));
        var history = await kit.HistoryAsync(id);
        Assert.Equal(HistoryEventType.InstanceCancelled, history[^1].Type);
        Assert.Equal("client withdrew", history[^1].Detail);
        var error = await Assert.ThrowsAsync<InvalidCommandException>(() => kit.Engine.CancelInstanceAsync(id, null, Ct).AsTask());
        Assert.Equal(ProcessErrorCodes.InstanceEnded, error.ErrorCode);
        Assert.Equal(instance.Version, (await kit.InstanceAsync(id)).Version);
    }
}
