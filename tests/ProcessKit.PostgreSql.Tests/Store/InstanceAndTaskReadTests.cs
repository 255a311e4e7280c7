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

    [Fact]
    public async Task The_instance_read_with_a_task_by_id_serves_the_next_read_of_that_instance_and_task_once()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await using var store = await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString }, Ct);
        var engine = new ProcessEngine(new ProcessEngineOptions { Store = store });
        await engine.DeployAsync(TwoTasks(), Ct);
        var id = await engine.StartAsync("two.tasks", cancellationToken: Ct);
        var open = Assert.Single(await engine.QueryTasksAsync(new TaskQuery { Instance = id }, Ct));
        IProcessStore contract = store;
        var version = (await contract.FindInstanceAsync(id, engine, false, Ct))!.Version;

        var task = await contract.FindTaskAsync(open.TaskId, Ct);
        var (kept, keptTask) = await contract.FindInstanceAndTaskAsync(id, open.TaskId, engine, Ct);
        var (again, againTask) = await contract.FindInstanceAndTaskAsync(id, open.TaskId, engine, Ct);

        Assert.Equal(open.TaskId, task!.TaskId);
        Assert.Equal(version, kept!.Version);
        Assert.Equal(id, kept.Id);
        Assert.Equal(open.TaskId, keptTask!.TaskId);
        Assert.Equal(TaskState.Offered, keptTask.State);
        Assert.NotSame(kept, again); // each read decodes a record of its own: the engine changes the one it gets
        Assert.Equal(version, again!.Version);
        Assert.Equal(open.TaskId, againTask!.TaskId);
    }

    [Fact]
    public async Task An_instance_read_with_a_task_is_not_served_after_a_commit_of_the_store_to_that_instance()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await using var store = await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString }, Ct);
        var engine = new ProcessEngine(new ProcessEngineOptions { Store = store });
        await engine.DeployAsync(TwoBranches(), Ct);
        var id = await engine.StartAsync("two.branches", cancellationToken: Ct);
        var tasks = await engine.QueryTasksAsync(new TaskQuery { Instance = id }, Ct);
        Assert.Equal(2, tasks.Count);
        IProcessStore contract = store;

        var read = await contract.FindTaskAsync(tasks[0].TaskId, Ct); // reads the instance along, at its current version
        await engine.ClaimTaskAsync(tasks[1].TaskId, Clerk, Ct); // a commit to the same instance, through the other task
        var (instance, task) = await contract.FindInstanceAndTaskAsync(id, tasks[0].TaskId, engine, Ct);

        Assert.NotNull(read);
        Assert.Equal((await contract.FindInstanceAsync(id, engine, false, Ct))!.Version, instance!.Version);
        Assert.Equal(tasks[0].TaskId, task!.TaskId);
        await engine.CompleteTaskAsync(tasks[0].TaskId, Clerk, cancellationToken: Ct);
        await engine.CompleteTaskAsync(tasks[1].TaskId, Clerk, cancellationToken: Ct);
        Assert.Equal(InstanceState.Completed, (await engine.GetInstanceAsync(id, Ct)).State);
    }

    private static ProcessDefinition TwoBranches()
    {
        var p = ProcessBuilder.Create("two.branches", "Two branches").Version(1);
        var clerk = p.Role("clerk", "Clerk");
        var split = p.ParallelSplit("split", "Split");
        var left = p.HumanTask("left", "Left", clerk);
        var right = p.HumanTask("right", "Right", clerk);
        var join = p.ParallelJoin("join", "Join", split);
        split.Branch(left).Branch(right);
        left.Then(join);
        right.Then(join);
        join.Then(p.End("done", "Done"));
        return p.Build();
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
