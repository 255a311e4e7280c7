using FsCheck.Xunit;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Tasks;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Execution;

/// <summary>Multi-instance sub-processes (WCP-14): one child instance per item, sequential or parallel, all or M of N.</summary>
public sealed class MultiInstanceSubProcessTests
{
    /// <summary>The child: a cook tastes one dish and gives it a score (or a handler scores it at once).</summary>
    private static ProcessDefinition Tasting(bool withTask)
    {
        var p = ProcessBuilder.Create("tasting", "Tasting");
        p.Supplier("kitchen", "Kitchen").Inputs(Field.String("dish", required: true));
        p.Client("kitchen", "Kitchen").Outputs(Field.Number("score"));
        var cook = p.Role("cook", "Cook");
        StepHandle first = withTask
            ? p.HumanTask("taste", "Taste the dish", cook).Reads("dish").Writes(Field.Number("score"))
            : p.Automated("score", "Score the dish", "dish.score").Reads("dish").Writes(Field.Number("score"));
        var done = p.End("tasted", "Tasted").Outcome("Tasted");
        switch (first)
        {
            case HumanTaskHandle task:
                task.Then(done);
                break;
            case AutomatedStepHandle automated:
                automated.Then(done);
                break;
        }

        return p.Build();
    }

    /// <summary>The caller: one tasting per dish of the menu, the scores collected.</summary>
    private static ProcessDefinition Menu(MultiInstanceMode mode, int? required = null)
    {
        var p = ProcessBuilder.Create("menu", "Menu check");
        p.Supplier("chef", "Chef").Inputs(Field.List("dishes", required: true));
        p.Client("chef", "Chef").Outputs(Field.List("scores"));
        var check = p.SubProcess("check", "Taste every dish", "tasting")
            .ForEach("dishes", "dish", mode, required)
            .Input("dish", "dish")
            .Output("scores", "score");
        var done = p.End("checked", "Checked");
        check.Then(done);
        return p.Build();
    }

    private static Dictionary<string, object?> Dishes(params string[] dishes) => new() { ["dishes"] = dishes.ToList() };

    private static async Task<EngineTestKit> KitAsync(bool withTask)
    {
        var kit = new EngineTestKit(o => o.AddHandler("dish.score", static c => c.Set("score", (decimal)((string)c.Get("dish")!).Length)));
        await kit.Engine.DeployAsync(Tasting(withTask), Ct);
        return kit;
    }

    private static async Task<IReadOnlyList<HumanTaskInfo>> TastingsAsync(EngineTestKit kit)
    {
        var tasks = await kit.Engine.QueryTasksAsync(new TaskQuery { Role = "cook" }, Ct);
        return [.. tasks.Where(static t => t.IsOpen)];
    }

    private static async Task<string?> DishOfAsync(EngineTestKit kit, HumanTaskInfo task) =>
        (string?)(await kit.InstanceAsync(task.Instance)).Data["dish"];

    private static Task ScoreAsync(EngineTestKit kit, HumanTaskInfo task, decimal score) =>
        kit.Engine.CompleteTaskAsync(task.TaskId, User("carl", "cook"), data: new Dictionary<string, object?> { ["score"] = score }, cancellationToken: Ct).AsTask();

    [Fact]
    public async Task WCP14_Sequential_multi_instance_sub_process_starts_one_child_after_the_other_and_collects_the_outputs()
    {
        var kit = await KitAsync(withTask: true);
        var id = await kit.DeployAndStartAsync(Menu(MultiInstanceMode.Sequential), Dishes("soup", "fish", "cake"));

        var seen = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(InstanceState.Running, (await kit.InstanceAsync(id)).State);
            var task = Assert.Single(await TastingsAsync(kit));
            seen.Add(await DishOfAsync(kit, task));
            await ScoreAsync(kit, task, i + 3);
        }

