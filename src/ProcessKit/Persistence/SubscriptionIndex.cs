using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ProcessKit.Execution;
using ProcessKit.Messaging;

namespace ProcessKit.Persistence;

/// <summary>
/// The in-memory store's waits for messages, by message name and correlation key, oldest first. It
/// stands where a <c>Dictionary&lt;(string, string), ...&gt;</c> kept every waiting instance's key
/// string alive: here the keys' characters are copied into pages of plain <see cref="char"/> arrays
/// and the index's entries hold numbers only, so a million parked instances are a few large arrays
/// the garbage collector neither traces nor promotes object by object (the caller's key string dies
/// young).
/// </summary>
/// <remarks>
/// Not thread-safe: the store calls it under its lock. Space of removed keys is reclaimed by copying
/// the live keys to new pages once the removed characters outnumber the live ones.
/// </remarks>
internal sealed class SubscriptionIndex
{
    // 16,384 characters (32 KB) a page: on the small object heap; a longer key gets a page of its own.
    private const int PageChars = 1 << 14;

    // Reclaim removed keys' characters only past this many, so a small index never copies.
    private const long MinDeadChars = PageChars * 4L;

    private readonly Dictionary<string, int> _nameIds = new(StringComparer.Ordinal);
    private KeyText _text = new();
    private Dictionary<Key, Waits> _waits;
    private Dictionary<Key, List<Wait>>? _more;
    private Dictionary<Key, Waits>.AlternateLookup<(int NameId, string Key)> _lookup;

    public SubscriptionIndex()
    {
        (_waits, _lookup) = NewTable(0);
    }

    /// <summary>How many waits are kept.</summary>
    public int Count { get; private set; }

    /// <summary>The characters held for keys: those of kept keys and those of removed keys not yet reclaimed.</summary>
    public long HeldChars => _text.LiveChars + _text.DeadChars;

    /// <summary>Adds a wait, after every wait already kept for the same name and key.</summary>
    public void Add(Subscription subscription)
    {
        var nameId = NameId(subscription.Name, add: true);
        var wait = new Wait(subscription.Instance.Value, subscription.Node, subscription.StepInstance);
        ref var waits = ref CollectionsMarshal.GetValueRefOrAddDefault(_lookup, (nameId, subscription.Key), out var known);
        if (!known)
        {
            waits = new Waits(wait);
        }
        else
        {
            if (!_lookup.TryGetValue((nameId, subscription.Key), out var actualKey, out _))
            {
                throw new InvalidOperationException("A wait just found is missing from the subscription index.");
            }

            _more ??= new Dictionary<Key, List<Wait>>(_waits.Comparer);
            ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(_more, actualKey, out _);
            (list ??= new List<Wait>(2)).Add(wait);
            waits.HasMore = true;
        }

        Count++;
    }

    /// <summary>The oldest wait for <paramref name="name"/> and <paramref name="key"/>, if any.</summary>
    public bool TryFindFirst(string name, string key, out Subscription subscription)
    {
        if (NameId(name, add: false) is var nameId and > 0 && _lookup.TryGetValue((nameId, key), out var waits))
        {
            subscription = waits.First.ToSubscription(name, key);
            return true;
        }

        subscription = default;
        return false;
    }

    /// <summary>Removes one wait equal to <paramref name="subscription"/> (the oldest such); false when none is kept.</summary>
    public bool Remove(Subscription subscription)
    {
        if (NameId(subscription.Name, add: false) is not (var nameId and > 0))
        {
            return false;
        }

        var alternate = (nameId, subscription.Key);
        ref var waits = ref CollectionsMarshal.GetValueRefOrNullRef(_lookup, alternate);
        if (Unsafe.IsNullRef(ref waits))
        {
            return false;
        }

        var wait = new Wait(subscription.Instance.Value, subscription.Node, subscription.StepInstance);
        List<Wait>? more = null;
        Key key = default;
        if (waits.HasMore)
        {
            _lookup.TryGetValue(alternate, out key, out _);
            more = _more![key];
        }

        if (waits.First == wait)
        {
            if (more is null)
            {
                _lookup.Remove(alternate, out var removed, out _);
                _text.Free(removed.Length);
                Count--;
                ReclaimIfWorthIt();
                return true;
            }

            waits.First = more[0];
            more.RemoveAt(0);
        }
        else if (more is null || !more.Remove(wait))
        {
            return false;
        }

        if (more.Count == 0)
        {
            _more!.Remove(key);
            waits.HasMore = false;
        }

        Count--;
        return true;
    }

