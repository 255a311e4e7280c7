using ProcessKit.Tasks;

namespace ProcessKit.PostgreSql.Rows;

/// <summary>
/// The instance row read together with a task by id, kept for the command that reads that instance and task next: a
/// command on a task (complete, claim, release, delegate) reads the task to learn its instance, then, under the
/// instance's lock, the instance and the task again; with the row kept, the second read needs no round trip.
/// </summary>
/// <remarks>
/// <para>
/// A kept row is handed out once, and only while no commit of this store to its instance ended after the read was sent
/// (commits are tracked per stripe of instance ids, so a commit to another instance of the stripe also discards it). A
/// row made stale by another node's commit is still caught where it matters: the command's commit checks the version
/// it read and is refused, and the engine reads the instance again (the kept row is gone by then).
/// </para>
/// <para>At most <see cref="Slots"/> rows are kept (by task id); a newer read replaces an older one. Thread-safe.</para>
/// </remarks>
internal sealed class InstancePrefetch
{
    /// <summary>How many rows are kept at most, and how many stripes of instance ids commits are tracked in (a power of two).</summary>
    public const int Slots = 64;

    private readonly Entry?[] _entries = new Entry?[Slots];
    private readonly long[] _changed = new long[Slots];
    private long _sequence;

    /// <summary>Taken before a read is sent; given to <see cref="Keep"/> with its result.</summary>
    public long Mark() => Volatile.Read(ref _sequence);

    /// <summary>Keeps the instance row read with <paramref name="task"/>, read after <paramref name="mark"/> was taken.</summary>
    public void Keep(HumanTaskInfo task, InstanceRow row, long mark)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(row);
        Volatile.Write(ref _entries[Slot(task.TaskId)], new Entry(task, row, mark));
    }

    /// <summary>
    /// Takes the row kept for <paramref name="taskId"/> of <paramref name="instanceId"/>, with the task as read with it;
    /// false when none is kept, or when a commit to the instance ended since it was read.
    /// </summary>
    public bool TryTake(long instanceId, long taskId, out InstanceRow? row, out HumanTaskInfo? task)
    {
        row = null;
        task = null;
        ref var slot = ref _entries[Slot(taskId)];
        var entry = Volatile.Read(ref slot);
        if (entry is null || entry.Task.TaskId != taskId || entry.Task.Instance.Value != instanceId
            || !ReferenceEquals(Interlocked.CompareExchange(ref slot, null, entry), entry))
        {
            return false;
        }

        if (Volatile.Read(ref _changed[Slot(instanceId)]) > entry.Mark)
            return false;
        row = entry.Row;
        task = entry.Task;
        return true;
    }

    /// <summary>A commit to <paramref name="instanceId"/> ended (durable, refused or failed): rows read before are not handed out.</summary>
    public void Changed(long instanceId)
    {
        AtomicLong.RaiseTo(ref _changed[Slot(instanceId)], Interlocked.Increment(ref _sequence));
    }

    private static int Slot(long id) => (int)(id & (Slots - 1));

    private sealed record Entry(HumanTaskInfo Task, InstanceRow Row, long Mark);
}
