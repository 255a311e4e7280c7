using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;
using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.Sqlite.Schema;
using ProcessKit.Sqlite.Writing;

namespace ProcessKit.Sqlite;

/// <summary>
/// The embedded durable store: definitions, instances, history, tasks, subscriptions, buffered messages,
/// timers and incidents in one SQLite file, written by one group-commit writer (concurrent commits share
/// a transaction and one fsync, and each commit completes only once it is durable).
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe. Open it with <see cref="OpenAsync"/>, or create it with the constructor (no I/O) and let
/// the engine's host prepare it on start. One store uses a file (per tenant) at a time: opening takes an
/// exclusive lock on a side file (<c>&lt;file&gt;-&lt;tenant&gt;.lock</c>) first, and a second store on the same file
/// and tenant, in this process or another, is refused (<see cref="ProcessErrorCodes.StoreUnavailable"/>)
/// without touching the file; the lock ends when the store is disposed or its process exits. On open, the
/// store clears the timer leases a previous process left, so that its timers fire again.
/// </para>
/// <para>
/// Definitions are stored as JSON. A definition holding C# lambdas cannot be written as JSON: its row
/// is kept without JSON, and the application must deploy such a process at every start (the engine
/// keeps the models it deployed; the store cannot give that definition back after a restart).
/// </para>
/// <para>
/// Dispose it with <see cref="DisposeAsync"/>: the commits already accepted are written, then the file
/// is closed.
/// </para>
/// </remarks>
public sealed partial class SqliteProcessStore : IProcessStore, IAsyncDisposable
{
    private readonly SqliteStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly string _tenant;
    private readonly string _leaseOwner = Guid.NewGuid().ToString("N");
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<(string ProcessId, int Version), ProcessDefinition> _definitions = new();
    private Task<SqliteStorage>? _opening;
    private SqliteStorage? _storage;
    private SqliteFileLock? _lock;
    private bool _disposed;

    /// <summary>
    /// Creates the store without touching the file: it is opened, created or migrated by
    /// <c>InitializeAsync</c> (called by the hosting package on start) or by <see cref="OpenAsync"/>.
    /// The options are copied now; later changes to them have no effect.
    /// </summary>
    /// <param name="options">Which file, how durable, which tenant.</param>
    /// <exception cref="ProcessStoreException">The options are not valid (every problem is listed).</exception>
    public SqliteProcessStore(SqliteStoreOptions options)
        : this(options, TimeProvider.System)
    {
    }

    /// <summary>Creates the store with the clock of its group-commit window and deployment times (tests pass a fake one).</summary>
    internal SqliteProcessStore(SqliteStoreOptions options, TimeProvider timeProvider)
    {
        SqliteFile.ThrowIfInvalid(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = new SqliteStoreOptions
        {
            ConnectionString = options.ConnectionString,
            Synchronous = options.Synchronous,
            BusyTimeout = options.BusyTimeout,
            GroupCommitWindow = options.GroupCommitWindow,
            MaxBatchSize = options.MaxBatchSize,
            TenantId = options.TenantId,
            LeaseDuration = options.LeaseDuration,
        };
        _tenant = _options.TenantId;
        _leaseTicks = _options.LeaseDuration.Ticks;
        _time = timeProvider;
    }

    /// <summary>The open storage; throws when the store was not initialized.</summary>
    internal SqliteStorage Storage => Volatile.Read(ref _storage) ?? throw new InvalidOperationException(
        "The SQLite store is not open yet: call InitializeAsync (the hosting package does on start) or open it with SqliteProcessStore.OpenAsync.");

    /// <summary>
    /// Opens the store: checks the file (created when missing), refuses one that is not a ProcessKit
    /// store or has a newer schema, applies the missing migrations and reserves the first ids.
    /// </summary>
    /// <param name="options">Which file, how durable, which tenant; copied.</param>
    /// <param name="cancellationToken">Stops waiting for the open (the file may still be opened and is then closed with the store).</param>
    /// <returns>The open store; dispose it to close the file.</returns>
    /// <exception cref="ProcessStoreException">The options are invalid, the file cannot be opened or written, or its schema is newer.</exception>
    public static ValueTask<SqliteProcessStore> OpenAsync(SqliteStoreOptions options, CancellationToken cancellationToken = default) =>
        OpenCoreAsync(options, TimeProvider.System, cancellationToken);

    /// <summary>Opens with a given clock (tests).</summary>
    internal static async ValueTask<SqliteProcessStore> OpenCoreAsync(SqliteStoreOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var store = new SqliteProcessStore(options, timeProvider);
        try
        {
            await ((IProcessStore)store).InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return store;
    }

    /// <summary>
    /// Writes the commits already accepted, then closes the file. Safe to call twice; the store cannot be
    /// used afterwards.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Task<SqliteStorage>? opening;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            opening = _opening;
        }

        if (opening is null)
        {
            return;
        }

        SqliteStorage storage;
        try
        {
            storage = await opening.ConfigureAwait(false);
        }
        catch (Exception e) when (e is ProcessStoreException or OperationCanceledException or SqliteException)
        {
            return;
        }

        try
        {
            await storage.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            // Only once the file is closed may another store open it.
            Interlocked.Exchange(ref _lock, null)?.Dispose();
        }
    }

