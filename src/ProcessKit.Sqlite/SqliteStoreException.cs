namespace ProcessKit.Sqlite;

/// <summary>
/// A failure of the SQLite store that the caller can act on: the file is not a database, is read-only,
/// comes from a newer version, the options are invalid, the store is closed or a commit failed.
/// Callers catch <see cref="ProcessKitException"/> and read <see cref="ProcessKitException.ErrorCode"/>
/// (one of <see cref="SqliteStoreErrors"/>).
/// </summary>
internal sealed class SqliteStoreException : ProcessKitException
{
    public SqliteStoreException(string errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}
