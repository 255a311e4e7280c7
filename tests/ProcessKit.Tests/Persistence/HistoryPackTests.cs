using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessKit.Definitions;
using ProcessKit.History;
using ProcessKit.Persistence;

namespace ProcessKit.Tests.Persistence;

public sealed class HistoryPackTests
{
    private static readonly Gen<string?> Texts = Gen.OneOf(
        Gen.Constant<string?>(null),
        Gen.Elements<string?>(string.Empty, "ann", "approved", "données été", "a\u0000b", new string('x', 300)));

    private static readonly Gen<HistoryEntry> Entries =
        from ticks in Gen.Elements(0L, 1L, -1L, long.MaxValue, long.MinValue, 638_000_000_000_000_000L, 638_000_000_000_123_456L)
        from type in Gen.Elements(Enum.GetValues<HistoryEventType>())
        from node in Gen.Elements(0, 1, -1, 17, int.MaxValue, int.MinValue)
        from stepInstance in Gen.Choose(-2, 100_000)
        from role in Gen.Elements<short>(0, -1, 3, short.MaxValue, short.MinValue)
        from path in Gen.Elements(Enum.GetValues<PathKind>())
        from user in Texts
        from detail in Texts
        from amount in Gen.Elements(0L, 1L, -1L, 12_345_000L, long.MaxValue, long.MinValue)
        from hasValue in Gen.Elements(false, true)
        select new HistoryEntry(ticks, type, node, stepInstance, role, path, user, detail, amount, hasValue);

    [Property(MaxTest = 200)]
    public Property Packed_events_read_back_equal_and_in_order()
    {
        return Prop.ForAll(Gen.ListOf(Entries).ToArbitrary(), events =>
        {
            var read = new List<HistoryEntry>();
            HistoryPack.Read(HistoryPack.Write(events), events.Count, read);
            return read.SequenceEqual(events);
        });
    }

    [Fact]
    public void A_row_of_an_unknown_layout_or_cut_short_is_reported_as_an_unsupported_format()
    {
        var packed = HistoryPack.Write([new HistoryEntry(5, HistoryEventType.StepCompleted, 1, 1, 0, PathKind.Happy, "ann", "ok", 0, false)]);
        var newer = (byte[])packed.Clone();
        newer[0] = HistoryPack.Format + 1;

        foreach (var (damaged, count) in new[] { (newer, 1), (packed[..^2], 1), (packed, 2), (packed, 0) })
        {
            var error = Assert.Throws<ProcessStoreException>(() => HistoryPack.Read(damaged, count, []));
            Assert.Equal(ProcessErrorCodes.StoreFormatUnsupported, error.ErrorCode);
        }
    }
}
