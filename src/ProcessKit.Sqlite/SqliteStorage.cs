using Microsoft.Data.Sqlite;
using ProcessKit.Sqlite.Ids;
using ProcessKit.Sqlite.Reading;
using ProcessKit.Sqlite.Schema;
using ProcessKit.Sqlite.Writing;

namespace ProcessKit.Sqlite;

/// <summary>
/// An open SQLite store file: the group-commit writer, the reader pool and the id allocators, for the
/// store implementation to build on. Opening checks the file, sets the pragmas and migrates the schema.
/// </summary>
/// <remarks>Thread-safe. Dispose it (preferably with <see cref="DisposeAsync"/>, which commits the accepted writes) to close the file.</remarks>
internal sealed class SqliteStorage : IAsyncDisposable, IDisposable
{
    /// <summary>The id kind of process instances.</summary>
    public const string InstanceIdKind = "instance";

    /// <summary>The id kind of human tasks.</summary>
    public const string TaskIdKind = "task";

    /// <summary>The id kind of timers.</summary>
    public const string TimerIdKind = "timer";

    /// <summary>The id kind of buffered messages (their sequence).</summary>
    public const string MessageIdKind = "message";

    private readonly string _writerConnectionString;
    private readonly int _busyTimeoutMilliseconds;
    private readonly SqliteSynchronousMode _synchronous;

    private SqliteStorage(SqliteStoreOptions options, SqliteWriter writer, SqliteCheckpointer checkpointer)
    {
        Checkpointer = checkpointer;
        _busyTimeoutMilliseconds = (int)Math.Clamp(options.BusyTimeout.TotalMilliseconds, 0, int.MaxValue);
        _synchronous = options.Synchronous;
        _writerConnectionString = SqliteFile.WriterConnectionString(options.ConnectionString);
        Tenant = options.TenantId;
        Writer = writer;
        Readers = new SqliteReaderPool(options.ConnectionString, options.BusyTimeout, maxIdle: Math.Max(4, 2 * Environment.ProcessorCount));
        InstanceIds = new SqliteIdAllocator(writer, InstanceIdKind, SqliteIdAllocator.DefaultBlockSize, ReserveNow);
        TaskIds = new SqliteIdAllocator(writer, TaskIdKind, SqliteIdAllocator.DefaultBlockSize, ReserveNow);
        TimerIds = new SqliteIdAllocator(writer, TimerIdKind, SqliteIdAllocator.DefaultBlockSize, ReserveNow);
        MessageIds = new SqliteIdAllocator(writer, MessageIdKind, SqliteIdAllocator.DefaultBlockSize, ReserveNow);
    }

    /// <summary>The tenant whose rows this store reads and writes.</summary>
    public string Tenant { get; }

    /// <summary>The one writer.</summary>
    public SqliteWriter Writer { get; }

    /// <summary>Copies the WAL into the file beside the writer.</summary>
    public SqliteCheckpointer Checkpointer { get; }

    /// <summary>Reader connections.</summary>
    public SqliteReaderPool Readers { get; }

    /// <summary>Instance ids.</summary>
    public SqliteIdAllocator InstanceIds { get; }

    /// <summary>Task ids.</summary>
    public SqliteIdAllocator TaskIds { get; }

    /// <summary>Timer ids.</summary>
    public SqliteIdAllocator TimerIds { get; }

    /// <summary>Buffered message sequence numbers.</summary>
    public SqliteIdAllocator MessageIds { get; }

    /// <summary>
    /// Opens the file named by <paramref name="options"/> (created when missing): validates the options,
    /// refuses a file that is not a ProcessKit store, is read-only or has a newer schema, sets WAL and the
    /// pragmas, applies the missing migrations and starts the writer. The blocking open runs on the
    /// thread pool.
    /// </summary>
    /// <param name="options">The settings; read once.</param>
    /// <param name="timeProvider">The clock of the group-commit window.</param>
    /// <param name="cancellationToken">Cancels before the file is opened.</param>
    public static async Task<SqliteStorage> OpenAsync(SqliteStoreOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        SqliteFile.ThrowIfInvalid(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var connection = await Task.Run(() => SqliteFile.OpenWriter(options), cancellationToken).ConfigureAwait(false);
        SqliteCheckpointer checkpointer;
        try
        {
            // The writer's commits never run a checkpoint: the checkpointer does, on its own connection.
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "PRAGMA wal_autocheckpoint = 0;";
                command.ExecuteNonQuery();
            }

            checkpointer = new SqliteCheckpointer(SqliteFile.WriterConnectionString(options.ConnectionString), options.BusyTimeout, options.Synchronous);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        var writer = new SqliteWriter(connection, options.TenantId, options.GroupCommitWindow, options.MaxBatchSize, timeProvider, checkpointer);
        return new SqliteStorage(options, writer, checkpointer);
    }

    /// <summary>
    /// Reserves a block of ids at once on a connection of its own (when an allocator's background
    /// reservation came too late); waits at most the busy timeout for the writer's transaction.
    /// </summary>
    private long ReserveNow(string kind, int count)
    {
        using var connection = new SqliteConnection(_writerConnectionString);
        try
        {
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}; PRAGMA synchronous = {(int)_synchronous};";
                pragma.ExecuteNonQuery();
            }

            return SqliteIdAllocator.ReserveImmediately(connection, Tenant, kind, count);
        }
        catch (SqliteException e)
        {
            throw SqliteFile.Translate(e, connection.DataSource);
        }
    }

    /// <summary>Commits the writes already accepted, then closes the writer and the readers.</summary>
    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync().ConfigureAwait(false);
        await Checkpointer.DisposeAsync().ConfigureAwait(false);
        Readers.Dispose();
    }

    /// <summary>Fails the writes not yet started and closes the readers; the writer closes its connection after its current batch.</summary>
    public void Dispose()
    {
        Writer.Dispose();
        _ = Checkpointer.DisposeAsync().AsTask();
        Readers.Dispose();
    }
}
