using Npgsql;
using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.PostgreSql.Writing;

namespace ProcessKit.PostgreSql;

/// <summary>
/// Keeps process state in PostgreSQL, for several application nodes sharing one database: instances with a version
/// column (a stale commit is refused), history as append-only rows, tasks, subscriptions, buffered and seen messages,
/// incidents, and timers leased with <c>FOR UPDATE SKIP LOCKED</c> and completed only under the lease they were
/// taken with, in the same transaction as the instance update. Every row carries the configured tenant; stores of
/// different tenants on one database see nothing of each other.
/// </summary>
/// <remarks>
/// <para>
/// Make one with <see cref="OpenAsync"/>, or construct it (no I/O) and let <c>ProcessEngine.InitializeAsync</c> (the
/// hosting package calls it at start) open it: opening migrates the schema (safe when several nodes start at once) and
/// reserves this node's number for ids. Using the store before it is open throws <see cref="InvalidOperationException"/>.
/// </para>
/// <para>
/// Commits are grouped: the commits of concurrent commands on this node share one transaction and one round trip, and
/// each command returns only after that transaction committed; a stale commit is refused alone. Four reads made
/// while a command runs are synchronous by the engine's contract and block the calling thread for one round trip on a
/// pooled connection: a definition by version (cached once read), a task by id, a buffered message for a wait just
/// entered, and a user's open-task count (shortest-queue allocation). Instance and task ids are handed out in memory. A
/// task read by id brings its instance's row along, for the command on that task that reads both next.
/// </para>
/// <para>
/// A definition holding C# lambdas cannot be stored as JSON: its row only reserves the id and version, and the
/// application must deploy it on every node at start (<c>ProcessEngine.DeployAsync</c>), as it does anyway to register
/// its handlers. A timer is taken when it is due by both the engine's clock and the database clock.
/// </para>
/// <para>Thread-safe: every member may be called concurrently, and several stores (nodes) may share one database.</para>
/// </remarks>
public sealed partial class PostgreSqlProcessStore : IProcessStore, IAsyncDisposable
{
    private readonly PostgreSqlStoreOptions _options;
    private readonly Lock _openGate = new();
    private Task? _opening;
    private PostgreSqlInfrastructure? _infrastructure;
    private Statements? _sql;
    private CommitWriter? _writer;
    private bool _disposed;

