using FsCheck.Xunit;
using ProcessKit.Execution;
using ProcessKit.Messaging;
using ProcessKit.Persistence;

namespace ProcessKit.Tests.Persistence;

/// <summary>The in-memory store's index of waits for messages keeps each key's waits oldest first, with the keys' characters in pages.</summary>
public sealed class SubscriptionIndexTests
{
    private static Subscription Wait(string name, string key, long instance, int node = 3, int run = 1) => new(name, key, new InstanceId(instance), node, run);

    [Fact]
    public void Waits_for_one_name_and_key_are_found_oldest_first_and_removed_one_by_one()
    {
        var index = new SubscriptionIndex();
        index.Add(Wait("paid", "order-1", 1));
        index.Add(Wait("paid", "order-1", 2));
        index.Add(Wait("paid", "order-1", 3));
        index.Add(Wait("paid", "order-2", 4));
        index.Add(Wait("shipped", "order-1", 5));

        Assert.Equal(5, index.Count);
        Assert.True(index.TryFindFirst("paid", "order-1", out var first));
        Assert.Equal(Wait("paid", "order-1", 1), first);
        Assert.True(index.TryFindFirst("shipped", "order-1", out var other));
        Assert.Equal(5, other.Instance.Value);
        Assert.False(index.TryFindFirst("cancelled", "order-1", out _));
        Assert.False(index.TryFindFirst("paid", "order-3", out _));

        Assert.True(index.Remove(Wait("paid", "order-1", 2)));
        Assert.True(index.Remove(Wait("paid", "order-1", 1)));
        Assert.True(index.TryFindFirst("paid", "order-1", out var third));
        Assert.Equal(3, third.Instance.Value);
        Assert.False(index.Remove(Wait("paid", "order-1", 1)));
        Assert.False(index.Remove(Wait("paid", "order-1", 3, node: 4)));
        Assert.False(index.Remove(Wait("unknown", "order-1", 3)));
        Assert.True(index.Remove(Wait("paid", "order-1", 3)));
        Assert.False(index.TryFindFirst("paid", "order-1", out _));
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void Empty_keys_and_keys_longer_than_a_page_are_kept_and_found()
    {
        var index = new SubscriptionIndex();
        var longKey = new string('x', 40_000) + "end";
        index.Add(Wait("paid", "", 1));
        index.Add(Wait("paid", longKey, 2));
        index.Add(Wait("paid", "short", 3));
        index.Add(Wait("paid", longKey[..^1], 4));

        Assert.True(index.TryFindFirst("paid", "", out var empty));
        Assert.Equal(1, empty.Instance.Value);
        Assert.True(index.TryFindFirst("paid", longKey, out var found));
        Assert.Equal(2, found.Instance.Value);
        Assert.Same(longKey, found.Key);
        Assert.True(index.TryFindFirst("paid", "short", out var shortOne));
        Assert.Equal(3, shortOne.Instance.Value);
        Assert.True(index.TryFindFirst("paid", longKey[..^1], out var prefix));
        Assert.Equal(4, prefix.Instance.Value);
    }

    [Fact]
    public void The_characters_of_removed_keys_are_reclaimed_once_they_outnumber_the_kept_ones()
    {
        var index = new SubscriptionIndex();
        for (var i = 0; i < 200; i++)
        {
            index.Add(Wait("paid", new string((char)('a' + (i % 26)), 1_000) + i, i + 1));
        }

        var held = index.HeldChars;
        for (var i = 0; i < 150; i++)
        {
            Assert.True(index.Remove(Wait("paid", new string((char)('a' + (i % 26)), 1_000) + i, i + 1)));
        }

        Assert.True(index.HeldChars < held / 2, $"held {index.HeldChars} of {held} characters after three quarters of the keys were removed");
        Assert.Equal(50, index.Count);
        for (var i = 150; i < 200; i++)
        {
            Assert.True(index.TryFindFirst("paid", new string((char)('a' + (i % 26)), 1_000) + i, out var kept));
            Assert.Equal(i + 1, kept.Instance.Value);
        }
    }

    [Property(MaxTest = 300)]
    public bool Any_sequence_of_adds_and_removes_finds_what_a_list_in_order_would(Tuple<byte, byte, byte, bool>[] operations)
    {
        var index = new SubscriptionIndex();
        var model = new List<Subscription>();
        foreach (var (rawName, rawKey, rawInstance, remove) in operations)
        {
            // Few names, keys and instances, so that keys repeat and waits pile up; every seventh key is long.
            var name = "m" + (rawName % 3);
            var key = rawKey % 7 == 0 ? new string('k', 5_000) + (rawKey % 5) : "k" + (rawKey % 5);
            var wait = Wait(name, key, 1 + (rawInstance % 4));
            if (remove)
            {
                var at = model.IndexOf(wait);
                if (at >= 0)
                {
                    model.RemoveAt(at);
                }

                if (index.Remove(wait) != at >= 0)
                {
                    return false;
                }
            }
            else
            {
                index.Add(wait);
                model.Add(wait);
            }
        }

        if (index.Count != model.Count)
        {
            return false;
        }

        foreach (var group in model.GroupBy(static s => (s.Name, s.Key)))
        {
            if (!index.TryFindFirst(group.Key.Name, group.Key.Key, out var first) || first != group.First())
            {
                return false;
            }
        }

        return !index.TryFindFirst("m0", "never", out _);
    }
}
