namespace ProcessKit.Sqlite;

/// <summary>
/// The error codes of the SQLite store's own conditions, carried by a <see cref="ProcessStoreException"/>.
/// What users can meet with a file (not a database, another application's, read-only, unavailable, a newer
/// schema) uses the shared codes of <see cref="ProcessErrorCodes"/> instead.
/// </summary>
/// <remarks>Constants only; thread-safe.</remarks>
internal static class SqliteStoreErrors
{
    /// <summary>The options are not valid.</summary>
    public const string OptionsInvalid = "store.options-invalid";

    /// <summary>The store is closed: the write was not accepted or not run.</summary>
    public const string Closed = "store.closed";

    /// <summary>The transaction holding the write failed to commit: the write is not stored.</summary>
    public const string CommitFailed = "store.commit-failed";
}
