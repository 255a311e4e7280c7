namespace ProcessKit.Persistence;

/// <summary>
/// The in-memory store's instances of one process, by version and id, for instance queries: per
/// version an array of ids kept in ascending order. Ids are handed out counting up, so a new
/// instance almost always goes at the end (when two starts commit out of order, it goes a place or
/// two before); a million instances cost eight megabytes of <see cref="long"/>s and not a million
/// tree nodes for the garbage collector to trace.
/// </summary>
/// <remarks>Not thread-safe: the store calls it under its lock.</remarks>
internal sealed class ProcessInstanceIndex
{
    // Versions in ascending order, each with its ids; a process has few versions.
    private readonly List<VersionIds> _versions = [];

    /// <summary>Adds instance <paramref name="id"/> of <paramref name="version"/>; an id already there is not added again.</summary>
    public void Add(int version, long id)
    {
        // A plain loop: a predicate capturing the version would allocate a closure and a delegate per instance.
        var at = 0;
        while (at < _versions.Count && _versions[at].Version < version)
        {
            at++;
        }

        if (at == _versions.Count || _versions[at].Version != version)
        {
            _versions.Insert(at, new VersionIds(version));
        }

        _versions[at].Add(id);
    }

    /// <summary>
    /// The ids in (version, id) order from (<paramref name="fromVersion"/>, <paramref name="fromId"/>)
    /// to (<paramref name="toVersion"/>, <paramref name="toId"/>), both included.
    /// </summary>
    public IEnumerable<long> Between(int fromVersion, long fromId, int toVersion, long toId)
    {
        foreach (var ids in _versions)
        {
            if (ids.Version < fromVersion || ids.Version > toVersion)
            {
                continue;
            }

            var first = ids.Version == fromVersion ? ids.FirstAtLeast(fromId) : 0;
            var last = ids.Version == toVersion ? ids.FirstAtLeast(toId == long.MaxValue ? toId : toId + 1) : ids.Count;
            for (var i = first; i < last; i++)
            {
                yield return ids[i];
            }
        }
    }

    /// <summary>Whether the process has no instance.</summary>
    public bool IsEmpty => _versions.TrueForAll(static v => v.Count == 0);

    private sealed class VersionIds(int version)
    {
        private long[] _ids = new long[16];

        public int Version { get; } = version;

        public int Count { get; private set; }

        public long this[int index] => _ids[index];

        public void Add(long id)
        {
            var at = Count;
            if (Count > 0 && _ids[Count - 1] >= id)
            {
                at = FirstAtLeast(id);
                if (_ids[at] == id)
                {
                    return;
                }
            }

            if (Count == _ids.Length)
            {
                Array.Resize(ref _ids, _ids.Length * 2);
            }

            Array.Copy(_ids, at, _ids, at + 1, Count - at);
            _ids[at] = id;
            Count++;
        }

        /// <summary>The index of the first id not below <paramref name="id"/> (<see cref="Count"/> when none).</summary>
        public int FirstAtLeast(long id)
        {
            var index = Array.BinarySearch(_ids, 0, Count, id);
            return index >= 0 ? index : ~index;
        }
    }
}
