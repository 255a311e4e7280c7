using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Execution;

/// <summary>The synchronizing patterns on their own: a join that waits for every branch, a merge that waits for the started ones.</summary>
public sealed class SynchronizationTests
{
    private static void Count(ProcessEngineOptions o) =>
        o.AddHandler("count", static c => c.Set("count", (c.Get("count") as decimal? ?? 0m) + 1));

    [Fact]
    public async Task WCP3_Synchronization_the_join_goes_on_once_and_only_after_the_last_branch_arrives()
    {
        var p = ProcessBuilder.Create("sync", "Synchronization");
        var clerk = p.Role("clerk", "Clerk");
        var split = p.ParallelSplit("split", "Split");
        var branches = new[] { "a", "b", "c" }.Select(id => p.HumanTask(id, "Branch " + id, clerk)).ToArray();
        var join = p.ParallelJoin("join", "Join", split);
        var after = p.Automated("after", "After the join", "count").Writes(Field.Number("count"));
        var done = p.End("done", "Done");
        foreach (var branch in branches)
        {
            split.Branch(branch);
            branch.Then(join);
        }

        join.Then(after);
        after.Then(done);
        var kit = new EngineTestKit(Count);
        var id = await kit.DeployAndStartAsync(p.Build());

        await kit.CompleteAsync(id, "c");
        await kit.CompleteAsync(id, "a");
        Assert.Null((await kit.InstanceAsync(id)).Data.GetValueOrDefault("count"));
        Assert.DoesNotContain("join", Steps(await kit.HistoryAsync(id), HistoryEventType.StepCompleted));
        await kit.CompleteAsync(id, "b");

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal(1m, instance.Data["count"]);
        var history = await kit.HistoryAsync(id);
        Assert.Single(Steps(history, HistoryEventType.StepCompleted), s => s == "join");
        var joined = history.Single(e => e.Type == HistoryEventType.StepCompleted && e.StepId == "join").Sequence;
        Assert.All(history.Where(e => e.Type == HistoryEventType.StepCompleted && e.StepId is "a" or "b" or "c"), e => Assert.True(e.Sequence < joined));
    }

    [Fact]
    public async Task A_join_that_can_no_longer_get_all_its_arrivals_raises_an_incident_instead_of_ending_the_instance_past_it()
    {
        // The second branch is a decision whose two flows both lead into the join: only one of them carries a token,
        // so the join gets two of its three arrivals. The instance must not end silently without running "after".
        var p = ProcessBuilder.Create("stuck", "Stuck join");
        p.Supplier("s", "S").Inputs(Field.Boolean("check"));
        var clerk = p.Role("clerk", "Clerk");
        var split = p.ParallelSplit("split", "Split");
        var a = p.HumanTask("a", "Branch a", clerk);
        var decide = p.Decision("decide", "Check?");
        var b = p.HumanTask("b", "Check it", clerk);
        var join = p.ParallelJoin("join", "Join", split);
        var after = p.Automated("after", "After the join", "count").Writes(Field.Number("count"));
        var done = p.End("done", "Done");
        split.Branch(a).Branch(decide);
        decide.When("check", b).Otherwise(join);
        a.Then(join);
        b.Then(join);
        join.Then(after);
        after.Then(done);
        var kit = new EngineTestKit(Count);
        var id = await kit.DeployAndStartAsync(p.Build(), new Dictionary<string, object?> { ["check"] = false });

        await kit.CompleteAsync(id, "a");

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Running, instance.State);
        Assert.Null(instance.Data.GetValueOrDefault("count"));
        var incident = Assert.Single(await kit.Engine.GetIncidentsAsync(id, TestContext.Current.CancellationToken));
        Assert.Equal("join", incident.StepId);
        Assert.Contains("2 of the 3 arrivals", incident.Message, StringComparison.Ordinal);

        await kit.Engine.ResolveIncidentAsync(id, incident.StepInstance, TestContext.Current.CancellationToken);

        instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal(1m, instance.Data["count"]);
        Assert.Single(Steps(await kit.HistoryAsync(id), HistoryEventType.StepCompleted), s => s == "join");
    }

    [Fact]
    public async Task WCP7_Structured_synchronizing_merge_waits_only_for_the_branches_the_split_started_and_goes_on_once()
    {
        var p = ProcessBuilder.Create("merge", "Synchronizing merge");
        p.Supplier("s", "S").Inputs(Field.Boolean("food"), Field.Boolean("drinks"), Field.Boolean("music"));
        var clerk = p.Role("clerk", "Clerk");
        var split = p.InclusiveSplit("split", "What to prepare");
        var food = p.HumanTask("food", "Food", clerk);
        var drinks = p.HumanTask("drinks", "Drinks", clerk);
        var music = p.HumanTask("music", "Music", clerk);
        var merge = p.InclusiveMerge("merge", "Ready", split);
        var after = p.Automated("after", "Open the doors", "count").Writes(Field.Number("count"));
        var done = p.End("done", "Done");
        split.When("food", food).When("drinks", drinks).When("music", music).Otherwise(merge);
        food.Then(merge);
        drinks.Then(merge);
        music.Then(merge);
        merge.Then(after);
        after.Then(done);
        var kit = new EngineTestKit(Count);
        var id = await kit.DeployAndStartAsync(p.Build(), new Dictionary<string, object?> { ["food"] = true, ["drinks"] = false, ["music"] = true });

        Assert.Equal(["food", "music"], (await kit.OpenTasksAsync(id)).Select(static t => t.StepId).Order());
        await kit.CompleteAsync(id, "music");
        Assert.Equal(InstanceState.Running, (await kit.InstanceAsync(id)).State);
        Assert.Null((await kit.InstanceAsync(id)).Data.GetValueOrDefault("count"));
        await kit.CompleteAsync(id, "food");

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal(1m, instance.Data["count"]);
        var history = await kit.HistoryAsync(id);
        Assert.DoesNotContain("drinks", Steps(history, HistoryEventType.StepEntered));
        Assert.Single(Steps(history, HistoryEventType.StepCompleted), s => s == "merge");
    }
}