    /// <summary>Creates a store over the database the options name, without connecting; open it before use.</summary>
    /// <param name="options">The settings, read when the store opens; do not change them after.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public PostgreSqlProcessStore(PostgreSqlStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Creates a store and opens it: validates the options, migrates the schema and reserves this node's number.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>The open store; dispose it to close its connections.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The options are incomplete or contradictory.</exception>
    /// <exception cref="ProcessStoreException">The server cannot be reached or refuses the login (<see cref="ProcessErrorCodes.StoreUnavailable"/>), or the schema was migrated by a newer release (<see cref="ProcessErrorCodes.StoreSchemaTooNew"/>).</exception>
    public static async ValueTask<PostgreSqlProcessStore> OpenAsync(PostgreSqlStoreOptions options, CancellationToken cancellationToken = default)
    {
        var store = new PostgreSqlProcessStore(options);
        try
        {
            await store.OpenCoreAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closes the store's connections. Idempotent; the store cannot be used after.</summary>
    /// <returns>A task that completes when the connections are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        Task? opening;
        lock (_openGate)
        {
            if (_disposed)
                return;
            _disposed = true;
            opening = _opening;
        }

        if (opening is not null)
        {
            try
            {
                await opening.ConfigureAwait(false);
            }
            catch (Exception e) when (e is ProcessStoreException or NpgsqlException or InvalidOperationException or OperationCanceledException)
            {
                // Nothing was opened, so there is nothing to close.
            }
        }

        // Commits already accepted are sent and answered before the connections close.
        if (Volatile.Read(ref _writer) is { } writer)
            await writer.DisposeAsync().ConfigureAwait(false);
        await StopAnalyzingAsync().ConfigureAwait(false);
        await DisposeWaiterAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _infrastructure) is { } infrastructure)
            await infrastructure.DisposeAsync().ConfigureAwait(false);
    }

    ValueTask IProcessStore.InitializeAsync(CancellationToken cancellationToken) => new(OpenCoreAsync(cancellationToken));

    InstanceId IProcessStore.NewInstanceId() => new(NextId());

    long IProcessStore.NewTaskId() => NextId();

    private long NextId()
    {
        var infrastructure = Ready();
        try
        {
            return infrastructure.Ids.Next();
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    private Task OpenCoreAsync(CancellationToken cancellationToken)
    {
        lock (_openGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // A failed or cancelled opening is tried again by the next caller.
            if (_opening is null || _opening.IsFaulted || _opening.IsCanceled)
                _opening = OpenOnceAsync(cancellationToken);
            return _opening.WaitAsync(cancellationToken);
        }
    }

    private async Task OpenOnceAsync(CancellationToken cancellationToken)
    {
        PostgreSqlInfrastructure infrastructure;
        try
        {
            infrastructure = await PostgreSqlInfrastructure.OpenAsync(_options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }

        try
        {
            _sql = new Statements(infrastructure.Schema);
            var next = await infrastructure.Timers.NextDueTicksAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _nextDue, next ?? long.MaxValue);
            if (_options.CommitWriters > 0)
                Volatile.Write(ref _writer, new CommitWriter(infrastructure.DataSource, _options.CommitWriters));
            Volatile.Write(ref _infrastructure, infrastructure);
        }
        catch (Exception e)
        {
            await infrastructure.DisposeAsync().ConfigureAwait(false);
            if (IsUnavailable(e))
                throw Unavailable(e);
            throw;
        }
    }

    /// <summary>The open building blocks, or a clear error when the store is not open (or disposed).</summary>
    private PostgreSqlInfrastructure Ready()
    {
        if (Volatile.Read(ref _infrastructure) is { } infrastructure)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
            return infrastructure;
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        throw new InvalidOperationException(
            "The PostgreSQL store is not open yet: create it with PostgreSqlProcessStore.OpenAsync, or call ProcessEngine.InitializeAsync (the hosting package does at start) before the first command.");
    }

    /// <summary>For benchmarks and tests: transactions and commits the group-commit writer sent so far ((0, 0) without it).</summary>
    internal (long Transactions, long Commits) CommitCounts => Volatile.Read(ref _writer) is { } w ? (w.Transactions, w.Commits) : (0, 0);

    /// <summary>For benchmarks: tells <paramref name="traced"/> where each grouped commit's time went (nothing without group commit).</summary>
    internal void TraceCommits(Action<CommitTrace>? traced)
    {
        if (Volatile.Read(ref _writer) is { } writer)
            writer.Traced = traced;
    }

    private string Tenant => _options.TenantId;

    private Statements Sql => _sql!;

    /// <summary>Raises <see cref="_lastNowTicks"/> to the engine time of a call (the latest engine time this store was told).</summary>
    private void SawNow(long nowTicks) => AtomicLong.RaiseTo(ref _lastNowTicks, nowTicks);

    /// <summary>Whether a failure means the database cannot be used now (unreachable, login refused, shutting down), rather than a fault of the request.</summary>
    internal static bool IsUnavailable(Exception e)
    {
        if (e is not NpgsqlException npgsql)
            return false;
        if (npgsql is not PostgresException postgres)
            return true; // transport: refused, reset, timed out
        var state = postgres.SqlState;
        return state.StartsWith("08", StringComparison.Ordinal) // connection exception
            || state.StartsWith("28", StringComparison.Ordinal) // invalid authorization
            || state is "3D000" or "53300" or "57P01" or "57P02" or "57P03"; // no such database, too many connections, shutdown
    }

    private static ProcessStoreException Unavailable(Exception e) =>
        new(ProcessErrorCodes.StoreUnavailable, $"The PostgreSQL store cannot be used: {e.Message}. Check that the server is running and reachable and that the connection string's database and credentials are right.", e);
}
