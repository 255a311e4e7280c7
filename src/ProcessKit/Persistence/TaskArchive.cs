using System.Runtime.InteropServices;
using ProcessKit.Execution;
using ProcessKit.Tasks;

namespace ProcessKit.Persistence;

/// <summary>
/// Where the in-memory store keeps closed tasks (completed or cancelled): each packed into a few dozen
/// bytes of shared byte arrays instead of a <see cref="HumanTaskInfo"/> object, so that a store of a million
/// ended instances does not keep a million task objects for the collector to trace and promote. Reading one
/// back makes a new <see cref="HumanTaskInfo"/> equal to the one committed.
/// </summary>
/// <remarks>
/// What tasks of one step share (process, version, step, name, role, node and the outcomes list itself,
/// by reference) is kept once as a shape; user ids and outcomes once each in a table of texts. A task whose
/// multi-instance item is not of a kind <see cref="InstanceArchive.IsPackable"/> accepts is not packed
/// (<see cref="TryAppend"/> answers false) and the store keeps its object. Closed tasks do not change, so
/// nothing is released or compacted. Not thread-safe: called under the store's lock.
/// </remarks>
internal sealed class TaskArchive
{
    private const int FirstChunkSize = 1 << 16;
    private const int MaxChunkSize = 1 << 20;

    private const byte HasClaimedAt = 1;
    private const byte HasDueAt = 2;
    private const byte HasClosedAt = 4;
    private const byte HasOffsets = 8;

    private readonly List<byte[]> _chunks = [];
    private readonly List<Shape> _shapes = [];
    private readonly Dictionary<Shape, int> _shapeIndex = new(ShapeComparer.Instance);
    private readonly List<string> _texts = [];
    private readonly Dictionary<string, int> _textIndex = new(StringComparer.Ordinal);
    private byte[] _buffer = new byte[256];
    private byte[] _current = [];
    private int _used;

    /// <summary>How many bytes the packed tasks take.</summary>
    public long Bytes { get; private set; }

    /// <summary>Packs a closed task; false (nothing kept) when its item cannot be packed.</summary>
    /// <param name="task">The task.</param>
    /// <param name="location">Where it is kept, for <see cref="Read"/>.</param>
    public bool TryAppend(HumanTaskInfo task, out long location)
    {
        location = 0;
        if (!InstanceArchive.IsPackable(task.Item))
        {
            return false;
        }

        var created = task.CreatedAt;
        var offsets = created.Offset != TimeSpan.Zero
            || (task.ClaimedAt is { } c && c.Offset != TimeSpan.Zero)
            || (task.DueAt is { } d && d.Offset != TimeSpan.Zero)
            || (task.ClosedAt is { } x && x.Offset != TimeSpan.Zero);
        var w = new InstanceArchive.Writer(_buffer);
        w.Long(task.Instance.Value);
        w.Long(ShapeOf(task));
        w.Long(task.StepInstance);
        w.Byte((byte)task.State);
        w.Long(TextOf(task.AssignedTo));
        w.Long(TextOf(task.ClaimedBy));
        w.Long(TextOf(task.Outcome));
        w.Byte((byte)((task.ClaimedAt is null ? 0 : HasClaimedAt) | (task.DueAt is null ? 0 : HasDueAt) | (task.ClosedAt is null ? 0 : HasClosedAt) | (offsets ? HasOffsets : 0)));
        w.Raw(created.UtcTicks);
        Offset(ref w, created, offsets);
        Time(ref w, task.ClaimedAt, created.UtcTicks, offsets);
        Time(ref w, task.DueAt, created.UtcTicks, offsets);
        Time(ref w, task.ClosedAt, created.UtcTicks, offsets);
        InstanceArchive.WriteValue(ref w, task.Item);
        _buffer = w.Buffer;
        location = Append(w.Written);
        return true;
    }

