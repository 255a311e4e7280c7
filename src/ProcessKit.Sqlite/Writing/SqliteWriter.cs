using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace ProcessKit.Sqlite.Writing;

/// <summary>
/// The store's one writer: a single connection and a single background loop that commits queued writes
/// in groups. The loop takes the writes queued within the group-commit window (up to the batch size),
/// runs each inside one transaction under its own savepoint, commits once (one fsync), and only then
/// completes each caller's task.
/// </summary>
/// <remarks>
/// <para><see cref="SubmitAsync{T}"/> is thread-safe; the writes themselves run one at a time on the loop.</para>
/// <para>
/// A write that throws is rolled back to its savepoint alone and its caller gets the exception; the
/// others of the batch commit. A failed BEGIN or COMMIT fails every write of the batch with
/// <see cref="SqliteStoreErrors.CommitFailed"/>. A write whose caller cancels before it starts never
/// runs and its task is cancelled; once started it is committed and its caller gets the result.
/// </para>
/// <para>
/// <see cref="DisposeAsync"/> stops accepting writes, commits every write already accepted and closes
/// the connection. <see cref="Dispose"/> does not wait: it stops accepting writes, fails the writes not
/// yet started with <see cref="SqliteStoreErrors.Closed"/>, and the loop closes the connection after the
/// batch it is running.
/// </para>
/// </remarks>
internal sealed class SqliteWriter : IAsyncDisposable, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteWriteContext _context;
    private readonly Channel<WriteItem> _queue = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _abort = new();
    private readonly TimeSpan _window;
    private readonly int _maxBatchSize;
    private readonly TimeProvider _time;
    private readonly string _file;
    private readonly SavepointStatement _savepoint;
    private readonly SavepointStatement _release;
    private readonly SavepointStatement _rollbackToSavepoint;
    private readonly SqliteCheckpointer? _checkpointer;
    private readonly Task _loop;
    private long _commits;
    private long _committedWrites;
    private long _runTicks;
    private long _commitTicks;
    private long _completeTicks;
    private int _disposed;

    /// <summary>
    /// Starts the loop on an open, configured connection, which the writer then owns. With a
    /// <paramref name="checkpointer"/>, the writer asks it for a checkpoint after its commits (the connection's
    /// automatic checkpoint should then be off).
    /// </summary>
    public SqliteWriter(SqliteConnection connection, string tenant, TimeSpan window, int maxBatchSize, TimeProvider timeProvider, SqliteCheckpointer? checkpointer = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _connection = connection;
        _file = connection.DataSource;
        _context = new SqliteWriteContext(connection, tenant);
        _window = window;
        _maxBatchSize = maxBatchSize;
        _time = timeProvider;
        _savepoint = new SavepointStatement(connection, "SAVEPOINT item;");
        _release = new SavepointStatement(connection, "RELEASE item;");
        _rollbackToSavepoint = new SavepointStatement(connection, "ROLLBACK TO item;");
        _checkpointer = checkpointer;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>How many transactions the writer has committed (for tests and telemetry).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>How many writes those transactions held, counting writes that threw and were rolled back to their savepoint.</summary>
    public long CommittedWrites => Interlocked.Read(ref _committedWrites);

    /// <summary>
    /// Where the loop's time went, summed over the batches (for the benchmark): running the writes (BEGIN,
    /// savepoints and each write's statements), the COMMIT (the WAL write and its fsync), and completing
    /// the callers' tasks.
    /// </summary>
    public (TimeSpan Run, TimeSpan Commit, TimeSpan Complete) Phases => (
        TimeSpan.FromTicks((long)(Interlocked.Read(ref _runTicks) * TickScale)),
        TimeSpan.FromTicks((long)(Interlocked.Read(ref _commitTicks) * TickScale)),
        TimeSpan.FromTicks((long)(Interlocked.Read(ref _completeTicks) * TickScale)));

    private static double TickScale => (double)TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency;

    /// <summary>
    /// Queues <paramref name="work"/> to run on the writer's connection inside a batch transaction. The
    /// returned task completes after that transaction committed: with the write's result, with the
    /// exception the write threw (its changes undone), with <see cref="SqliteStoreErrors.CommitFailed"/>
    /// when the commit failed, or cancelled when <paramref name="cancellationToken"/> fired before the
    /// write started. Thread-safe.
    /// </summary>
    /// <param name="work">Runs SQL through the context; must not block on other writes.</param>
    /// <param name="cancellationToken">Cancels the write while it is still queued.</param>
    public Task<T> SubmitAsync<T>(Func<SqliteWriteContext, T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var item = new WriteItem<T>(work, cancellationToken);
        item.ListenForCancellation();
        if (!_queue.Writer.TryWrite(item))
        {
            item.Fail(Closed());
        }

        return item.Task;
    }

    /// <summary>Stops accepting writes, commits those already accepted, then closes the connection. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _queue.Writer.TryComplete();
        }

        await _loop.ConfigureAwait(false);

        // Nothing cancels it any more: Dispose does nothing once either dispose ran, and the loop has ended.
        _abort.Dispose();
    }

    /// <summary>
    /// Stops accepting writes and fails those not yet started; returns at once, and the loop closes the
    /// connection after the batch it is running. Safe to call twice.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _queue.Writer.TryComplete();
            _abort.Cancel();
        }
    }

    private ProcessStoreException Closed() => new(
        SqliteStoreErrors.Closed,
        $"The SQLite store '{_file}' is closed: this write was not run and nothing of it is stored.");

    private async Task RunAsync()
    {
        var batch = new List<WriteItem>(Math.Min(_maxBatchSize, 1024));
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (batch.Count < _maxBatchSize && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                if (_window > TimeSpan.Zero && batch.Count < _maxBatchSize && !_abort.IsCancellationRequested)
                {
                    await GatherAsync(batch).ConfigureAwait(false);
                }

                try
                {
                    RunBatch(batch);
                }
                catch (Exception e)
                {
                    // Whatever went wrong, no caller may wait forever: the batch fails, the loop goes on.
                    FailAll(batch, new ProcessStoreException(SqliteStoreErrors.CommitFailed, $"The SQLite writer failed ({e.Message}); the write is not stored.", e));
                }

                batch.Clear();
            }
        }
        finally
        {
            _context.Dispose();
            _savepoint.Dispose();
            _release.Dispose();
            _rollbackToSavepoint.Dispose();
            _connection.Dispose();
        }
    }

    /// <summary>Adds the writes that arrive within the window, until the batch is full or the writer closes.</summary>
    private async Task GatherAsync(List<WriteItem> batch)
    {
        var reader = _queue.Reader;
        using var window = new CancellationTokenSource(_window, _time);
        using var abort = _abort.Token.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), window);
        try
        {
            while (batch.Count < _maxBatchSize)
            {
                if (reader.TryRead(out var item))
                {
                    batch.Add(item);
                }
                else if (!await reader.WaitToReadAsync(window.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (window.IsCancellationRequested)
        {
            // The window closed: commit what came.
        }
    }

    private void RunBatch(List<WriteItem> batch)
    {
        SqliteTransaction? transaction = null;
        var started = 0;
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        long t1 = t0;
        try
        {
            foreach (var item in batch)
            {
                if (_abort.IsCancellationRequested || !item.TryStart())
                {
                    // Cancelled by its caller (its task is already cancelled), or the writer is closing.
                    item.Fail(Closed());
                    continue;
                }

                if (transaction is null)
                {
                    transaction = _connection.BeginTransaction(deferred: false);
                    _context.Begin(transaction);
                }

                started++;
                _savepoint.Run();
                item.Run(_context);
                if (item.Threw)
                {
                    _rollbackToSavepoint.Run();
                }

                _release.Run();
            }

            t1 = System.Diagnostics.Stopwatch.GetTimestamp();
            transaction?.Commit();
        }
        catch (SqliteException e)
        {
            RollBack(transaction);
            FailAll(batch, new ProcessStoreException(
                SqliteStoreErrors.CommitFailed,
                $"The transaction holding this write failed ({e.Message}); nothing of the write is stored.",
                e));
            return;
        }
        finally
        {
            _context.End();
            transaction?.Dispose();
        }

        var t2 = System.Diagnostics.Stopwatch.GetTimestamp();
        if (transaction is not null)
        {
            Interlocked.Increment(ref _commits);
            Interlocked.Add(ref _committedWrites, started);
        }

        foreach (var item in batch)
        {
            item.Complete();
        }

        Interlocked.Add(ref _runTicks, t1 - t0);
        Interlocked.Add(ref _commitTicks, t2 - t1);
        Interlocked.Add(ref _completeTicks, System.Diagnostics.Stopwatch.GetTimestamp() - t2);
        if (transaction is not null)
        {
            _checkpointer?.Request();
        }
    }

    private static void RollBack(SqliteTransaction? transaction)
    {
        if (transaction is null)
        {
            return;
        }

        try
        {
            transaction.Rollback();
        }
        catch (SqliteException)
        {
            // SQLite already rolled the transaction back (it does on I/O errors and a full disk).
        }
    }

    private static void FailAll(List<WriteItem> batch, Exception exception)
    {
        foreach (var item in batch)
        {
            item.Fail(exception);
        }
    }
}
