using FsCheck.Xunit;
using ProcessKit.Persistence;

namespace ProcessKit.Tests.Persistence;

/// <summary>The in-memory store's instances of a process, by version and id, answer ranges as a sorted set would.</summary>
public sealed class ProcessInstanceIndexTests
{
    [Fact]
    public void Ids_come_back_by_version_then_id_whatever_order_they_were_added_in()
    {
        var index = new ProcessInstanceIndex();
        Assert.True(index.IsEmpty);
        index.Add(2, 10);
        index.Add(1, 3);
        index.Add(2, 4);
        index.Add(1, 12);
        index.Add(1, 3);

        Assert.False(index.IsEmpty);
        Assert.Equal([3L, 12L, 4L, 10L], index.Between(int.MinValue, long.MinValue, int.MaxValue, long.MaxValue));
        Assert.Equal([4L, 10L], index.Between(2, long.MinValue, 2, long.MaxValue));
        Assert.Equal([12L, 4L, 10L], index.Between(1, 4, int.MaxValue, long.MaxValue));
        Assert.Equal([3L, 12L, 4L], index.Between(1, long.MinValue, 2, 4));
        Assert.Empty(index.Between(3, long.MinValue, 3, long.MaxValue));
    }

    [Property(MaxTest = 200)]
    public bool Any_adds_and_any_range_give_what_a_sorted_set_gives(Tuple<byte, ushort>[] adds, byte fromVersion, ushort fromId, byte toVersion, ushort toId)
    {
        var index = new ProcessInstanceIndex();
        var model = new SortedSet<(int Version, long Id)>();
        foreach (var (version, id) in adds)
        {
            index.Add(version % 4, id);
            model.Add((version % 4, id));
        }

        var from = (fromVersion % 5, (long)fromId);
        var to = (toVersion % 5, (long)toId);
        var expected = from.CompareTo(to) > 0 ? [] : model.GetViewBetween(from, to).Select(static e => e.Id).ToList();
        var actual = from.CompareTo(to) > 0 ? [] : index.Between(from.Item1, from.Item2, to.Item1, to.Item2).ToList();
        return expected.SequenceEqual(actual) && index.IsEmpty == (model.Count == 0);
    }
}
