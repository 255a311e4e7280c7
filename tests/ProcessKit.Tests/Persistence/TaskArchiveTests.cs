using FsCheck;
using FsCheck.Xunit;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.Tasks;
using ProcessKit.Tests.Execution;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Persistence;

/// <summary>The in-memory store packs closed tasks into bytes: what it reads back is the task it was given.</summary>
public sealed class TaskArchiveTests
{
    private static readonly string[] Outcomes = ["approve", "reject"];

    private static HumanTaskInfo Closed(long id, int offsetHours, bool claimed, bool due, string? assignee, object? item) => new()
    {
        TaskId = id,
        Instance = new InstanceId(id * 7),
        ProcessId = "review",
        ProcessVersion = 3,
        StepId = "look",
        StepName = "Look at it",
        StepInstance = (int)(id % 5) + 1,
        Role = "clerk",
        State = id % 2 == 0 ? TaskState.Completed : TaskState.Cancelled,
        AssignedTo = assignee,
        ClaimedBy = claimed ? "bob" : null,
        CreatedAt = new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.FromHours(offsetHours)),
        ClaimedAt = claimed ? new DateTimeOffset(2026, 11, 28, 9, 5, 0, TimeSpan.Zero) : null,
        DueAt = due ? new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.FromMinutes(-150)) : null,
        ClosedAt = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(offsetHours)),
        Outcome = id % 2 == 0 ? "approve" : null,
        Outcomes = Outcomes,
        Item = item,
        Node = 4,
    };

    [Property(MaxTest = 200)]
    public void A_packed_closed_task_reads_back_equal_with_its_times_and_offsets(PositiveInt id, bool claimed, bool due, bool assigned, int offset, decimal number)
    {
        var archive = new TaskArchive();
        var tasks = new[]
        {
            Closed(id.Get, offset % 14, claimed, due, assigned ? "ann" : null, number),
            Closed(id.Get + 1, 0, !claimed, !due, null, null),
            Closed(id.Get + 2, -(offset % 12), claimed, due, "grüße", "item text"),
        };

        var at = new List<long>();
        foreach (var task in tasks)
        {
            Assert.True(archive.TryAppend(task, out var location));
            at.Add(location);
        }

        for (var i = 0; i < tasks.Length; i++)
        {
            var back = archive.Read(tasks[i].TaskId, at[i]);
            Assert.Equal(tasks[i], back);
            Assert.Equal(tasks[i].CreatedAt.Offset, back.CreatedAt.Offset);
            Assert.Equal(tasks[i].DueAt?.Offset, back.DueAt?.Offset);
            Assert.Same(Outcomes, back.Outcomes);
            Assert.Equal(tasks[i].Node, back.Node);
        }
    }

    [Fact]
    public void A_task_whose_item_is_an_object_is_not_packed()
    {
        var archive = new TaskArchive();

        Assert.False(archive.TryAppend(Closed(1, 0, true, false, null, new Dictionary<string, object?> { ["a"] = 1m }), out _));
        Assert.Equal(0, archive.Bytes);
    }

    [Fact]
    public void Packed_tasks_fill_several_arrays_and_each_reads_back()
    {
        var archive = new TaskArchive();
        var locations = new List<long>();
        for (var id = 1; id <= 20_000; id++)
        {
            Assert.True(archive.TryAppend(Closed(id, 1, true, true, "ann", "item " + id), out var at));
            locations.Add(at);
        }

        Assert.True(archive.Bytes > 1 << 16);
        Assert.Equal("item 12345", archive.Read(12_345, locations[12_344]).Item);
        Assert.Equal(Closed(20_000, 1, true, true, "ann", "item 20000"), archive.Read(20_000, locations[^1]));
    }

    [Fact]
    public async Task Completed_and_cancelled_tasks_read_back_through_the_engine_as_they_closed()
    {
        var p = ProcessBuilder.Create("review", "Review");
        var clerk = p.Role("clerk", "Clerk");
        var review = p.HumanTask("review", "Review", clerk);
        review.On("approve", p.End("approved", "Approved"));
        review.On("reject", p.End("rejected", "Rejected"));
        var kit = new EngineTestKit();
        var first = await kit.DeployAndStartAsync(p.Build());
        var second = await kit.Engine.StartAsync("review", cancellationToken: Ct);
        var ann = User("ann", "clerk");
        var open = await kit.OpenTaskAsync(first, "review");
        await kit.Engine.ClaimTaskAsync(open.TaskId, ann, Ct);
        var claimed = await kit.Engine.GetTaskAsync(open.TaskId, Ct);
        await kit.Engine.CompleteTaskAsync(open.TaskId, ann, "approve", cancellationToken: Ct);
        await kit.Engine.CancelInstanceAsync(second, "no longer needed", Ct);

        var done = await kit.Engine.GetTaskAsync(open.TaskId, Ct);
        var cancelled = Assert.Single(await kit.Engine.QueryTasksAsync(new TaskQuery { Instance = second }, Ct));
        var byRole = await kit.Engine.QueryTasksAsync(new TaskQuery { Role = "clerk" }, Ct);

        Assert.Equal(claimed with { State = TaskState.Completed, Outcome = "approve", ClosedAt = done.ClosedAt }, done);
        Assert.Equal(TaskState.Cancelled, cancelled.State);
        Assert.Equal([done, cancelled], byRole);
        Assert.Empty(await kit.Engine.QueryTasksAsync(new TaskQuery { AvailableTo = ann }, Ct));
        Assert.Equal(0, ((IProcessStore)kit.Store).CountOpenTasks("ann"));
    }
}
