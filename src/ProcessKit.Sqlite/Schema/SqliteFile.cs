using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ProcessKit.Sqlite.Schema;

/// <summary>
/// Opens the store's file: the writer connection (checked, configured and migrated) and reader
/// connections. Turns SQLite's failures at open into <see cref="ProcessStoreException"/>s that say what
/// is wrong with the file and what to do.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class SqliteFile
{
    /// <summary>
    /// Opens the writer connection: refuses a file that is not a SQLite database, belongs to another
    /// application, has a newer schema (left unchanged) or cannot be written; then sets
    /// <c>journal_mode=WAL</c>, <c>synchronous</c>, <c>busy_timeout</c> and <c>foreign_keys</c>, and applies
    /// the missing migrations in one transaction.
    /// </summary>
    public static SqliteConnection OpenWriter(SqliteStoreOptions options)
    {
        ThrowIfInvalid(options);
        return OpenWriter(WriterConnectionString(options.ConnectionString), options.Synchronous, options.BusyTimeout);
    }

    /// <summary>Opens the writer connection from a connection string used as given (tests use it to open read-only files).</summary>
    internal static SqliteConnection OpenWriter(string connectionString, SqliteSynchronousMode synchronous, TimeSpan busyTimeout)
    {
        var connection = new SqliteConnection(connectionString);
        var file = connection.DataSource;
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {Milliseconds(busyTimeout)};");
            CheckIdentity(connection, file);
            if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
            {
                throw ReadOnly(file, null);
            }

            var mode = Convert.ToString(Scalar(connection, "PRAGMA journal_mode = WAL;"), CultureInfo.InvariantCulture);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new ProcessStoreException(
                    ProcessErrorCodes.StoreUnavailable,
                    $"The store '{file}' could not switch to WAL journaling (the journal mode stayed '{mode}'): the store needs a file on a local disk whose folder it can write.");
            }

            Execute(connection, $"PRAGMA synchronous = {(int)synchronous}; PRAGMA foreign_keys = ON;");
            SqliteMigrations.Apply(connection);
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw Translate(e, file);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens a reader connection on a file the writer has opened: <c>query_only</c>, with the busy timeout.</summary>
    public static SqliteConnection OpenReader(string readerConnectionString, TimeSpan busyTimeout)
    {
        var connection = new SqliteConnection(readerConnectionString);
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {Milliseconds(busyTimeout)}; PRAGMA query_only = 1;");
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw Translate(e, connection.DataSource);
        }
    }

    /// <summary>The writer's connection string: the user's, with pooling off (the writer keeps one connection).</summary>
    public static string WriterConnectionString(string connectionString) =>
        new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();

    /// <summary>The readers' connection string: the user's, with pooling off (the store pools readers) and never creating the file.</summary>
    public static string ReaderConnectionString(string connectionString) =>
        new SqliteConnectionStringBuilder(connectionString) { Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString();

    /// <summary>Throws <see cref="SqliteStoreErrors.OptionsInvalid"/> with every problem of <paramref name="options"/>.</summary>
    public static void ThrowIfInvalid(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ProcessStoreException(SqliteStoreErrors.OptionsInvalid, "The SQLite store options are not valid: " + string.Join(" ", problems));
        }
    }

    /// <summary>Turns a SQLite failure at open into an error that names the file and what to do.</summary>
    public static ProcessStoreException Translate(SqliteException e, string file) => e.SqliteErrorCode switch
    {
        SQLitePCL.raw.SQLITE_NOTADB or SQLitePCL.raw.SQLITE_CORRUPT => new ProcessStoreException(
            ProcessErrorCodes.StoreUnavailable,
            $"The file '{file}' is not a SQLite database or is damaged ({e.Message}): point the connection string at a ProcessKit store or at a new file name.",
            e),
        SQLitePCL.raw.SQLITE_READONLY => ReadOnly(file, e),
        _ => new ProcessStoreException(
            ProcessErrorCodes.StoreUnavailable,
            $"The store '{file}' could not be opened ({e.Message}): check that the folder exists, that this process may read and write it, and that no other program holds the file locked.",
            e),
    };

    private static ProcessStoreException ReadOnly(string file, Exception? inner) => new(
        ProcessErrorCodes.StoreUnavailable,
        $"The store '{file}' is read-only: the store writes to the file and creates '-wal' and '-shm' files beside it, so the file and its folder must be writable by this process.",
        inner);

    /// <summary>Refuses a newer schema and another application's database before anything is written.</summary>
    private static void CheckIdentity(SqliteConnection connection, string file)
    {
        var version = SqliteMigrations.ReadVersion(connection);
        if (version > SqliteMigrations.CurrentVersion)
        {
            throw SqliteMigrations.SchemaNewer(file, version);
        }

        var application = SqliteMigrations.ReadApplicationId(connection);
        var foreign = application != 0
            ? application != SqliteMigrations.ApplicationId
            : version != 0 || Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM sqlite_schema;"), CultureInfo.InvariantCulture) > 0;
        if (foreign)
        {
            throw new ProcessStoreException(
                ProcessErrorCodes.StoreUnavailable,
                $"The file '{file}' is a SQLite database of another application (it has tables but is not marked as a ProcessKit store); it was left unchanged: give the store a file of its own.");
        }
    }

    private static int Milliseconds(TimeSpan span) => (int)Math.Clamp(span.TotalMilliseconds, 0, int.MaxValue);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