    async ValueTask IProcessStore.InitializeAsync(CancellationToken cancellationToken)
    {
        Task<SqliteStorage> opening;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // A failed open makes way for another try.
            if (_opening is { IsFaulted: true } or { IsCanceled: true })
            {
                _opening = null;
            }

            opening = _opening ??= OpenStorageAsync();
        }

        await opening.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<SqliteStorage> OpenStorageAsync()
    {
        // One store per file and tenant: the lock comes first, so a refused open leaves the file untouched.
        var held = await Task.Run(() => SqliteFileLock.Acquire(_options.ConnectionString, _tenant)).ConfigureAwait(false);
        SqliteStorage storage;
        try
        {
            storage = await SqliteStorage.OpenAsync(_options, _time, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            held.Dispose();
            throw;
        }

        try
        {
            // Leases a previous process left (it crashed, or closed while its timers were being fired) end
            // now, so those timers fire again: not early (their due time is kept), and not twice once a
            // firing was committed (that commit deleted the row).
            await storage.Writer.SubmitAsync(ClearLeases, CancellationToken.None).ConfigureAwait(false);
            await Task.WhenAll(
                storage.InstanceIds.WarmUpAsync(CancellationToken.None),
                storage.TaskIds.WarmUpAsync(CancellationToken.None),
                storage.TimerIds.WarmUpAsync(CancellationToken.None),
                storage.MessageIds.WarmUpAsync(CancellationToken.None)).ConfigureAwait(false);
        }
        catch
        {
            await storage.DisposeAsync().ConfigureAwait(false);
            held.Dispose();
            throw;
        }

        Volatile.Write(ref _lock, held);
        Volatile.Write(ref _storage, storage);
        return storage;
    }

    private static int ClearLeases(SqliteWriteContext context)
    {
        var command = context.Command("UPDATE timers SET lease_owner = NULL, lease_expires = NULL WHERE tenant = $tenant AND lease_owner IS NOT NULL;");
        command.Parameters.AddWithValue("$tenant", context.Tenant);
        return command.ExecuteNonQuery();
    }

    async ValueTask<bool> IProcessStore.SaveDefinitionAsync(ProcessDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var json = definition.ContainsLambdas ? null : ProcessDefinitionJson.Write(definition, indented: false);
        var deployed = _time.GetUtcNow().UtcTicks;
        var (existed, existingJson) = await WriteAsync(
            context =>
            {
                var find = context.Command("SELECT json FROM definitions WHERE tenant = $tenant AND process_id = $process AND version = $version;");
                find.Parameters.AddWithValue("$tenant", context.Tenant);
                find.Parameters.AddWithValue("$process", definition.Id);
                find.Parameters.AddWithValue("$version", definition.Version);
                using (var reader = find.ExecuteReader())
                {
                    if (reader.Read())
                    {
                        return (true, reader.IsDBNull(0) ? null : reader.GetString(0));
                    }
                }

                var insert = context.Command("INSERT INTO definitions (tenant, process_id, version, json, deployed_ticks) VALUES ($tenant, $process, $version, $json, $deployed);");
                insert.Parameters.AddWithValue("$tenant", context.Tenant);
                insert.Parameters.AddWithValue("$process", definition.Id);
                insert.Parameters.AddWithValue("$version", definition.Version);
                insert.Parameters.AddWithValue("$json", (object?)json ?? DBNull.Value);
                insert.Parameters.AddWithValue("$deployed", deployed);
                insert.ExecuteNonQuery();
                return (false, (string?)null);
            },
            cancellationToken).ConfigureAwait(false);

        var key = (definition.Id, definition.Version);
        if (!existed)
        {
            _definitions[key] = definition;
            return true;
        }

        bool same;
        if (json is not null || existingJson is not null)
        {
            same = string.Equals(json, existingJson, StringComparison.Ordinal);
        }
        else
        {
            // Both hold lambdas: only a definition deployed by this process can be compared; one deployed
            // before a restart is taken as the same (the application deploys it again at every start).
            same = !_definitions.TryGetValue(key, out var known) || known.Equals(definition);
        }

        if (!same)
        {
            throw new InvalidCommandException(
                ProcessErrorCodes.VersionExists,
                $"Version {definition.Version} of the process '{definition.Id}' is already deployed with other content; deploy the change as a new version.");
        }

        _definitions.TryAdd(key, definition);
        return false;
    }

    ProcessDefinition? IProcessStore.FindDefinition(string processId, int? version)
    {
        if (version is { } v && _definitions.TryGetValue((processId, v), out var known))
        {
            return known;
        }

        var row = Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = version is null
                ? "SELECT version, json FROM definitions WHERE tenant = $tenant AND process_id = $process ORDER BY version DESC LIMIT 1;"
                : "SELECT version, json FROM definitions WHERE tenant = $tenant AND process_id = $process AND version = $version;";
            command.Parameters.AddWithValue("$tenant", _tenant);
            command.Parameters.AddWithValue("$process", processId);
            if (version is { } wanted)
            {
                command.Parameters.AddWithValue("$version", wanted);
            }

            using var reader = command.ExecuteReader();
            return reader.Read() ? (Found: true, Version: reader.GetInt32(0), Json: reader.IsDBNull(1) ? null : reader.GetString(1)) : default;
        });

