using ProcessKit.Execution;
using ProcessKit.Persistence;

namespace ProcessKit.PostgreSql.Rows;

/// <summary>
/// The history events one commit appends, as one <c>history</c> row (<c>events bytea</c>, in the layout of
/// <see cref="HistoryPack"/>, shared with the SQLite store): a commit writes one row however many events it adds,
/// and an instance's history is read back by its few rows in order. Stateless and thread-safe.
/// </summary>
internal static class HistoryRows
{
    /// <summary>Packs the events <paramref name="from"/>..<see cref="InstanceRecord.HistoryCount"/> of the record.</summary>
    public static byte[] Write(InstanceRecord instance, int from) => HistoryPack.Write(instance, from, instance.HistoryCount - from);

    /// <summary>
    /// Unpacks <paramref name="count"/> events of a row into <paramref name="events"/> from <paramref name="n"/> on
    /// (raising it), adding their notes to <paramref name="notes"/> (grown as needed).
    /// </summary>
    /// <exception cref="ProcessStoreException"><see cref="ProcessErrorCodes.StoreFormatUnsupported"/>: the row is damaged or of a newer layout.</exception>
    public static void Read(byte[] packed, int count, HistoryRecord[] events, ref int n, ref HistoryNote[]? notes, ref int noteCount)
    {
        var entries = new List<HistoryEntry>(count);
        HistoryPack.Read(packed, count, entries);
        foreach (var entry in entries)
        {
            if (n == events.Length)
                break;
            ref var e = ref events[n++];
            e.UtcTicks = entry.Ticks;
            e.Type = entry.Type;
            e.Path = entry.Path;
            e.Role = entry.Role;
            e.Node = entry.Node;
            e.StepInstance = entry.StepInstance;
            e.Note = 0;
            if (entry.User is null && entry.Detail is null && entry.Amount == 0 && !entry.HasValue)
                continue;
            notes ??= new HistoryNote[Math.Max(4, events.Length)];
            if (noteCount == notes.Length)
                Array.Resize(ref notes, notes.Length * 2);
            notes[noteCount++] = new HistoryNote(entry.User, entry.Detail, entry.Amount, entry.HasValue);
            e.Note = noteCount;
        }
    }
}