    private int NameId(string name, bool add)
    {
        if (_nameIds.TryGetValue(name, out var id))
        {
            return id;
        }

        if (!add)
        {
            return 0;
        }

        // Numbered from 1: 0 stands for a name never added.
        id = _nameIds.Count + 1;
        _nameIds.Add(name, id);
        return id;
    }

    private (Dictionary<Key, Waits> Table, Dictionary<Key, Waits>.AlternateLookup<(int NameId, string Key)> Lookup) NewTable(int capacity)
    {
        var table = new Dictionary<Key, Waits>(capacity, new KeyComparer(this));
        return (table, table.GetAlternateLookup<(int NameId, string Key)>());
    }

    /// <summary>Copies the live keys to new pages once the removed characters outnumber them.</summary>
    private void ReclaimIfWorthIt()
    {
        if (_text.DeadChars < MinDeadChars || _text.DeadChars < _text.LiveChars)
        {
            return;
        }

        var old = _text;
        var oldMore = _more;
        _text = new KeyText();
        var (table, lookup) = NewTable(_waits.Count);
        Dictionary<Key, List<Wait>>? more = oldMore is null ? null : new Dictionary<Key, List<Wait>>(table.Comparer);
        foreach (var (key, waits) in _waits)
        {
            var moved = key with { Text = _text.Store(old.Span(key)) };
            table.Add(moved, waits);
            if (waits.HasMore)
            {
                more!.Add(moved, oldMore![key]);
            }
        }

        (_waits, _lookup, _more) = (table, lookup, more);
    }

    private static int HashOf(int nameId, ReadOnlySpan<char> key) => HashCode.Combine(nameId, string.GetHashCode(key, StringComparison.Ordinal));

    /// <summary>A key in the index: the name's number, the hash, and where the key's characters are.</summary>
    private readonly record struct Key(int NameId, int Hash, long Text, int Length);

    /// <summary>One wait: the instance, the step and its run.</summary>
    private readonly record struct Wait(long Instance, int Node, int StepInstance)
    {
        public Subscription ToSubscription(string name, string key) => new(name, key, new InstanceId(Instance), Node, StepInstance);
    }

    /// <summary>The waits of one key: the oldest inline, the rest (rare) in a list on the side.</summary>
    private struct Waits(Wait first)
    {
        public Wait First = first;
        public bool HasMore;
    }

    /// <summary>Compares stored keys with each other and with a (name number, key string) being looked up.</summary>
    private sealed class KeyComparer(SubscriptionIndex owner) : IEqualityComparer<Key>, IAlternateEqualityComparer<(int NameId, string Key), Key>
    {
        public bool Equals(Key x, Key y) =>
            x.NameId == y.NameId && x.Hash == y.Hash && x.Length == y.Length
            && (x.Text == y.Text || owner._text.Span(x).SequenceEqual(owner._text.Span(y)));

        public int GetHashCode(Key obj) => obj.Hash;

        public bool Equals((int NameId, string Key) alternate, Key other) =>
            alternate.NameId == other.NameId && alternate.Key.Length == other.Length && owner._text.Span(other).SequenceEqual(alternate.Key);

        public int GetHashCode((int NameId, string Key) alternate) => HashOf(alternate.NameId, alternate.Key);

        public Key Create((int NameId, string Key) alternate) =>
            new(alternate.NameId, HashOf(alternate.NameId, alternate.Key), owner._text.Store(alternate.Key), alternate.Key.Length);
    }

    /// <summary>Keys' characters, appended to pages; a reference is the page's number and the offset in it.</summary>
    private sealed class KeyText
    {
        private readonly List<char[]> _pages = [];
        private int _used = PageChars;

        public long LiveChars { get; private set; }

        public long DeadChars { get; private set; }

        public long Store(ReadOnlySpan<char> text)
        {
            LiveChars += text.Length;
            if (text.Length > PageChars)
            {
                // A page of its own; the next short key starts a new shared page.
                _pages.Add(text.ToArray());
                _used = PageChars;
                return Reference(_pages.Count - 1, 0);
            }

            if (_pages.Count == 0 || PageChars - _used < text.Length)
            {
                _pages.Add(new char[PageChars]);
                _used = 0;
            }

            text.CopyTo(_pages[^1].AsSpan(_used));
            var stored = Reference(_pages.Count - 1, _used);
            _used += text.Length;
            return stored;
        }

        public void Free(int length)
        {
            LiveChars -= length;
            DeadChars += length;
        }

        public ReadOnlySpan<char> Span(Key key) => _pages[(int)(key.Text >> 32)].AsSpan((int)key.Text, key.Length);

        private static long Reference(int page, int offset) => ((long)page << 32) | (uint)offset;
    }
}
