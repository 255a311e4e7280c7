using Microsoft.Data.Sqlite;
using ProcessKit.Sqlite.Schema;

namespace ProcessKit.Sqlite.Writing;

/// <summary>
/// Copies the WAL back into the database file on a connection and thread of its own, so that the writer's
/// commits never wait for it. The writer turns SQLite's automatic checkpoint off and asks for one after it
/// commits (at most every <see cref="Interval"/> while it keeps writing); each is a <c>PASSIVE</c>
/// checkpoint, which never blocks the writer or readers (it copies what no reader still needs, and the
/// writer starts the WAL over once everything was copied).
/// </summary>
/// <remarks>
/// Measured: with SQLite's automatic checkpoint (every 1,000 WAL pages) the writer's commit phase held the
/// checkpoints' page copies and their fsync of the database file. Thread-safe: <see cref="Request"/> may
/// be called from any thread; the checkpoints run one at a time on the loop.
/// </remarks>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    /// <summary>The shortest time between two checkpoints requested by the writer.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _lastRequest;
    private int _pending;
    private long _checkpoints;
    private long _failures;
    private int _disposed;

    /// <summary>
    /// Opens a connection of its own to the store's file, with the store's <paramref name="synchronous"/> setting
    /// (how a checkpoint syncs the WAL and the file follows it), and starts the loop.
    /// </summary>
    public SqliteCheckpointer(string writerConnectionString, TimeSpan busyTimeout, SqliteSynchronousMode synchronous)
    {
        _connection = new SqliteConnection(writerConnectionString);
        try
        {
            _connection.Open();
            using var command = _connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout = {(int)Math.Clamp(busyTimeout.TotalMilliseconds, 0, int.MaxValue)}; PRAGMA synchronous = {(int)synchronous};";
            command.ExecuteNonQuery();
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw SqliteFile.Translate(e, _connection.DataSource);
        }

        _loop = Task.Run(RunAsync);
    }

    /// <summary>How many checkpoints ran (for tests and the benchmark).</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>How many checkpoints failed (each is tried again on the next request; a failure loses nothing, the WAL keeps the pages).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Asks for a checkpoint unless one was asked for within <see cref="Interval"/>; never blocks.</summary>
    public void Request()
    {
        var now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _lastRequest) < Interval.TotalMilliseconds)
        {
            return;
        }

        Interlocked.Exchange(ref _lastRequest, now);
        RequestNow();
    }

    /// <summary>Asks for a checkpoint now (coalesced with one already pending).</summary>
    public void RequestNow()
    {
        if (Volatile.Read(ref _disposed) == 0 && Interlocked.Exchange(ref _pending, 1) == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (ObjectDisposedException)
            {
                // Closed meanwhile: the last connection to close checkpoints the WAL.
            }
        }
    }

    /// <summary>Stops the loop (after the checkpoint it is running) and closes its connection. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await _loop.ConfigureAwait(false);
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _signal.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            while (true)
            {
                try
                {
                    await _signal.WaitAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                Volatile.Write(ref _pending, 0);
                try
                {
                    command.ExecuteNonQuery();
                    Interlocked.Increment(ref _checkpoints);
                }
                catch (SqliteException)
                {
                    // The pages stay in the WAL (readers see them there) and the next request tries again.
                    Interlocked.Increment(ref _failures);
                }
            }
        }
        finally
        {
            _connection.Dispose();
        }
    }
}
