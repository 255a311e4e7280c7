using System.Text;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;

namespace ProcessKit.Persistence;

/// <summary>
/// The history events one commit appends, packed into one history row (one blob) of a durable store (SQLite,
/// PostgreSQL), and unpacked on read. One row per commit instead of one per event: a five-step instance appends
/// about fourteen events in its one commit, and an index insert and a statement per event were most of a store's
/// work per instance.
/// </summary>
/// <remarks>
/// <para>
/// Layout: a format byte (<see cref="Format"/>), then per event: the ticks as a zig-zag variable-length
/// difference from the previous event's (the first from 0), the type, the node, the step instance and the
/// role as zig-zag varints, the path, a flags byte (1 user, 2 detail, 4 amount, 8 a value rather than a
/// cost), then the user and the detail (varint byte length and UTF-8) and the amount (zig-zag varint) when
/// flagged. Events keep their order; the row's <c>first_seq</c> is the sequence number of its first event
/// and <c>count</c> how many it holds.
/// </para>
/// <para>Stateless and thread-safe.</para>
/// </remarks>
internal static class HistoryPack
{
    /// <summary>The layout version, the first byte of every packed row; a newer one is refused on read.</summary>
    public const byte Format = 1;

    private const byte HasUser = 1;
    private const byte HasDetail = 2;
    private const byte HasAmount = 4;
    private const byte IsValue = 8;

    /// <summary>Packs the events <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1 of <paramref name="instance"/>'s history.</summary>
    public static byte[] Write(InstanceRecord instance, int first, int count)
    {
        var writer = new Writer(16 + (count * 12));
        writer.Byte(Format);
        long previous = 0;
        for (var i = first; i < first + count; i++)
        {
            ref readonly var r = ref instance.History[i];
            var note = instance.NoteOf(r);
            writer.Event(ref previous, new HistoryEntry(r.UtcTicks, r.Type, r.Node, r.StepInstance, r.Role, r.Path, note.User, note.Detail, note.Amount, note.HasValue));
        }

        return writer.ToArray();
    }

    /// <summary>Packs <paramref name="events"/> (tests).</summary>
    public static byte[] Write(IReadOnlyList<HistoryEntry> events)
    {
        var writer = new Writer(16 + (events.Count * 12));
        writer.Byte(Format);
        long previous = 0;
        foreach (var e in events)
        {
            writer.Event(ref previous, e);
        }

        return writer.ToArray();
    }

    /// <summary>Unpacks a row written by <see cref="Write(InstanceRecord, int, int)"/>, adding its <paramref name="count"/> events to <paramref name="events"/>.</summary>
    /// <exception cref="ProcessStoreException"><see cref="ProcessErrorCodes.StoreFormatUnsupported"/>: the row is damaged or of a newer layout.</exception>
    public static void Read(ReadOnlySpan<byte> packed, int count, List<HistoryEntry> events)
    {
        try
        {
            var reader = new Reader(packed);
            var format = reader.Byte();
            if (format != Format)
            {
                throw new FormatException($"layout {format} is not known (this version reads layout {Format})");
            }

            long ticks = 0;
            for (var i = 0; i < count; i++)
            {
                ticks += reader.Signed();
                var type = (HistoryEventType)reader.Byte();
                var node = checked((int)reader.Signed());
                var stepInstance = checked((int)reader.Signed());
                var role = checked((short)reader.Signed());
                var path = (PathKind)reader.Byte();
                var flags = reader.Byte();
                var user = (flags & HasUser) != 0 ? reader.Text() : null;
                var detail = (flags & HasDetail) != 0 ? reader.Text() : null;
                var amount = (flags & HasAmount) != 0 ? reader.Signed() : 0;
                events.Add(new HistoryEntry(ticks, type, node, stepInstance, role, path, user, detail, amount, (flags & IsValue) != 0));
            }

            if (!reader.AtEnd)
            {
                throw new FormatException("the row holds more than its count of events");
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new ProcessStoreException(
                ProcessErrorCodes.StoreFormatUnsupported,
                $"A stored history row cannot be read ({e.Message}); the store was changed outside ProcessKit or is damaged.",
                e);
        }
    }

    private struct Writer(int capacity)
    {
        private byte[] _buffer = new byte[capacity];
        private int _length;

        public void Event(ref long previousTicks, in HistoryEntry e)
        {
            Signed(e.Ticks - previousTicks);
            previousTicks = e.Ticks;
            Byte((byte)e.Type);
            Signed(e.Node);
            Signed(e.StepInstance);
            Signed(e.Role);
            Byte((byte)e.Path);
            Byte((byte)((e.User is null ? 0 : HasUser) | (e.Detail is null ? 0 : HasDetail) | (e.Amount == 0 ? 0 : HasAmount) | (e.HasValue ? IsValue : 0)));
            if (e.User is { } user)
            {
                Text(user);
            }

            if (e.Detail is { } detail)
            {
                Text(detail);
            }

            if (e.Amount != 0)
            {
                Signed(e.Amount);
            }
        }

        public void Byte(byte value)
        {
            Ensure(1);
            _buffer[_length++] = value;
        }

        public void Signed(long value)
        {
            // Zig-zag, then 7 bits a byte, low first.
            var v = (ulong)((value << 1) ^ (value >> 63));
            Ensure(10);
            while (v >= 0x80)
            {
                _buffer[_length++] = (byte)(v | 0x80);
                v >>= 7;
            }

            _buffer[_length++] = (byte)v;
        }

        public void Text(string value)
        {
            var bytes = Encoding.UTF8.GetByteCount(value);
            Signed(bytes);
            Ensure(bytes);
            _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
        }

        public readonly byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

        private void Ensure(int more)
        {
            if (_length + more > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
            }
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> span)
    {
        private readonly ReadOnlySpan<byte> _span = span;
        private int _at;

        public readonly bool AtEnd => _at == _span.Length;

        public byte Byte() => _at < _span.Length ? _span[_at++] : throw new FormatException("the row ends early");

        public long Signed()
        {
            ulong v = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                v |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return (long)(v >> 1) ^ -(long)(v & 1);
                }
            }

            throw new FormatException("a number is too long");
        }

        public string Text()
        {
            var length = Signed();
            if (length < 0 || length > _span.Length - _at)
            {
                throw new FormatException("a text runs past the row");
            }

            var text = Encoding.UTF8.GetString(_span.Slice(_at, (int)length));
            _at += (int)length;
            return text;
        }
    }
}

/// <summary>One history event as stored.</summary>
internal readonly record struct HistoryEntry(long Ticks, HistoryEventType Type, int Node, int StepInstance, short Role, PathKind Path, string? User, string? Detail, long Amount, bool HasValue);