        Assert.Equal(["soup", "fish", "cake"], seen);
        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal([3m, 4m, 5m], Assert.IsType<IEnumerable<object?>>(instance.Data["scores"], exactMatch: false));
        var history = await kit.HistoryAsync(id);
        Assert.Equal(3, Steps(history, HistoryEventType.StepEntered).Count(s => s == "check"));
        Assert.Equal(3, history.Count(e => e.Type == HistoryEventType.StepCompleted && e.StepId == "check" && e.Detail == "Tasted"));
    }

    [Fact]
    public async Task WCP14_Parallel_multi_instance_sub_process_starts_every_child_at_once_and_waits_for_all()
    {
        var kit = await KitAsync(withTask: true);
        var id = await kit.DeployAndStartAsync(Menu(MultiInstanceMode.Parallel), Dishes("soup", "fish", "cake"));

        var tasks = await TastingsAsync(kit);
        Assert.Equal(3, tasks.Count);
        Assert.Equal(3, tasks.Select(static t => t.Instance).Distinct().Count());
        await ScoreAsync(kit, tasks[2], 5);
        await ScoreAsync(kit, tasks[0], 3);
        Assert.Equal(InstanceState.Running, (await kit.InstanceAsync(id)).State);
        Assert.Equal(["check"], (await kit.InstanceAsync(id)).ActiveSteps);
        await ScoreAsync(kit, tasks[1], 4);

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal([5m, 3m, 4m], Assert.IsType<IEnumerable<object?>>(instance.Data["scores"], exactMatch: false));
    }

    [Fact]
    public async Task WCP14_M_of_N_multi_instance_sub_process_goes_on_after_M_children_and_cancels_the_others()
    {
        var kit = await KitAsync(withTask: true);
        var id = await kit.DeployAndStartAsync(Menu(MultiInstanceMode.Parallel, required: 2), Dishes("soup", "fish", "cake"));
        var tasks = await TastingsAsync(kit);
        Assert.Equal(3, tasks.Count);

        await ScoreAsync(kit, tasks[0], 3);
        Assert.Equal(InstanceState.Running, (await kit.InstanceAsync(id)).State);
        await ScoreAsync(kit, tasks[1], 4);

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal([3m, 4m], Assert.IsType<IEnumerable<object?>>(instance.Data["scores"], exactMatch: false));
        Assert.Equal(InstanceState.Cancelled, (await kit.InstanceAsync(tasks[2].Instance)).State);
        Assert.Equal(TaskState.Cancelled, (await kit.Engine.GetTaskAsync(tasks[2].TaskId, Ct)).State);
        Assert.Single(await kit.HistoryAsync(id), e => e.Type == HistoryEventType.StepCancelled && e.StepId == "check");
    }

    [Fact]
    public async Task WCP14_Sequential_M_of_N_sub_process_stops_starting_children_after_M()
    {
        var kit = await KitAsync(withTask: true);
        var id = await kit.DeployAndStartAsync(Menu(MultiInstanceMode.Sequential, required: 2), Dishes("soup", "fish", "cake"));

        await ScoreAsync(kit, Assert.Single(await TastingsAsync(kit)), 3);
        await ScoreAsync(kit, Assert.Single(await TastingsAsync(kit)), 4);

        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
        Assert.Empty(await TastingsAsync(kit));
        Assert.Equal(2, (await kit.Engine.QueryTasksAsync(new TaskQuery { Role = "cook" }, Ct)).Count);
    }

    [Fact]
    public async Task An_empty_list_completes_a_multi_instance_sub_process_at_once_without_children()
    {
        var kit = await KitAsync(withTask: true);
        var id = await kit.DeployAndStartAsync(Menu(MultiInstanceMode.Parallel), Dishes());

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Empty(Assert.IsType<IEnumerable<object?>>(instance.Data["scores"], exactMatch: false));
        Assert.Empty(await kit.Engine.QueryTasksAsync(new TaskQuery { Role = "cook" }, Ct));
        Assert.Single(await kit.HistoryAsync(id), e => e.Type == HistoryEventType.StepCompleted && e.StepId == "check");
    }

    [Theory]
    [InlineData(MultiInstanceMode.Sequential)]
    [InlineData(MultiInstanceMode.Parallel)]
    public async Task Children_that_end_at_once_complete_the_step_in_the_same_command(MultiInstanceMode mode)
    {
        var kit = await KitAsync(withTask: false);
        var id = await kit.DeployAndStartAsync(Menu(mode), Dishes("soup", "fish", "cake"));

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal(1, instance.Version);
        Assert.Equal([4m, 4m, 4m], Assert.IsType<IEnumerable<object?>>(instance.Data["scores"], exactMatch: false));
        Assert.Equal(3, Steps(await kit.HistoryAsync(id), HistoryEventType.StepCompleted).Count(s => s == "check"));
    }

    [Fact]
    public async Task A_child_that_is_cancelled_raises_an_incident_on_the_step_and_stops_the_other_children()
    {
        var kit = await KitAsync(withTask: true);
        var id = await kit.DeployAndStartAsync(Menu(MultiInstanceMode.Parallel), Dishes("soup", "fish", "cake"));
        var tasks = await TastingsAsync(kit);

        await kit.Engine.CancelInstanceAsync(tasks[1].Instance, "dish withdrawn", Ct);

        var incident = Assert.Single(await kit.Engine.GetIncidentsAsync(id, Ct));
        Assert.Equal("check", incident.StepId);
        Assert.Contains("cancelled", incident.Message, StringComparison.Ordinal);
        Assert.Equal(InstanceState.Running, (await kit.InstanceAsync(id)).State);
        Assert.Empty(await TastingsAsync(kit));
        foreach (var task in tasks)
        {
            Assert.Equal(InstanceState.Cancelled, (await kit.InstanceAsync(task.Instance)).State);
        }

        await kit.Engine.ResolveIncidentAsync(id, incident.StepInstance, Ct);
        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
    }

    [Fact]
    public async Task Retrying_the_incident_of_a_failed_child_runs_the_whole_step_again()
    {
        var kit = await KitAsync(withTask: true);
        var id = await kit.DeployAndStartAsync(Menu(MultiInstanceMode.Sequential), Dishes("soup", "fish"));
        var first = Assert.Single(await TastingsAsync(kit));
        await kit.Engine.CancelInstanceAsync(first.Instance, cancellationToken: Ct);
        var incident = Assert.Single(await kit.Engine.GetIncidentsAsync(id, Ct));

        await kit.Engine.RetryIncidentAsync(id, incident.StepInstance, Ct);

        var again = Assert.Single(await TastingsAsync(kit));
        Assert.Equal("soup", await DishOfAsync(kit, again));
        Assert.NotEqual(first.Instance, again.Instance);
    }

    [Fact]
    public async Task Cancelling_the_caller_cancels_every_running_child()
    {
        var kit = await KitAsync(withTask: true);
        var id = await kit.DeployAndStartAsync(Menu(MultiInstanceMode.Parallel), Dishes("soup", "fish", "cake"));
        var tasks = await TastingsAsync(kit);
        await ScoreAsync(kit, tasks[0], 3);

        await kit.Engine.CancelInstanceAsync(id, cancellationToken: Ct);

        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(tasks[0].Instance)).State);
        foreach (var task in tasks.Skip(1))
        {
            Assert.Equal(InstanceState.Cancelled, (await kit.InstanceAsync(task.Instance)).State);
            Assert.Equal(TaskState.Cancelled, (await kit.Engine.GetTaskAsync(task.TaskId, Ct)).State);
        }

        Assert.Equal(2, (await kit.HistoryAsync(id)).Count(e => e.Type == HistoryEventType.StepCancelled && e.StepId == "check"));
    }

    [Property(MaxTest = 40)]
    public async Task Any_list_mode_M_and_completion_order_completes_the_step_once_after_M_children_and_collects_their_outputs_in_order(byte size, byte need, bool sequential, int seed)
    {
        var n = size % 6;
        int? m = need % 7 == 0 ? null : need % 7;
        var random = new Random(seed);
        var kit = await KitAsync(withTask: true);
        var mode = sequential ? MultiInstanceMode.Sequential : MultiInstanceMode.Parallel;
        var id = await kit.DeployAndStartAsync(Menu(mode, m), Dishes([.. Enumerable.Range(0, n).Select(static i => "dish" + i)]));

        var given = new List<object?>();
        for (var round = 0; round < 10; round++)
        {
            var open = await TastingsAsync(kit);
            if (open.Count == 0)
            {
                break;
            }

            given.Add((decimal)round);
            await ScoreAsync(kit, open[random.Next(open.Count)], round);
        }

        var completed = n == 0 ? 0 : Math.Clamp(m ?? n, 1, n);
        var started = sequential ? completed : n;
        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal(given, Assert.IsType<IEnumerable<object?>>(instance.Data["scores"], exactMatch: false));
        Assert.Equal(completed, given.Count);
        Assert.Equal(started, (await kit.Engine.QueryTasksAsync(new TaskQuery { Role = "cook" }, Ct)).Count);
        var history = await kit.HistoryAsync(id);
        Assert.Equal(Math.Max(1, completed), Steps(history, HistoryEventType.StepCompleted).Count(static s => s == "check"));
        Assert.Equal(started - completed, Steps(history, HistoryEventType.StepCancelled).Count(static s => s == "check"));
    }
}
