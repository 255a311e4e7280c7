namespace ProcessKit.Sqlite;

/// <summary>
/// How hard SQLite works to make a commit durable (<c>PRAGMA synchronous</c>) in WAL mode. Modes that
/// can corrupt the file on power loss (<c>OFF</c>) are not offered.
/// </summary>
/// <remarks>An enumeration; thread-safe.</remarks>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// The log is synced at checkpoints only, not at every commit: faster, and the file is never
    /// corrupted, but the last commits acknowledged before a power loss or an operating-system crash
    /// may be lost. A crash of the process alone loses nothing.
    /// </summary>
    Normal = 1,

    /// <summary>
    /// Every commit is synced to disk before it is acknowledged: nothing acknowledged is lost on power
    /// loss. The default.
    /// </summary>
    Full = 2,

    /// <summary>Like <see cref="Full"/>, and the directory is synced as well after the log is reset.</summary>
    Extra = 3,
}
