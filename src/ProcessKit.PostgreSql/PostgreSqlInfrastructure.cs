using Npgsql;
using ProcessKit.PostgreSql.Ids;
using ProcessKit.PostgreSql.Leasing;
using ProcessKit.PostgreSql.Schema;

namespace ProcessKit.PostgreSql;

/// <summary>
/// The store's building blocks opened from <see cref="PostgreSqlStoreOptions"/>: validates the options, creates the
/// data source, migrates the schema, reserves this node's number for ids, and wires the timer queue and waiters with
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
        StoreSchema schema,
        MigrationResult migration,
        IdAllocator ids)
    {
        DataSource = dataSource;
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

    /// <summary>The connection pool of the database; disposed with this object.</summary>
    public NpgsqlDataSource DataSource { get; }

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
        var dataSource = NpgsqlDataSource.Create(WithAutoPrepare(options.ConnectionString));
        try
        {
            var migration = await new SchemaMigrator(dataSource, schema).MigrateAsync(cancellationToken).ConfigureAwait(false);
            var ids = await IdAllocator.OpenAsync(dataSource, schema, cancellationToken).ConfigureAwait(false);
            return new PostgreSqlInfrastructure(options, dataSource, schema, migration, ids);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The statements prepared per connection when the connection string does not say (Npgsql's Max Auto Prepare).</summary>
    internal const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// The connection string with Npgsql's automatic preparation turned on when it does not set it: the store sends the
    /// same few statements all the time, and a grouped commit sends many at once, so parsing and planning them again
    /// on every call is most of the server's work.
    /// </summary>
    internal static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        return builder.ConnectionString;
    }

    /// <summary>A new, not yet started waiter for one worker loop, with the configured backoff; the caller disposes it.</summary>
    public TimerWaiter CreateWaiter(TimeProvider timeProvider) =>
        new(DataSource, Schema, Tenant, _backoffMin, _backoffMax, timeProvider);

    /// <summary>Closes the data source's connections.</summary>
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