        return row.Found ? Definition(processId, row.Version, row.Json) : null;
    }

    async ValueTask<IReadOnlyList<ProcessDefinition>> IProcessStore.ListDefinitionsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var rows = await ReadAsync(
            connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT process_id, version, json FROM definitions WHERE tenant = $tenant ORDER BY process_id, version;";
                command.Parameters.AddWithValue("$tenant", _tenant);
                using var reader = command.ExecuteReader();
                var found = new List<(string, int, string?)>();
                while (reader.Read())
                {
                    found.Add((reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
                }

                return found;
            },
            cancellationToken).ConfigureAwait(false);

        var definitions = new List<ProcessDefinition>(rows.Count);
        foreach (var (processId, version, json) in rows)
        {
            if (Definition(processId, version, json) is { } definition)
            {
                definitions.Add(definition);
            }
        }

        return definitions;
    }

    /// <summary>A stored definition: read from its JSON once and kept, or (for one with lambdas) the one deployed by this process, or null.</summary>
    private ProcessDefinition? Definition(string processId, int version, string? json)
    {
        if (_definitions.TryGetValue((processId, version), out var known))
        {
            return known;
        }

        if (json is null)
        {
            return null;
        }

        ProcessDefinition definition;
        try
        {
            definition = ProcessDefinitionJson.Read(json);
        }
        catch (ProcessKitException e)
        {
            throw new ProcessStoreException(
                ProcessErrorCodes.StoreFormatUnsupported,
                $"The stored definition of '{processId}' version {version} cannot be read ({e.Message}); the store was changed outside ProcessKit or is damaged.",
                e);
        }

        return _definitions.GetOrAdd((processId, version), definition);
    }

    InstanceId IProcessStore.NewInstanceId() => new(Storage.InstanceIds.Next());

    long IProcessStore.NewTaskId() => Storage.TaskIds.Next();

    /// <summary>Runs a read on a reader connection; a database failure becomes <see cref="ProcessErrorCodes.StoreUnavailable"/>.</summary>
    private T Read<T>(Func<SqliteConnection, T> query)
    {
        var storage = Storage;
        try
        {
            return storage.Readers.Read(query);
        }
        catch (SqliteException e)
        {
            throw Unavailable(e);
        }
    }

    /// <summary>
    /// A read between commands. Microsoft.Data.Sqlite runs its asynchronous methods synchronously, so the
    /// read runs on the caller's thread either way; this only honours the token first.
    /// </summary>
    private ValueTask<T> ReadAsync<T>(Func<SqliteConnection, T> query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(query));
    }

    /// <summary>Runs a write on the group-commit writer; completes once it is durable.</summary>
    private async ValueTask<T> WriteAsync<T>(Func<SqliteWriteContext, T> work, CancellationToken cancellationToken)
    {
        var storage = Storage;
        try
        {
            return await storage.Writer.SubmitAsync(work, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw Unavailable(e);
        }
    }

    private ProcessStoreException Unavailable(SqliteException e) => new(
        ProcessErrorCodes.StoreUnavailable,
        $"The SQLite store failed ({e.Message}); check that the file is on a local disk this process can read and write, and that no other program holds it locked.",
        e);
}
