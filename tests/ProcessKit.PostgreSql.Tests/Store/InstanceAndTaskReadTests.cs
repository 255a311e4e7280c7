using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.PostgreSql.Tests.Server;
using ProcessKit.Tasks;

namespace ProcessKit.PostgreSql.Tests.Store;

/// <summary>A task command's read of its instance and its task, in one round trip.</summary>
public sealed class InstanceAndTaskReadTests(PostgresServer server)
{
    private static readonly ProcessUser Clerk = new("clerk-1", ["clerk"]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_instance_and_its_task_are_read_as_committed_and_a_missing_task_or_instance_reads_as_null()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await using var store = await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString }, Ct);
        var engine = new ProcessEngine(new ProcessEngineOptions { Store = store });
        await engine.DeployAsync(TwoTasks(), Ct);
        var id = await engine.StartAsync("two.tasks", cancellationToken: Ct);
        var first = Assert.Single(await engine.QueryTasksAsync(new TaskQuery { Instance = id }, Ct));
        await engine.ClaimTaskAsync(first.TaskId, Clerk, Ct);
        IProcessStore contract = store;

        var (instance, task) = await contract.FindInstanceAndTaskAsync(id, first.TaskId, engine, Ct);
        var (_, missingTask) = await contract.FindInstanceAndTaskAsync(id, first.TaskId + 1_000_000, engine, Ct);
        var (missingInstance, noTask) = await contract.FindInstanceAndTaskAsync(new InstanceId(id.Value + 1_000_000), first.TaskId, engine, Ct);

        Assert.NotNull(instance);
        Assert.Equal((await contract.FindInstanceAsync(id, engine, false, Ct))!.Version, instance.Version);
        Assert.Equal(first.TaskId, task!.TaskId);
        Assert.Equal(id, task.Instance);
        Assert.Equal(TaskState.Claimed, task.State);
        Assert.Equal("clerk-1", task.ClaimedBy);
        Assert.Null(missingTask);
        Assert.Null(missingInstance);
        Assert.Null(noTask);
    }

    [Fact]
    public async Task Completing_tasks_one_after_the_other_through_the_engine_runs_the_instance_to_its_end()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await using var store = await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString }, Ct);
        var engine = new ProcessEngine(new ProcessEngineOptions { Store = store });
        await engine.DeployAsync(TwoTasks(), Ct);
        var id = await engine.StartAsync("two.tasks", cancellationToken: Ct);

        for (var i = 0; i < 2; i++)
        {
            var open = Assert.Single(await engine.QueryTasksAsync(new TaskQuery { Instance = id, State = TaskState.Offered }, Ct));
            await engine.CompleteTaskAsync(open.TaskId, Clerk, cancellationToken: Ct);
            var closed = await engine.GetTaskAsync(open.TaskId, Ct);
            Assert.Equal(TaskState.Completed, closed.State);
            await Assert.ThrowsAsync<InvalidCommandException>(async () => await engine.CompleteTaskAsync(open.TaskId, Clerk, cancellationToken: Ct));
        }

        Assert.Equal(InstanceState.Completed, (await engine.GetInstanceAsync(id, Ct)).State);
    }

    private static ProcessDefinition TwoTasks()
    {
        var p = ProcessBuilder.Create("two.tasks", "Two tasks").Version(1);
        var clerk = p.Role("clerk", "Clerk");
        var first = p.HumanTask("t1", "First", clerk);
        var second = p.HumanTask("t2", "Second", clerk);
        first.Then(second);
        second.Then(p.End("done", "Done"));
        return p.Build();
    }
}
