namespace ProcessKit.Sqlite;

/// <summary>
/// The error codes of <see cref="SqliteStoreException"/>. They follow the style of
/// <see cref="ProcessErrorCodes"/>; the shared ones belong there once the durable stores ship.
/// </summary>
/// <remarks>Constants only; thread-safe.</remarks>
internal static class SqliteStoreErrors
{
    /// <summary>The file exists but is not a SQLite database, or is damaged.</summary>
    public const string NotADatabase = "store.not-a-database";

    /// <summary>The file is a SQLite database of another application.</summary>
    public const string ForeignDatabase = "store.foreign-database";

    /// <summary>The file or its folder cannot be written.</summary>
    public const string ReadOnly = "store.read-only";

    /// <summary>The file cannot be opened (missing folder, permissions, locked beyond the busy timeout).</summary>
    public const string Unavailable = "store.unavailable";

    /// <summary>The file's schema is newer than this version of ProcessKit knows.</summary>
    public const string SchemaNewer = "store.schema-newer";

    /// <summary>The options are not valid.</summary>
    public const string OptionsInvalid = "store.options-invalid";

    /// <summary>The store is closed: the write was not accepted or not run.</summary>
    public const string Closed = "store.closed";

    /// <summary>The transaction holding the write failed to commit: the write is not stored.</summary>
    public const string CommitFailed = "store.commit-failed";
}
