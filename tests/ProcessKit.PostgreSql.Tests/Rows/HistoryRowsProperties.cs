using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.PostgreSql.Rows;

namespace ProcessKit.PostgreSql.Tests.Rows;

public sealed class HistoryRowsProperties
{
    private static readonly Gen<string?> Text = Gen.Elements<string?>(null, null, null, "", "alice", "approved", "Zürich ✓", "line\nbreak");

    private static readonly Gen<(long Ticks, int Node, int StepInstance, short Role, byte Type, byte Path, HistoryNote? Note)> Event =
        from ticks in Gen.Choose(0, int.MaxValue).Select(static t => 638_000_000_000_000_000L + ((long)t * 7919))
        from node in Gen.Choose(-1, 5000)
        from step in Gen.Choose(0, 100_000)
        from role in Gen.Choose(-1, 300).Select(static r => (short)r)
        from type in Gen.Choose(0, 40).Select(static t => (byte)t)
        from path in Gen.Choose(0, 3).Select(static p => (byte)p)
        from hasNote in Gen.Elements(false, true)
        from user in Text
        from detail in Text
        from amount in Gen.Elements(0L, 1L, -250_000L, long.MaxValue, long.MinValue)
        from hasValue in Gen.Elements(false, true)
        select (ticks, node, step, role, type, path, hasNote ? new HistoryNote(user, detail, amount, hasValue) : (HistoryNote?)null);

    [Property]
    public Property Events_packed_from_any_index_read_back_as_they_were()
    {
        var cases = from events in Gen.ListOf(Event).Select(static l => l.ToArray())
                    from skip in Gen.Choose(0, 3)
                    select (events, skip);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var record = Record(c.events);
            var from = Math.Min(c.skip, c.events.Length);
            var packed = HistoryRows.Write(record, from);

            var read = new HistoryRecord[c.events.Length + 1];
            HistoryNote[]? notes = null;
            int n = 0, noteCount = 0;
            HistoryRows.Read(packed, c.events.Length - from, read, ref n, ref notes, ref noteCount);

            if (n != c.events.Length - from)
                return false;
            for (var i = 0; i < n; i++)
            {
                ref readonly var expected = ref record.History[from + i];
                ref readonly var actual = ref read[i];
                var expectedNote = record.NoteOf(expected);
                var actualNote = actual.Note == 0 ? default : notes![actual.Note - 1];
                if (actual.UtcTicks != expected.UtcTicks || actual.Node != expected.Node || actual.StepInstance != expected.StepInstance
                    || actual.Role != expected.Role || actual.Type != expected.Type || actual.Path != expected.Path || actualNote != expectedNote)
                    return false;
            }

            return true;
        });
    }

    [Fact]
    public void A_row_of_an_unknown_format_is_refused_with_a_clear_error()
    {
        var read = new HistoryRecord[1];
        HistoryNote[]? notes = null;
        int n = 0, noteCount = 0;
        var error = Assert.Throws<ProcessStoreException>(() => HistoryRows.Read([9, 0], 1, read, ref n, ref notes, ref noteCount));
        Assert.Equal(ProcessErrorCodes.StoreFormatUnsupported, error.ErrorCode);
        Assert.Contains("layout 9", error.Message, StringComparison.Ordinal);
    }

    private static InstanceRecord Record((long Ticks, int Node, int StepInstance, short Role, byte Type, byte Path, HistoryNote? Note)[] events)
    {
        var history = new HistoryRecord[events.Length];
        var notes = new List<HistoryNote>();
        for (var i = 0; i < events.Length; i++)
        {
            var e = events[i];
            history[i] = new HistoryRecord { UtcTicks = e.Ticks, Node = e.Node, StepInstance = e.StepInstance, Role = e.Role, Type = (HistoryEventType)e.Type, Path = (PathKind)e.Path };
            if (e.Note is { } note)
            {
                notes.Add(note);
                history[i].Note = notes.Count;
            }
        }

        return new InstanceRecord
        {
            Id = new InstanceId(1),
            Model = null!,
            Slots = [],
            History = history,
            HistoryCount = events.Length,
            Notes = [.. notes],
            NoteCount = notes.Count,
        };
    }
}
