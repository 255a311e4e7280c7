using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;

namespace ProcessKit.Persistence;

/// <summary>
/// Where the in-memory store keeps instances between commands: each packed into a few hundred bytes
/// of large shared byte arrays instead of a record with its data, paths, history and notes as objects
/// of their own. The garbage collector never traces or moves these bytes (the arrays hold no
/// references and live in the large object heap), so a store holding a million instances, waiting or
/// ended, costs a collection almost nothing. Reading one back (a command loads it, a snapshot, a
/// history) unpacks it into a new <see cref="InstanceRecord"/> equal to the one committed.
/// </summary>
/// <remarks>
/// Only an instance whose data values are all of the kinds the engine converts to (text,
/// <see cref="decimal"/>, bool, <see cref="DateTimeOffset"/>, <see cref="TimeSpan"/>) is packed
/// (<see cref="TryEncode"/>); an object or list value is kept as given, so such an instance stays a
/// record. A commit packs the instance again and leaves its previous bytes unused
/// (<see cref="Release"/>); once the unused bytes outweigh the used ones the store moves the used
/// ones into fresh arrays (<see cref="Compact"/>). <see cref="TryEncode"/> is thread-safe (a buffer
/// per thread); the rest is called under the store's lock and is not thread-safe.
/// </remarks>
internal sealed class InstanceArchive
{
    private const int ChunkSize = 1 << 20;

    private const byte TagNull = 0;
    private const byte TagText = 1;
    private const byte TagDecimalRaw = 2;
    private const byte TagTrue = 3;
    private const byte TagFalse = 4;
    private const byte TagDateTime = 5;
    private const byte TagDuration = 6;
    private const byte TagDecimalWhole = 7;

    [ThreadStatic]
    private static byte[]? t_buffer;

    private readonly List<byte[]> _chunks = [];
    private readonly List<ProcessModel> _models = [];
    private readonly Dictionary<ProcessModel, int> _modelIndex = new(ReferenceEqualityComparer.Instance);
    private byte[] _current = [];
    private int _used;

    /// <summary>How many bytes the packed instances take (chunks in use, not the space left in the last one).</summary>
    public long Bytes { get; private set; }

    /// <summary>How many of <see cref="Bytes"/> belong to instances packed again since (left unused).</summary>
    public long Unused { get; private set; }

    /// <summary>Whether the unused bytes outweigh the used ones enough for <see cref="Compact"/> to be worth its copy.</summary>
    public bool ShouldCompact => Unused > 4 * ChunkSize && Unused > Bytes - Unused;

    /// <summary>Packs an ended instance as it is committed at <paramref name="version"/> into this thread's buffer; false when it cannot be packed.</summary>
    /// <returns>The packed bytes, valid until the next call on this thread.</returns>
    public static bool TryEncode(InstanceRecord instance, long version, out ReadOnlySpan<byte> packed)
    {
        packed = default;
        foreach (var value in instance.Slots)
        {
            if (!IsPackable(value))
            {
                return false;
            }
        }

        var w = new Writer(t_buffer ??= new byte[1024]);
        w.Long(version);
        w.Byte((byte)instance.State);
        w.Raw(instance.StartedTicks);
        w.Long(instance.EndedTicks - instance.StartedTicks);
        w.String(instance.BusinessKey);
        w.String(instance.EndOutcome);
        w.Long(instance.StepCounter);
        w.Long(instance.HistoryBase);
        if (instance.Parent is { } parent)
        {
            w.Byte(1);
            w.Long(parent.Instance.Value);
            w.Long(parent.Node);
            w.Long(parent.StepInstance);
        }
        else
        {
            w.Byte(0);
        }

        w.Long(instance.Slots.Length);
        foreach (var value in instance.Slots)
        {
            WriteValue(ref w, value);
        }

        w.Long(instance.TokenCount);
        for (var i = 0; i < instance.TokenCount; i++)
        {
            var t = instance.Tokens[i];
            w.Long(t.Node);
            w.Long(t.StepInstance);
            w.Long(t.Group);
            w.Byte((byte)t.Wait);
            w.Long(t.Ref);
            w.String(t.Key);
        }

        w.Ints(instance.Joins);
        w.Ints(instance.Spans);
        if (instance.Performers is { } performers)
        {
            w.Long(performers.Length + 1);
            foreach (var performer in performers)
            {
                w.String(performer);
            }
        }
        else
        {
            w.Long(0);
        }

        w.Long(instance.HistoryCount);
        w.History(instance.History.AsSpan(0, instance.HistoryCount), instance.StartedTicks);

        w.Long(instance.NoteCount);
        for (var i = 0; i < instance.NoteCount; i++)
        {
            var note = instance.Notes![i];
            w.String(note.User);
            w.String(note.Detail);
            w.Long(note.Amount);
            w.Byte(note.HasValue ? (byte)1 : (byte)0);
        }

        t_buffer = w.Buffer;
        packed = w.Written;
        return true;
    }

