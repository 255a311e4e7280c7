namespace ProcessKit.Persistence;

/// <summary>
/// A map from the ids the in-memory store hands out (positive, dense, counted up from 1) to a
/// <see cref="long"/>, kept in pages of plain arrays indexed by id: eight bytes per id, no entry
/// objects, nothing to rehash or copy as it grows, and nothing for the garbage collector to trace.
/// It stands where a <c>Dictionary&lt;long, long&gt;</c> of a million entries would rehash into
/// ever larger arrays. An id beyond the pages' reach (never handed out by the store, but possible)
/// goes to a dictionary on the side.
/// </summary>
/// <remarks>Not thread-safe: the store calls it under its lock.</remarks>
internal sealed class IdMap
{
    // 4,096 entries (32 KB) a page: small enough for the small object heap, large enough that a
    // million ids take 245 pages.
    private const int PageBits = 12;
    private const int PageSize = 1 << PageBits;
    private const int PageMask = PageSize - 1;

    // Ids up to 2^32 sit in pages; a directory of up to a million page slots (8 MB) at most.
    private const long MaxPaged = 1L << 32;

    // A stored value is kept with its sign bit flipped, so that 0 marks an empty slot (and long.MinValue cannot be stored).
    private const long Flip = long.MinValue;

    private long[]?[] _pages = new long[]?[8];
    private Dictionary<long, long>? _far;

    /// <summary>How many ids have a value.</summary>
    public int Count { get; private set; }

    /// <summary>The value of <paramref name="id"/>, if it has one.</summary>
    public bool TryGetValue(long id, out long value)
    {
        if (IsPaged(id))
        {
            var page = id >> PageBits;
            if (page < _pages.Length && _pages[page] is { } entries && entries[id & PageMask] is var stored and not 0)
            {
                value = stored ^ Flip;
                return true;
            }

            value = 0;
            return false;
        }

        value = 0;
        return _far is not null && _far.TryGetValue(id, out value);
    }

    /// <summary>Whether <paramref name="id"/> has a value.</summary>
    public bool ContainsKey(long id) => TryGetValue(id, out _);

    /// <summary>Sets the value of <paramref name="id"/>, adding it or replacing what it had.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is <see cref="long.MinValue"/> (not representable).</exception>
    public void Set(long id, long value)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(value, long.MinValue);
        if (!IsPaged(id))
        {
            _far ??= [];
            var before = _far.Count;
            _far[id] = value;
            Count += _far.Count - before;
            return;
        }

        ref var slot = ref Slot(id);
        if (slot == 0)
        {
            Count++;
        }

        slot = value ^ Flip;
    }

    /// <summary>Removes <paramref name="id"/>; false when it had no value.</summary>
    public bool Remove(long id)
    {
        if (!IsPaged(id))
        {
            if (_far is not null && _far.Remove(id))
            {
                Count--;
                return true;
            }

            return false;
        }

        var page = id >> PageBits;
        if (page < _pages.Length && _pages[page] is { } entries && entries[id & PageMask] != 0)
        {
            entries[id & PageMask] = 0;
            Count--;
            return true;
        }

        return false;
    }

    /// <summary>Replaces every value with what <paramref name="change"/> makes of it (id, value), in id order of the pages, then the others.</summary>
    public void Update(Func<long, long, long> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var p = 0; p < _pages.Length; p++)
        {
            if (_pages[p] is not { } entries)
            {
                continue;
            }

            for (var i = 0; i < entries.Length; i++)
            {
                if (entries[i] != 0)
                {
                    var changed = change(((long)p << PageBits) | (uint)i, entries[i] ^ Flip);
                    ArgumentOutOfRangeException.ThrowIfEqual(changed, long.MinValue);
                    entries[i] = changed ^ Flip;
                }
            }
        }

        if (_far is not null)
        {
            foreach (var id in _far.Keys.ToArray())
            {
                var changed = change(id, _far[id]);
                ArgumentOutOfRangeException.ThrowIfEqual(changed, long.MinValue);
                _far[id] = changed;
            }
        }
    }

    /// <summary>Every id with its value: those in pages in id order, then the others.</summary>
    public IEnumerable<KeyValuePair<long, long>> Entries()
    {
        for (var p = 0; p < _pages.Length; p++)
        {
            if (_pages[p] is not { } entries)
            {
                continue;
            }

            for (var i = 0; i < entries.Length; i++)
            {
                if (entries[i] != 0)
                {
                    yield return new KeyValuePair<long, long>(((long)p << PageBits) | (uint)i, entries[i] ^ Flip);
                }
            }
        }

        if (_far is not null)
        {
            foreach (var pair in _far)
            {
                yield return pair;
            }
        }
    }

    private static bool IsPaged(long id) => id is > 0 and < MaxPaged;

    private ref long Slot(long id)
    {
        var page = (int)(id >> PageBits);
        if (page >= _pages.Length)
        {
            Array.Resize(ref _pages, Math.Max(_pages.Length * 2, page + 1));
        }

        var entries = _pages[page] ??= new long[PageSize];
        return ref entries[id & PageMask];
    }
}
