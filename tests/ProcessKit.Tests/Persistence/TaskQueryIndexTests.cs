using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Tasks;
using ProcessKit.Tests.Execution;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Persistence;

/// <summary>The in-memory store answers task queries from its indexes with the same results a full scan gives.</summary>
public sealed class TaskQueryIndexTests
{
    private static ProcessDefinition Review()
    {
        var p = ProcessBuilder.Create("review", "Review");
        var clerk = p.Role("clerk", "Clerk");
        var review = p.HumanTask("review", "Review", clerk);
        review.Then(p.End("done", "Done"));
        return p.Build();
    }

    [Fact]
    public async Task Queries_by_instance_inbox_and_state_see_exactly_the_tasks_they_name_closed_ones_included_where_asked()
    {
        var kit = new EngineTestKit();
        var first = await kit.DeployAndStartAsync(Review());
        var second = await kit.Engine.StartAsync("review", cancellationToken: Ct);
        var third = await kit.Engine.StartAsync("review", cancellationToken: Ct);
        var ann = User("ann", "clerk");
        var done = await kit.OpenTaskAsync(first, "review");
        await kit.Engine.CompleteTaskAsync(done.TaskId, ann, cancellationToken: Ct);
        var claimed = await kit.OpenTaskAsync(second, "review");
        await kit.Engine.ClaimTaskAsync(claimed.TaskId, ann, Ct);

        var ofFirst = await kit.Engine.QueryTasksAsync(new TaskQuery { Instance = first }, Ct);
        var inbox = await kit.Engine.QueryTasksAsync(new TaskQuery { AvailableTo = ann }, Ct);
        var offered = await kit.Engine.QueryTasksAsync(new TaskQuery { State = TaskState.Offered }, Ct);
        var completed = await kit.Engine.QueryTasksAsync(new TaskQuery { State = TaskState.Completed }, Ct);
        var all = await kit.Engine.QueryTasksAsync(new TaskQuery(), Ct);
        var ofNobody = await kit.Engine.QueryTasksAsync(new TaskQuery { Instance = new InstanceId(999_999) }, Ct);

        Assert.Equal(TaskState.Completed, Assert.Single(ofFirst).State);
        Assert.Equal([second, third], inbox.Select(static t => t.Instance));
        Assert.Equal(third, Assert.Single(offered).Instance);
        Assert.Equal(first, Assert.Single(completed).Instance);
        Assert.Equal([first, second, third], all.Select(static t => t.Instance));
        Assert.Empty(ofNobody);
    }
}
