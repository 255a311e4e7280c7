using System.Text;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;

namespace ProcessKit.PostgreSql.Rows;

/// <summary>
/// The history events one commit appends, packed into one <c>history</c> row (<c>events bytea</c>): a commit writes one
/// row however many events it adds, and an instance's history is read back by its few rows in order. Stateless and
/// thread-safe.
/// </summary>
/// <remarks>
/// Format 1: a format byte, then per event the UTC ticks as the difference from the previous event's (the first from
/// zero), the type and path bytes, then role, node and step instance, and a flags byte saying which note parts follow
/// (user, detail, amount, has-value); integers 7-bit encoded, text length-prefixed UTF-8.
/// </remarks>
internal static class HistoryRows
{
    private const byte Format = 1;
    private const byte HasUser = 1;
    private const byte HasDetail = 2;
    private const byte HasAmount = 4;
    private const byte HasValueFlag = 8;

    /// <summary>Packs the events <paramref name="from"/>..<see cref="InstanceRecord.HistoryCount"/> of the record.</summary>
    public static byte[] Write(InstanceRecord instance, int from)
    {
        using var stream = new MemoryStream(16 + ((instance.HistoryCount - from) * 12));
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Format);
            long previous = 0;
            for (var i = from; i < instance.HistoryCount; i++)
            {
                ref readonly var e = ref instance.History[i];
                w.Write7BitEncodedInt64(e.UtcTicks - previous);
                previous = e.UtcTicks;
                w.Write((byte)e.Type);
                w.Write((byte)e.Path);
                w.Write7BitEncodedInt(e.Role);
                w.Write7BitEncodedInt(e.Node);
                w.Write7BitEncodedInt(e.StepInstance);
                var note = instance.NoteOf(e);
                var flags = (byte)((note.User is null ? 0 : HasUser) | (note.Detail is null ? 0 : HasDetail) | (note.Amount == 0 ? 0 : HasAmount) | (note.HasValue ? HasValueFlag : 0));
                w.Write(flags);
                if (note.User is { } user)
                    w.Write(user);
                if (note.Detail is { } detail)
                    w.Write(detail);
                if (note.Amount != 0)
                    w.Write7BitEncodedInt64(note.Amount);
            }
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Unpacks <paramref name="count"/> events of a row into <paramref name="events"/> from <paramref name="n"/> on
    /// (raising it), adding their notes to <paramref name="notes"/> (grown as needed).
    /// </summary>
    /// <exception cref="InvalidDataException">The row is not in a format this code knows.</exception>
    public static void Read(byte[] packed, int count, HistoryRecord[] events, ref int n, ref HistoryNote[]? notes, ref int noteCount)
    {
        using var r = new BinaryReader(new MemoryStream(packed, writable: false), Encoding.UTF8);
        var format = r.ReadByte();
        if (format != Format)
            throw new InvalidDataException($"A history row has format {format}; this ProcessKit.PostgreSql knows format {Format} only.");
        long ticks = 0;
        for (var k = 0; k < count && n < events.Length; k++)
        {
            ticks += r.Read7BitEncodedInt64();
            ref var e = ref events[n++];
            e.UtcTicks = ticks;
            e.Type = (HistoryEventType)r.ReadByte();
            e.Path = (PathKind)r.ReadByte();
            e.Role = (short)r.Read7BitEncodedInt();
            e.Node = r.Read7BitEncodedInt();
            e.StepInstance = r.Read7BitEncodedInt();
            e.Note = 0;
            var flags = r.ReadByte();
            if (flags == 0)
                continue;
            var user = (flags & HasUser) != 0 ? r.ReadString() : null;
            var detail = (flags & HasDetail) != 0 ? r.ReadString() : null;
            var amount = (flags & HasAmount) != 0 ? r.Read7BitEncodedInt64() : 0;
            notes ??= new HistoryNote[Math.Max(4, events.Length)];
            if (noteCount == notes.Length)
                Array.Resize(ref notes, notes.Length * 2);
            notes[noteCount++] = new HistoryNote(user, detail, amount, (flags & HasValueFlag) != 0);
            e.Note = noteCount;
        }
    }
}
