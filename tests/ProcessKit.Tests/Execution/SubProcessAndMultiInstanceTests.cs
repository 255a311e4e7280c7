using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Tasks;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Execution;

/// <summary>Sub-processes with input and output mapping; multi-instance steps (WCP-14), sequential, parallel, M of N.</summary>
public sealed class SubProcessAndMultiInstanceTests
{
    private static ProcessDefinition Billing(bool withTask)
    {
        var p = ProcessBuilder.Create("billing", "Billing");
        p.Supplier("caller", "Caller").Inputs(Field.Number("amount", required: true));
        p.Client("caller", "Caller").Outputs(Field.Number("total", required: true));
        var clerk = p.Role("clerk", "Clerk");
        var compute = p.Automated("compute", "Compute", "bill.compute").Reads("amount").Writes(Field.Number("total"));
        var done = p.End("billed", "Billed").Outcome("Billed");
        if (withTask)
        {
            var check = p.HumanTask("check", "Check the bill", clerk);
            compute.Then(check);
            check.Then(done);
        }
        else
        {
            compute.Then(done);
        }

        return p.Build();
    }

    private static ProcessDefinition Order()
    {
        var p = ProcessBuilder.Create("order", "Order");
        p.Supplier("guest", "Guest").Inputs(Field.Number("price", required: true));
        var bill = p.SubProcess("bill", "Bill the order", "billing")
            .Input("amount", "price * 2")
            .Output("billTotal", "total + 1");
        var done = p.End("done", "Done");
        bill.Then(done);
        return p.Build();
    }

    private static EngineTestKit Kit() => new(o => o.AddHandler("bill.compute", static c => c.Set("total", (decimal)c.Get("amount")! * 10)));

    [Fact]
    public async Task A_sub_process_that_ends_at_once_maps_its_inputs_and_outputs_in_the_same_command()
    {
        var kit = Kit();
        await kit.Engine.DeployAsync(Billing(withTask: false), Ct);
        var id = await kit.DeployAndStartAsync(Order(), new Dictionary<string, object?> { ["price"] = 3 });

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal(61m, instance.Data["billTotal"]);
        Assert.Equal("Billed", (await kit.HistoryAsync(id)).Single(e => e.Type == HistoryEventType.StepCompleted && e.StepId == "bill").Detail);
    }

    [Fact]
    public async Task A_waiting_sub_process_resumes_its_caller_when_it_ends()
    {
        var kit = Kit();
        await kit.Engine.DeployAsync(Billing(withTask: true), Ct);
        var id = await kit.DeployAndStartAsync(Order(), new Dictionary<string, object?> { ["price"] = 3 });
        Assert.Equal(["bill"], (await kit.InstanceAsync(id)).ActiveSteps);
        var check = Assert.Single(await kit.Engine.QueryTasksAsync(new TaskQuery { Role = "clerk", State = TaskState.Offered }, Ct));
        Assert.NotEqual(id, check.Instance);

        await kit.Engine.CompleteTaskAsync(check.TaskId, User("ann", "clerk"), cancellationToken: Ct);

        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(check.Instance)).State);
        var instance = await kit.InstanceAsync(id);
        Assert.Equal(InstanceState.Completed, instance.State);
        Assert.Equal(61m, instance.Data["billTotal"]);
    }

    [Fact]
    public async Task Cancelling_the_caller_cancels_its_sub_process()
    {
        var kit = Kit();
        await kit.Engine.DeployAsync(Billing(withTask: true), Ct);
        var id = await kit.DeployAndStartAsync(Order(), new Dictionary<string, object?> { ["price"] = 3 });
        var check = Assert.Single(await kit.Engine.QueryTasksAsync(new TaskQuery { Role = "clerk" }, Ct));

        await kit.Engine.CancelInstanceAsync(id, cancellationToken: Ct);

        Assert.Equal(InstanceState.Cancelled, (await kit.InstanceAsync(check.Instance)).State);
        Assert.Equal(TaskState.Cancelled, (await kit.Engine.GetTaskAsync(check.TaskId, Ct)).State);
    }

    private static ProcessDefinition Tasting(MultiInstanceMode mode, int? required)
    {
        var p = ProcessBuilder.Create("tasting", "Tasting");
        p.Supplier("s", "S").Inputs(Field.List("dishes", required: true));
        var cook = p.Role("cook", "Cook");
        var taste = p.HumanTask("taste", "Taste a dish", cook).ForEach("dishes", "dish", mode, required);
        var done = p.End("done", "Done");
        taste.Then(done);
        return p.Build();
    }

    private static readonly Dictionary<string, object?> Dishes = new() { ["dishes"] = new List<string> { "soup", "fish", "cake" } };

    [Fact]
    public async Task WCP14_Sequential_multi_instance_offers_one_item_after_the_other()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Tasting(MultiInstanceMode.Sequential, null), Dishes);

        var seen = new List<object?>();
        for (var i = 0; i < 3; i++)
        {
            var task = Assert.Single(await kit.OpenTasksAsync(id));
            seen.Add(task.Item);
            await kit.Engine.CompleteTaskAsync(task.TaskId, User("carl", "cook"), cancellationToken: Ct);
        }

        Assert.Equal(["soup", "fish", "cake"], seen);
        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
    }

    [Fact]
    public async Task WCP14_Parallel_multi_instance_M_of_N_goes_on_after_M_and_cancels_the_rest()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Tasting(MultiInstanceMode.Parallel, 2), Dishes);
        var tasks = await kit.OpenTasksAsync(id);
        Assert.Equal(3, tasks.Count);

        await kit.Engine.CompleteTaskAsync(tasks[0].TaskId, User("carl", "cook"), cancellationToken: Ct);
        Assert.Equal(InstanceState.Running, (await kit.InstanceAsync(id)).State);
        await kit.Engine.CompleteTaskAsync(tasks[2].TaskId, User("cleo", "cook"), cancellationToken: Ct);

        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
        Assert.Equal(TaskState.Cancelled, (await kit.Engine.GetTaskAsync(tasks[1].TaskId, Ct)).State);
        Assert.Single(await kit.HistoryAsync(id), e => e.Type == HistoryEventType.StepCancelled && e.StepId == "taste");
    }
}
