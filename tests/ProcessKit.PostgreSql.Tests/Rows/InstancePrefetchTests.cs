using ProcessKit.Execution;
using ProcessKit.PostgreSql.Rows;
using ProcessKit.Tasks;

namespace ProcessKit.PostgreSql.Tests.Rows;

/// <summary>The instance rows kept from a task read: handed out once, and never after a commit to their instance ended.</summary>
public sealed class InstancePrefetchTests
{
    [Fact]
    public void A_kept_row_is_handed_out_once_for_its_task_and_instance_only()
    {
        var prefetch = new InstancePrefetch();
        var row = Row(version: 3);
        prefetch.Keep(Task(10, instance: 5), row, prefetch.Mark());

        Assert.False(prefetch.TryTake(instanceId: 6, taskId: 10, out _, out _)); // another instance
        Assert.False(prefetch.TryTake(instanceId: 5, taskId: 11, out _, out _)); // another task
        Assert.True(prefetch.TryTake(instanceId: 5, taskId: 10, out var taken, out var task));
        Assert.Same(row, taken);
        Assert.Equal(10, task!.TaskId);
        Assert.False(prefetch.TryTake(instanceId: 5, taskId: 10, out _, out _)); // once
    }

    [Fact]
    public void A_row_read_before_a_commit_to_its_instance_ended_is_not_handed_out()
    {
        var prefetch = new InstancePrefetch();
        var mark = prefetch.Mark();
        prefetch.Changed(5); // ended while the read was in flight
        prefetch.Keep(Task(10, instance: 5), Row(version: 3), mark);

        Assert.False(prefetch.TryTake(instanceId: 5, taskId: 10, out _, out _));
    }

    [Fact]
    public void A_commit_to_another_instance_of_another_stripe_or_one_ended_before_the_read_leaves_the_row_usable()
    {
        var prefetch = new InstancePrefetch();
        prefetch.Changed(5); // before the read was sent: the read sees it
        var mark = prefetch.Mark();
        prefetch.Changed(6); // another stripe
        prefetch.Keep(Task(10, instance: 5), Row(version: 4), mark);

        Assert.True(prefetch.TryTake(instanceId: 5, taskId: 10, out var row, out _));
        Assert.Equal(4, row!.Version);
    }

    [Fact]
    public void A_newer_read_of_a_slot_replaces_the_older_one()
    {
        var prefetch = new InstancePrefetch();
        prefetch.Keep(Task(10, instance: 5), Row(version: 3), prefetch.Mark());
        prefetch.Keep(Task(10 + InstancePrefetch.Slots, instance: 7), Row(version: 1), prefetch.Mark());

        Assert.False(prefetch.TryTake(instanceId: 5, taskId: 10, out _, out _));
        Assert.True(prefetch.TryTake(instanceId: 7, taskId: 10 + InstancePrefetch.Slots, out _, out _));
    }

    private static InstanceRow Row(long version) => new("p", 1, version, InstanceState.Running, null, 1, 0, [], 0);

    private static HumanTaskInfo Task(long id, long instance) => new()
    {
        TaskId = id,
        Instance = new InstanceId(instance),
        ProcessId = "p",
        ProcessVersion = 1,
        StepId = "t1",
        StepName = "T1",
        StepInstance = 1,
        Role = "clerk",
        State = TaskState.Offered,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Outcomes = [],
    };
}
