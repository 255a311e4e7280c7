using Npgsql;
using ProcessKit.PostgreSql.Ids;
using ProcessKit.PostgreSql.Leasing;
using ProcessKit.PostgreSql.Schema;

namespace ProcessKit.PostgreSql;

/// <summary>
/// The store's building blocks opened from <see cref="PostgreSqlStoreOptions"/>: validates the options, creates the
/// data sources (a pool for the store's statements, an unpooled one for the waiters' LISTEN connections), migrates the schema, reserves this node's number for ids, and wires the timer queue and waiters with
/// the configured tenant, lease and backoff. The options are read once, at open. Thread-safe: every member may be used
/// concurrently, except that each <see cref="TimerWaiter"/> belongs to one worker loop.
/// </summary>
internal sealed class PostgreSqlInfrastructure : IAsyncDisposable
{
    private readonly TimeSpan _backoffMin;
    private readonly TimeSpan _backoffMax;

    private PostgreSqlInfrastructure(
        PostgreSqlStoreOptions options,
        NpgsqlDataSource dataSource,
        NpgsqlDataSource listenDataSource,
        StoreSchema schema,
        MigrationResult migration,
        IdAllocator ids)
    {
        DataSource = dataSource;
        ListenDataSource = listenDataSource;
        Schema = schema;
        Migration = migration;
        Ids = ids;
        Tenant = options.TenantId;
        _backoffMin = options.PollingBackoffMin;
        _backoffMax = options.PollingBackoffMax;
        // The node number makes the owner unique per opening: a restarted node never passes for its former self.
        LeaseOwner = $"{options.EffectiveNodeName}#{ids.NodeNumber}";
        Timers = new TimerQueue(dataSource, schema, Tenant, options.LeaseDuration, notifyHorizon: _backoffMax);
    }

    /// <summary>
    /// The connection pool of the database, opened with <see cref="WithAutoPrepareAndNoReset"/>: its connections go back
    /// to the pool without Npgsql's session reset, so whoever uses one must leave no session state on it (no session
    /// <c>SET</c>, LISTEN, session advisory lock, temporary table or open cursor). Disposed with this object.
    /// </summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// The data source of the waiters' LISTEN connections (<see cref="ForListening"/>): it does not pool, so closing a
    /// listening connection ends its session and no pooled connection is ever left listening. Disposed with this object.
    /// </summary>
    public NpgsqlDataSource ListenDataSource { get; }

    /// <summary>The store's schema names.</summary>
    public StoreSchema Schema { get; }

    /// <summary>What the migration at open did.</summary>
    public MigrationResult Migration { get; }

    /// <summary>The id allocator of this node.</summary>
    public IdAllocator Ids { get; }

    /// <summary>The tenant of this store.</summary>
    public string Tenant { get; }

    /// <summary>The owner recorded on the leases this node takes: the node name and the node number reserved at open.</summary>
    public string LeaseOwner { get; }

    /// <summary>The timer queue of this tenant, announcing timers due within the longest polling backoff.</summary>
    public TimerQueue Timers { get; }

    /// <summary>Opens the building blocks; the schema is migrated before this returns.</summary>
    /// <exception cref="InvalidOperationException">The options are incomplete or contradictory.</exception>
    /// <exception cref="ProcessStoreException">The schema is newer than this code (<see cref="ProcessErrorCodes.StoreSchemaTooNew"/>).</exception>
    public static async Task<PostgreSqlInfrastructure> OpenAsync(PostgreSqlStoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var schema = new StoreSchema(options.SchemaName);
        var dataSource = NpgsqlDataSource.Create(WithAutoPrepareAndNoReset(options.ConnectionString));
        var listenDataSource = NpgsqlDataSource.Create(ForListening(options.ConnectionString));
        try
        {
            var migration = await new SchemaMigrator(dataSource, schema).MigrateAsync(cancellationToken).ConfigureAwait(false);
            var ids = await IdAllocator.OpenAsync(dataSource, schema, cancellationToken).ConfigureAwait(false);
            return new PostgreSqlInfrastructure(options, dataSource, listenDataSource, schema, migration, ids);
        }
        catch
        {
            await listenDataSource.DisposeAsync().ConfigureAwait(false);
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The statements prepared per connection when the connection string does not say (Npgsql's Max Auto Prepare).</summary>
    internal const int DefaultMaxAutoPrepare = 64;

    /// <summary>The keyword under which Npgsql's connection string builder keeps No Reset On Close, whatever spelling was parsed.</summary>
    private const string NoResetOnCloseKeyword = "No Reset On Close";

    /// <summary>
    /// The connection string of the store's pool, with two Npgsql settings added when it does not set them:
    /// automatic preparation (<c>Max Auto Prepare</c> = <see cref="DefaultMaxAutoPrepare"/> when 0 or absent), because
    /// the store sends the same few statements all the time, and a grouped commit sends many at once, so parsing and
    /// planning them again on every call is most of the server's work; and <c>No Reset On Close=true</c> when the
    /// keyword is absent (in any spelling Npgsql accepts), because the reset Npgsql sends when a connection goes back to
    /// the pool (seven statements, parsed by the server every time) came about three times per completed task, and the
    /// store leaves no session state to reset. An explicit <c>No Reset On Close</c>, true or false, is kept.
    /// </summary>
    internal static string WithAutoPrepareAndNoReset(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        // Keys lists only what the string set, under Npgsql's canonical keyword (ContainsKey would answer for any known keyword).
        if (!builder.Keys.Contains(NoResetOnCloseKeyword))
            builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    /// <summary>
    /// The connection string of the LISTEN connections: the user's, without pooling (and so without multiplexing, which
    /// needs a pool), so that closing a listening connection closes its session instead of handing it, still
    /// listening, to the next user of a pool.
    /// </summary>
    internal static string ForListening(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Multiplexing = false };
        return builder.ConnectionString;
    }

    /// <summary>A new, not yet started waiter for one worker loop, with the configured backoff, listening on a connection that is not pooled; the caller disposes it.</summary>
    public TimerWaiter CreateWaiter(TimeProvider timeProvider) =>
        new(ListenDataSource, Schema, Tenant, _backoffMin, _backoffMax, timeProvider);

    /// <summary>Closes the data sources' connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await ListenDataSource.DisposeAsync().ConfigureAwait(false);
        await DataSource.DisposeAsync().ConfigureAwait(false);
    }
}
