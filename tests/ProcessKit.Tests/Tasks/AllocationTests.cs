using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Tasks;
using ProcessKit.Tests.Execution;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Tasks;

/// <summary>Resource patterns: direct and deferred allocation, retain familiar, separation of duties, round robin, shortest queue.</summary>
public sealed class AllocationTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> Members = new()
    {
        ["manager"] = ["mia", "max", "mo"],
        ["head"] = ["hal", "mia"],
    };

    private static EngineTestKit Kit() => new(o => o.RoleMembers = role => Members.GetValueOrDefault(role) ?? []);

    [Fact]
    public async Task Resource_deferred_allocation_assigns_the_user_an_expression_names_at_run_time()
    {
        var p = ProcessBuilder.Create("deferred", "Deferred");
        p.Supplier("s", "S").Inputs(Field.String("ownerId", required: true));
        var clerk = p.Role("clerk", "Clerk");
        var task = p.HumanTask("task", "Task", clerk).AllocateTo("ownerId");
        var done = p.End("done", "Done");
        task.Then(done);
        var kit = Kit();

        var id = await kit.DeployAndStartAsync(p.Build(), new Dictionary<string, object?> { ["ownerId"] = "zoe" });

        var open = await kit.OpenTaskAsync(id, "task");
        Assert.Equal("zoe", open.AssignedTo);
        await Assert.ThrowsAsync<ProcessAuthorizationException>(() => kit.Engine.ClaimTaskAsync(open.TaskId, User("ann", "clerk"), Ct).AsTask());
        Assert.Contains(await kit.HistoryAsync(id), e => e.Type == HistoryEventType.TaskAssigned && e.UserId == "zoe");
    }

    [Fact]
    public async Task Resource_direct_allocation_assigns_the_task_to_the_named_user()
    {
        var p = ProcessBuilder.Create("direct", "Direct");
        var clerk = p.Role("clerk", "Clerk");
        var task = p.HumanTask("task", "Task", clerk).AllocateTo("'zoe'");
        var done = p.End("done", "Done");
        task.Then(done);
        var kit = Kit();
        var id = await kit.DeployAndStartAsync(p.Build());

        var open = await kit.OpenTaskAsync(id, "task");
        Assert.Equal("zoe", open.AssignedTo);
        Assert.Single(await kit.Engine.QueryTasksAsync(new TaskQuery { User = "zoe" }, Ct));
        await kit.Engine.CompleteTaskAsync(open.TaskId, User("zoe", "clerk"), cancellationToken: Ct);
        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
    }

    [Fact]
    public async Task Resource_round_robin_assigns_the_users_of_the_role_in_turn()
    {
        var p = ProcessBuilder.Create("rr", "Round robin");
        var manager = p.Role("manager", "Manager");
        var task = p.HumanTask("qualify", "Qualify", manager).AllocateRoundRobin();
        var done = p.End("done", "Done");
        task.Then(done);
        var kit = Kit();
        await kit.Engine.DeployAsync(p.Build(), Ct);

        var assigned = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            var id = await kit.Engine.StartAsync("rr", cancellationToken: Ct);
            assigned.Add((await kit.OpenTaskAsync(id, "qualify")).AssignedTo);
        }

        Assert.Equal(["mia", "max", "mo", "mia"], assigned);
    }

    [Fact]
    public async Task Resource_shortest_queue_assigns_the_user_with_the_fewest_open_tasks()
    {
        var p = ProcessBuilder.Create("sq", "Shortest queue");
        var manager = p.Role("manager", "Manager");
        var task = p.HumanTask("qualify", "Qualify", manager).AllocateShortestQueue();
        var done = p.End("done", "Done");
        task.Then(done);
        var kit = Kit();
        await kit.Engine.DeployAsync(p.Build(), Ct);

        var first = await kit.Engine.StartAsync("sq", cancellationToken: Ct);
        var second = await kit.Engine.StartAsync("sq", cancellationToken: Ct);
        var third = await kit.Engine.StartAsync("sq", cancellationToken: Ct);
        Assert.Equal("mia", (await kit.OpenTaskAsync(first, "qualify")).AssignedTo);
        Assert.Equal("max", (await kit.OpenTaskAsync(second, "qualify")).AssignedTo);
        Assert.Equal("mo", (await kit.OpenTaskAsync(third, "qualify")).AssignedTo);
        await kit.CompleteAsync(second, "qualify");
        var fourth = await kit.Engine.StartAsync("sq", cancellationToken: Ct);

        Assert.Equal("max", (await kit.OpenTaskAsync(fourth, "qualify")).AssignedTo);
    }

    private static ProcessDefinition Discount()
    {
        var p = ProcessBuilder.Create("discount", "Discount");
        var manager = p.Role("manager", "Manager");
        var head = p.Role("head", "Head of sales");
        var qualify = p.HumanTask("qualify", "Qualify", manager);
        var contact = p.HumanTask("contact", "Contact", manager).RetainFamiliar(qualify);
        var approve = p.HumanTask("approve", "Approve", head).SeparateFrom(qualify);
        var done = p.End("done", "Done");
        qualify.Then(contact);
        contact.Then(approve);
        approve.Then(done);
        return p.Build();
    }

    [Fact]
    public async Task Resource_retain_familiar_gives_the_next_task_to_whoever_did_the_earlier_one()
    {
        var kit = Kit();
        var id = await kit.DeployAndStartAsync(Discount());
        await kit.CompleteAsync(id, "qualify", userId: "mia");

        var contact = await kit.OpenTaskAsync(id, "contact");
        Assert.Equal("mia", contact.AssignedTo);
        await Assert.ThrowsAsync<ProcessAuthorizationException>(() => kit.Engine.ClaimTaskAsync(contact.TaskId, User("max", "manager"), Ct).AsTask());
    }

    [Fact]
    public async Task Resource_separation_of_duties_bars_the_user_who_did_the_named_step()
    {
        var kit = Kit();
        var id = await kit.DeployAndStartAsync(Discount());
        await kit.CompleteAsync(id, "qualify", userId: "mia");
        await kit.CompleteAsync(id, "contact", userId: "mia");
        var approve = await kit.OpenTaskAsync(id, "approve");

        var error = await Assert.ThrowsAsync<ProcessAuthorizationException>(() => kit.Engine.CompleteTaskAsync(approve.TaskId, User("mia", "manager", "head"), cancellationToken: Ct).AsTask());
        Assert.Contains("Separation of duties", error.Message, StringComparison.Ordinal);
        Assert.Equal(TaskState.Offered, (await kit.Engine.GetTaskAsync(approve.TaskId, Ct)).State);

        await kit.Engine.CompleteTaskAsync(approve.TaskId, User("hal", "head"), cancellationToken: Ct);
        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
    }
}
