using FsCheck.Xunit;
using ProcessKit.Persistence;

namespace ProcessKit.Tests.Persistence;

/// <summary>The in-memory store's id map behaves as a dictionary of ids to values, in pages or on the side.</summary>
public sealed class IdMapTests
{
    [Fact]
    public void Values_are_set_replaced_read_and_removed_by_id_and_counted()
    {
        var map = new IdMap();
        map.Set(1, 0);
        map.Set(2, -1);
        map.Set(4_096, 7);
        map.Set(5_000_000, long.MaxValue);
        map.Set(4_096, 8);

        Assert.Equal(4, map.Count);
        Assert.True(map.TryGetValue(2, out var minusOne));
        Assert.Equal(-1, minusOne);
        Assert.True(map.TryGetValue(1, out var first));
        Assert.Equal(0, first);
        Assert.True(map.TryGetValue(4_096, out var replaced));
        Assert.Equal(8, replaced);
        Assert.True(map.TryGetValue(5_000_000, out var large));
        Assert.Equal(long.MaxValue, large);
        Assert.False(map.ContainsKey(3));
        Assert.False(map.ContainsKey(100_000_000));

        Assert.True(map.Remove(1));
        Assert.False(map.Remove(1));
        Assert.False(map.ContainsKey(1));
        Assert.Equal(3, map.Count);
    }

    [Fact]
    public void Ids_the_pages_do_not_reach_are_kept_on_the_side()
    {
        var map = new IdMap();
        map.Set(0, 1);
        map.Set(-5, 2);
        map.Set(1L << 40, 3);
        map.Set(3, 4);

        Assert.Equal(4, map.Count);
        Assert.True(map.TryGetValue(-5, out var negative));
        Assert.Equal(2, negative);
        Assert.True(map.TryGetValue(1L << 40, out var far));
        Assert.Equal(3, far);
        Assert.Equal([3L, 0L, -5L, 1L << 40], map.Entries().Select(static e => e.Key));
        Assert.True(map.Remove(1L << 40));
        Assert.Equal(3, map.Count);
    }

    [Fact]
    public void A_value_of_long_min_is_refused_with_nothing_changed()
    {
        var map = new IdMap();
        map.Set(9, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => map.Set(9, long.MinValue));
        Assert.True(map.TryGetValue(9, out var kept));
        Assert.Equal(1, kept);
    }

    [Fact]
    public void Update_changes_every_value_and_keeps_the_ids()
    {
        var map = new IdMap();
        foreach (var id in new long[] { 1, 2, 9_000, -1, 1L << 33 })
        {
            map.Set(id, id * 10);
        }

        map.Update(static (id, value) => value + id);

        Assert.Equal(5, map.Count);
        foreach (var (id, value) in map.Entries())
        {
            Assert.Equal(id * 11, value);
        }
    }

    [Property(MaxTest = 200)]
    public bool Any_sequence_of_sets_and_removes_leaves_what_a_dictionary_would(Tuple<bool, int, long>[] operations)
    {
        var map = new IdMap();
        var model = new Dictionary<long, long>();
        foreach (var (remove, rawId, rawValue) in operations)
        {
            // Mostly small dense ids, some far ones (zero, negative, beyond the pages).
            long id = (rawId % 7) switch { 0 => -rawId, 1 => (1L << 32) + rawId, _ => rawId & 0x3FFFF };
            var value = rawValue == long.MinValue ? 0 : rawValue;
            if (remove)
            {
                if (map.Remove(id) != model.Remove(id))
                {
                    return false;
                }
            }
            else
            {
                map.Set(id, value);
                model[id] = value;
            }
        }

        return map.Count == model.Count
            && model.All(pair => map.TryGetValue(pair.Key, out var value) && value == pair.Value)
            && map.Entries().OrderBy(static e => e.Key).SequenceEqual(model.OrderBy(static e => e.Key));
    }
}