    /// <summary>Unpacks the task <paramref name="taskId"/> kept at <paramref name="location"/> into a new object.</summary>
    public HumanTaskInfo Read(long taskId, long location)
    {
        var chunk = _chunks[(int)(location >> 32)];
        var r = new InstanceArchive.Reader(chunk, (int)(uint)location);
        var instance = new InstanceId(r.Long());
        var shape = _shapes[(int)r.Long()];
        var stepInstance = (int)r.Long();
        var state = (TaskState)r.Byte();
        var assignedTo = Text(r.Long());
        var claimedBy = Text(r.Long());
        var outcome = Text(r.Long());
        var flags = r.Byte();
        var offsets = (flags & HasOffsets) != 0;
        var createdTicks = r.Raw();
        var created = At(createdTicks, ref r, offsets);
        var claimedAt = ReadTime(ref r, createdTicks, offsets, (flags & HasClaimedAt) != 0);
        var dueAt = ReadTime(ref r, createdTicks, offsets, (flags & HasDueAt) != 0);
        var closedAt = ReadTime(ref r, createdTicks, offsets, (flags & HasClosedAt) != 0);
        var item = InstanceArchive.ReadValue(ref r);
        return new HumanTaskInfo
        {
            TaskId = taskId,
            Instance = instance,
            ProcessId = shape.ProcessId,
            ProcessVersion = shape.ProcessVersion,
            StepId = shape.StepId,
            StepName = shape.StepName,
            StepInstance = stepInstance,
            Role = shape.Role,
            State = state,
            AssignedTo = assignedTo,
            ClaimedBy = claimedBy,
            CreatedAt = created,
            ClaimedAt = claimedAt,
            DueAt = dueAt,
            ClosedAt = closedAt,
            Outcome = outcome,
            Outcomes = shape.Outcomes,
            Item = item,
            Node = shape.Node,
        };
    }

    /// <summary>A time other than the created one: its difference from the created time, and its offset in minutes when any time of the task has one.</summary>
    private static void Time(ref InstanceArchive.Writer w, DateTimeOffset? time, long createdTicks, bool offsets)
    {
        if (time is not { } t)
        {
            return;
        }

        w.Long(t.UtcTicks - createdTicks);
        Offset(ref w, t, offsets);
    }

    private static void Offset(ref InstanceArchive.Writer w, DateTimeOffset time, bool offsets)
    {
        if (offsets)
        {
            w.Long(time.Offset.Ticks / TimeSpan.TicksPerMinute);
        }
    }

    private static DateTimeOffset? ReadTime(ref InstanceArchive.Reader r, long createdTicks, bool offsets, bool present)
    {
        if (!present)
        {
            return null;
        }

        return At(createdTicks + r.Long(), ref r, offsets);
    }

    private static DateTimeOffset At(long utcTicks, ref InstanceArchive.Reader r, bool offsets)
    {
        var offset = offsets ? r.Long() * TimeSpan.TicksPerMinute : 0;
        return new DateTimeOffset(utcTicks + offset, new TimeSpan(offset));
    }

    private int ShapeOf(HumanTaskInfo task)
    {
        var shape = new Shape(task.ProcessId, task.ProcessVersion, task.StepId, task.StepName, task.Role, task.Node, task.Outcomes);
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_shapeIndex, shape, out var known);
        if (!known)
        {
            index = _shapes.Count;
            _shapes.Add(shape);
        }

        return index;
    }

    /// <summary>0 for null, else one more than the text's index in the table.</summary>
    private int TextOf(string? text)
    {
        if (text is null)
        {
            return 0;
        }

        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_textIndex, text, out var known);
        if (!known)
        {
            _texts.Add(text);
            index = _texts.Count;
        }

        return index;
    }

    private string? Text(long index) => index == 0 ? null : _texts[(int)index - 1];

    private long Append(ReadOnlySpan<byte> packed)
    {
        if (_current.Length - _used < packed.Length)
        {
            var size = Math.Max(packed.Length, Math.Min(MaxChunkSize, Math.Max(FirstChunkSize, _current.Length * 2)));
            _current = GC.AllocateUninitializedArray<byte>(size);
            _chunks.Add(_current);
            _used = 0;
        }

        var at = ((long)(_chunks.Count - 1) << 32) | (uint)_used;
        packed.CopyTo(_current.AsSpan(_used));
        _used += packed.Length;
        Bytes += packed.Length;
        return at;
    }

    /// <summary>What the tasks of one step share.</summary>
    private readonly record struct Shape(string ProcessId, int ProcessVersion, string StepId, string StepName, string Role, int Node, IReadOnlyList<string> Outcomes);

    /// <summary>Shapes are equal when their texts are and their outcomes are the same list (a task read back gives the list it was made with).</summary>
    private sealed class ShapeComparer : IEqualityComparer<Shape>
    {
        public static readonly ShapeComparer Instance = new();

        public bool Equals(Shape x, Shape y) =>
            ReferenceEquals(x.Outcomes, y.Outcomes)
            && x.ProcessVersion == y.ProcessVersion
            && x.Node == y.Node
            && string.Equals(x.ProcessId, y.ProcessId, StringComparison.Ordinal)
            && string.Equals(x.StepId, y.StepId, StringComparison.Ordinal)
            && string.Equals(x.StepName, y.StepName, StringComparison.Ordinal)
            && string.Equals(x.Role, y.Role, StringComparison.Ordinal);

        public int GetHashCode(Shape obj) =>
            HashCode.Combine(obj.ProcessId, obj.ProcessVersion, obj.StepId, obj.Role, obj.Node, System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Outcomes));
    }
}