    /// <summary>Whether <see cref="WriteValue"/> can pack a value: null or a kind the engine converts to.</summary>
    internal static bool IsPackable(object? value) => value is null or string or decimal or bool or DateTimeOffset or TimeSpan;

    /// <summary>Keeps packed bytes (from <see cref="TryEncode"/>) of an instance of <paramref name="model"/>; returns where they are.</summary>
    public long Append(ProcessModel model, ReadOnlySpan<byte> packed)
    {
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_modelIndex, model, out var known);
        if (!known)
        {
            index = _models.Count;
            _models.Add(model);
        }

        Span<byte> head = stackalloc byte[20];
        var headLength = Writer.Varint(head, (ulong)packed.Length);
        headLength += Writer.Varint(head[headLength..], (ulong)index);
        var at = Reserve(headLength + packed.Length, out var into);
        head[..headLength].CopyTo(into);
        packed.CopyTo(into[headLength..]);
        return at;
    }

    private long AppendRaw(ReadOnlySpan<byte> entry)
    {
        var at = Reserve(entry.Length, out var into);
        entry.CopyTo(into);
        return at;
    }

    private long Reserve(int length, out Span<byte> into)
    {
        if (_current.Length - _used < length)
        {
            _current = GC.AllocateUninitializedArray<byte>(Math.Max(ChunkSize, length));
            _chunks.Add(_current);
            _used = 0;
        }

        var at = ((long)(_chunks.Count - 1) << 32) | (uint)_used;
        into = _current.AsSpan(_used, length);
        _used += length;
        Bytes += length;
        return at;
    }

    /// <summary>Marks the bytes at <paramref name="location"/> unused (their instance was packed again).</summary>
    public void Release(long location)
    {
        var chunk = _chunks[(int)(location >> 32)];
        var r = new Reader(chunk, (int)(uint)location);
        var length = (int)r.Varint();
        r.Varint();
        Unused += r.Position - (int)(uint)location + length;
    }

    /// <summary>Moves the bytes of every instance in <paramref name="index"/> (id → location) into fresh arrays and updates the index; the old arrays are dropped.</summary>
    public void Compact(IdMap index)
    {
        var old = _chunks.ToArray();
        _chunks.Clear();
        _current = [];
        _used = 0;
        Bytes = 0;
        Unused = 0;
        index.Update((_, location) =>
        {
            var chunk = old[(int)(location >> 32)];
            var start = (int)(uint)location;
            var r = new Reader(chunk, start);
            var length = (int)r.Varint();
            r.Varint(); // the model's index, unchanged
            return AppendRaw(chunk.AsSpan(start, r.Position - start + length));
        });
    }

    /// <summary>The version an instance was packed at.</summary>
    public long VersionAt(long location)
    {
        var r = Open(location, out _);
        return r.Long();
    }

    /// <summary>Unpacks the instance <paramref name="id"/> kept at <paramref name="location"/> into a new record.</summary>
    public InstanceRecord Read(InstanceId id, long location)
    {
        var r = Open(location, out var model);
        var version = r.Long();
        var state = (InstanceState)r.Byte();
        var started = r.Raw();
        var ended = started + r.Long();
        var businessKey = r.String();
        var endOutcome = r.String();
        var stepCounter = (int)r.Long();
        var historyBase = (int)r.Long();
        (InstanceId, int, int)? parent = r.Byte() == 1 ? (new InstanceId(r.Long()), (int)r.Long(), (int)r.Long()) : null;
        var slots = new object?[(int)r.Long()];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = ReadValue(ref r);
        }

        var tokenCount = (int)r.Long();
        var tokens = tokenCount == 0 ? [] : new Token[tokenCount];
        for (var i = 0; i < tokenCount; i++)
        {
            tokens[i] = new Token((int)r.Long(), (int)r.Long(), (int)r.Long(), (TokenWait)r.Byte(), r.Long(), r.String());
        }

        var joins = r.Ints();
        var spans = r.Ints();
        string?[]? performers = null;
        var performerCount = (int)r.Long();
        if (performerCount > 0)
        {
            performers = new string?[performerCount - 1];
            for (var i = 0; i < performers.Length; i++)
            {
                performers[i] = r.String();
            }
        }

        // A waiting instance is read back to be worked on, and a command appends events: room for a whole
        // run (or half as many again as it has) saves growing the array on the first append.
        var historyCount = (int)r.Long();
        var history = new HistoryRecord[state == InstanceState.Running ? Math.Max(model.HistoryCapacity, historyCount + (historyCount / 2) + 4) : Math.Max(1, historyCount)];
        var ticks = started;
        for (var i = 0; i < historyCount; i++)
        {
            ref var h = ref history[i];
            ticks += r.Long();
            h.UtcTicks = ticks;
            h.Node = (int)r.Long();
            h.StepInstance = (int)r.Long();
            h.Note = (int)r.Long();
            h.Role = (short)r.Long();
            h.Type = (HistoryEventType)r.Byte();
            h.Path = (PathKind)r.Byte();
        }

        var noteCount = (int)r.Long();
        HistoryNote[]? notes = null;
        if (noteCount > 0)
        {
            // A waiting instance is read to be worked on: room for the notes of its next command saves growing the array.
            notes = new HistoryNote[state == InstanceState.Running ? noteCount + 4 : noteCount];
            for (var i = 0; i < noteCount; i++)
            {
                notes[i] = new HistoryNote(r.String(), r.String(), r.Long(), r.Byte() == 1);
            }
        }

        return new InstanceRecord
        {
            Id = id,
            Model = model,
            Version = version,
            State = state,
            BusinessKey = businessKey,
            EndOutcome = endOutcome,
            StartedTicks = started,
            EndedTicks = ended,
            Slots = slots,
            Tokens = tokens,
            TokenCount = tokenCount,
            Joins = joins,
            Performers = performers,
            Spans = spans,
            StepCounter = stepCounter,
            Parent = parent,
            History = history,
            HistoryCount = historyCount,
            HistoryBase = historyBase,
            Notes = notes,
            NoteCount = noteCount,
            IsPrivate = true,
        };
    }

    private Reader Open(long location, out ProcessModel model)
    {
        var chunk = _chunks[(int)(location >> 32)];
        var r = new Reader(chunk, (int)(uint)location);
        var length = (int)r.Varint();
        model = _models[(int)r.Varint()];
        return new Reader(chunk.AsSpan(0, r.Position + length), r.Position);
    }

    /// <summary>Writes a value of one of the kinds <see cref="IsPackable"/> accepts, tagged.</summary>
    internal static void WriteValue(ref Writer w, object? value)
    {
        switch (value)
        {
            case null:
                w.Byte(TagNull);
                break;
            case string text:
                w.Byte(TagText);
                w.String(text);
                break;
            case decimal number when number.Scale == 0 && number >= long.MinValue && number <= long.MaxValue:
                w.Byte(TagDecimalWhole);
                w.Long((long)number);
                break;
            case decimal number:
                w.Byte(TagDecimalRaw);
                Span<int> bits = stackalloc int[4];
                decimal.GetBits(number, bits);
                foreach (var bit in bits)
                {
                    w.Raw(bit);
                }

                break;
            case bool flag:
                w.Byte(flag ? TagTrue : TagFalse);
                break;
            case DateTimeOffset time:
                w.Byte(TagDateTime);
                w.Raw(time.UtcTicks);
                w.Long((long)time.Offset.TotalMinutes);
                break;
            case TimeSpan span:
                w.Byte(TagDuration);
                w.Long(span.Ticks);
                break;
            default:
                throw new InvalidOperationException($"A value of type {value.GetType().Name} cannot be packed.");
        }
    }

    /// <summary>Reads a value written by <see cref="WriteValue"/>.</summary>
    internal static object? ReadValue(ref Reader r)
    {
        switch (r.Byte())
        {
            case TagNull:
                return null;
            case TagText:
                return r.String();
            case TagDecimalWhole:
                return (decimal)r.Long();
            case TagDecimalRaw:
                Span<int> bits = [(int)r.Raw32(), (int)r.Raw32(), (int)r.Raw32(), (int)r.Raw32()];
                return new decimal(bits);
            case TagTrue:
                return true;
            case TagFalse:
                return false;
            case TagDateTime:
                var utc = r.Raw();
                var offset = TimeSpan.FromMinutes(r.Long());
                return new DateTimeOffset(utc + offset.Ticks, offset);
            case TagDuration:
                return new TimeSpan(r.Long());
            default:
                throw new InvalidOperationException("The packed instance is damaged.");
        }
    }

    /// <summary>Writes varints (zigzag for signed values), raw little-endian numbers and UTF-8 text into a growing buffer.</summary>
    internal ref struct Writer(byte[] buffer)
    {
        /// <summary>The longest encoding of one history event: five varints and two bytes.</summary>
        private const int MaxEventBytes = (5 * 10) + 2;

        private int _position;

        public byte[] Buffer { get; private set; } = buffer;

        public readonly ReadOnlySpan<byte> Written => Buffer.AsSpan(0, _position);

        public static int Varint(Span<byte> into, ulong value)
        {
            var n = 0;
            while (value >= 0x80)
            {
                into[n++] = (byte)(value | 0x80);
                value >>= 7;
            }

            into[n++] = (byte)value;
            return n;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Byte(byte value)
        {
            var buffer = Buffer;
            var at = _position;
            if ((uint)at >= (uint)buffer.Length)
            {
                buffer = Grow(1);
            }

            buffer[at] = value;
            _position = at + 1;
        }

        /// <summary>A zig-zag varint; one byte (the common case: small numbers) without a loop.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Long(long value)
        {
            var v = (ulong)((value << 1) ^ (value >> 63));
            var buffer = Buffer;
            var at = _position;
            if (v < 0x80 && (uint)at < (uint)buffer.Length)
            {
                buffer[at] = (byte)v;
                _position = at + 1;
                return;
            }

            LongSlow(v);
        }

        private void LongSlow(ulong v)
        {
            Ensure(10);
            _position += Varint(Buffer.AsSpan(_position), v);
        }

        public void Raw(long value)
        {
            Ensure(8);
            BinaryPrimitives.WriteInt64LittleEndian(Buffer.AsSpan(_position), value);
            _position += 8;
        }

        public void Raw(int value)
        {
            Ensure(4);
            BinaryPrimitives.WriteInt32LittleEndian(Buffer.AsSpan(_position), value);
            _position += 4;
        }

        /// <summary>Null as 0, else the UTF-8 length + 1 and the bytes.</summary>
        public void String(string? text)
        {
            if (text is null)
            {
                Long(0);
                return;
            }

            if (text.Length <= 20)
            {
                // At most 60 bytes of UTF-8: the length + 1, zig-zagged, fits one byte, written once the text is.
                Ensure(1 + (3 * text.Length));
                var written = Encoding.UTF8.GetBytes(text, Buffer.AsSpan(_position + 1));
                Buffer[_position] = (byte)((written + 1) << 1);
                _position += 1 + written;
                return;
            }

            var length = Encoding.UTF8.GetByteCount(text);
            Long(length + 1);
            Ensure(length);
            _position += Encoding.UTF8.GetBytes(text, Buffer.AsSpan(_position));
        }

        /// <summary>
        /// History events: per event the ticks since the previous one (the first since <paramref name="previousTicks"/>), the node,
        /// the step instance, the note and the role as zig-zag varints, then the type and the path. Room for the longest
        /// encoding of every event is made once, so the loop writes without a check per number.
        /// </summary>
        public void History(ReadOnlySpan<HistoryRecord> events, long previousTicks)
        {
            Ensure(events.Length * MaxEventBytes);
            var into = Buffer.AsSpan(_position, events.Length * MaxEventBytes);
            var at = 0;
            foreach (ref readonly var r in events)
            {
                at = Put(into, at, r.UtcTicks - previousTicks);
                previousTicks = r.UtcTicks;
                at = Put(into, at, r.Node);
                at = Put(into, at, r.StepInstance);
                at = Put(into, at, r.Note);
                at = Put(into, at, r.Role);
                into[at] = (byte)r.Type;
                into[at + 1] = (byte)r.Path;
                at += 2;
            }

            _position += at;
        }

        /// <summary>Writes a zig-zag varint at <paramref name="at"/>, where there is room for ten bytes; returns the position after it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Put(Span<byte> into, int at, long value)
        {
            var v = (ulong)((value << 1) ^ (value >> 63));
            while (v >= 0x80)
            {
                into[at++] = (byte)(v | 0x80);
                v >>= 7;
            }

            into[at] = (byte)v;
            return at + 1;
        }

        /// <summary>Null as 0, else the length + 1 and the values.</summary>
        public void Ints(int[]? values)
        {
            if (values is null)
            {
                Long(0);
                return;
            }

            Long(values.Length + 1);
            foreach (var value in values)
            {
                Long(value);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Ensure(int count)
        {
            if (Buffer.Length - _position < count)
            {
                Grow(count);
            }
        }

        private byte[] Grow(int count)
        {
            var grown = new byte[Math.Max(Buffer.Length * 2, _position + count)];
            Buffer.AsSpan(0, _position).CopyTo(grown);
            Buffer = grown;
            return grown;
        }
    }

    /// <summary>Reads what <see cref="Writer"/> wrote.</summary>
    internal ref struct Reader(ReadOnlySpan<byte> bytes, int position)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;

        public int Position { get; private set; } = position;

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = _bytes[Position++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }

        public long Long()
        {
            var raw = Varint();
            return (long)(raw >> 1) ^ -(long)(raw & 1);
        }

        public byte Byte() => _bytes[Position++];

        public long Raw()
        {
            var value = BinaryPrimitives.ReadInt64LittleEndian(_bytes[Position..]);
            Position += 8;
            return value;
        }

        public uint Raw32()
        {
            var value = BinaryPrimitives.ReadUInt32LittleEndian(_bytes[Position..]);
            Position += 4;
            return value;
        }

        public string? String()
        {
            var length = (int)Long();
            if (length == 0)
            {
                return null;
            }

            var text = Encoding.UTF8.GetString(_bytes.Slice(Position, length - 1));
            Position += length - 1;
            return text;
        }

        public int[]? Ints()
        {
            var length = (int)Long();
            if (length == 0)
            {
                return null;
            }

            var values = new int[length - 1];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (int)Long();
            }

            return values;
        }
    }
}
