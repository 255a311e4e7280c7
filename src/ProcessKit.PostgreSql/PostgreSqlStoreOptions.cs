using ProcessKit.PostgreSql.Schema;

namespace ProcessKit.PostgreSql;

/// <summary>
/// Settings of the PostgreSQL store: where the database is, which schema and tenant this node uses,
/// how long a leased timer or job stays owned, and how the polling backstop backs off.
/// </summary>
/// <remarks>
/// Each setter checks its own value and throws <see cref="ArgumentException"/> (or a subclass) at once;
/// the settings that depend on each other (the backoff bounds, a missing connection string) are checked
/// again when the store opens. Configure an instance before the store opens and do not change it after:
/// the type is not thread-safe for concurrent writes.
/// </remarks>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>The longest tenant id or node name accepted, in characters.</summary>
    private const int MaxNameLength = 200;

    private static readonly TimeSpan MaxLease = TimeSpan.FromDays(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    private string _connectionString = "";
    private string _schemaName = "processkit";
    private string _tenantId = "default";
    private TimeSpan _leaseDuration = TimeSpan.FromSeconds(30);
    private TimeSpan _pollingBackoffMin = TimeSpan.FromMilliseconds(100);
    private TimeSpan _pollingBackoffMax = TimeSpan.FromSeconds(5);
    private string? _nodeName;

    /// <summary>
    /// The Npgsql connection string of the database, for example
    /// <c>Host=db;Database=app;Username=app;Password=...</c>. Default: empty, which the store refuses when it opens.
    /// The store adds two Npgsql settings to it and keeps whatever the string sets explicitly:
    /// <list type="bullet">
    /// <item><description><c>Max Auto Prepare=64</c> when it does not set <c>Max Auto Prepare</c> (or sets 0): Npgsql then
    /// prepares the statements the store sends most, which the grouped commits rely on.</description></item>
    /// <item><description><c>No Reset On Close=true</c> when it does not set <c>No Reset On Close</c> (in any spelling Npgsql
    /// accepts; an explicit <c>false</c> or <c>true</c> is kept): a connection going back to the store's pool is not
    /// reset, which saves the server seven statements each time. The store leaves no session state on its connections
    /// (its LISTEN connection is not pooled); a data source of your own built from the same string is not affected.</description></item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public string ConnectionString
    {
        get => _connectionString;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _connectionString = value;
        }
    }

    /// <summary>
    /// The PostgreSQL schema that holds the store's tables; created by the migrations when missing.
    /// Default: <c>processkit</c>. Must match <c>[a-z_][a-z0-9_]{0,62}</c> and must not start with <c>pg_</c>
    /// (reserved by PostgreSQL); several stores can share one database in different schemas.
    /// </summary>
    /// <exception cref="ArgumentException">The value is not such an identifier.</exception>
    public string SchemaName
    {
        get => _schemaName;
        set
        {
            StoreSchema.ThrowIfInvalidName(value, nameof(SchemaName));
            _schemaName = value;
        }
    }

    /// <summary>
    /// The tenant whose rows this node reads and writes; every table carries it first in its key.
    /// Default: <c>default</c>. Any non-blank text up to 200 characters.
    /// </summary>
    /// <exception cref="ArgumentException">The value is null, blank or longer than 200 characters.</exception>
    public string TenantId
    {
        get => _tenantId;
        set
        {
            ThrowIfBadName(value, nameof(TenantId));
            _tenantId = value;
        }
    }

    /// <summary>
    /// How long a leased timer or job stays owned by the node that leased it, measured by the database clock;
    /// after that another node may take it over and the first node's completion is refused.
    /// Default: 30 seconds. Must be more than zero and at most one day.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    public TimeSpan LeaseDuration
    {
        get => _leaseDuration;
        set
        {
            ThrowIfOutOfRange(value, MaxLease, nameof(LeaseDuration));
            _leaseDuration = value;
        }
    }

    /// <summary>
    /// The shortest wait between two polls for due timers when no notification arrives; the wait doubles after
    /// each idle poll up to <see cref="PollingBackoffMax"/> and falls back here when work is found.
    /// Default: 100 milliseconds. Must be more than zero, at most one hour, and not more than <see cref="PollingBackoffMax"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    public TimeSpan PollingBackoffMin
    {
        get => _pollingBackoffMin;
        set
        {
            ThrowIfOutOfRange(value, MaxBackoff, nameof(PollingBackoffMin));
            _pollingBackoffMin = value;
        }
    }

    /// <summary>
    /// The longest wait between two polls for due timers: the backstop for a lost notification. A timer inserted
    /// due sooner than this sends a notification that wakes waiting nodes at once.
    /// Default: 5 seconds. Must be more than zero, at most one hour, and not less than <see cref="PollingBackoffMin"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    public TimeSpan PollingBackoffMax
    {
        get => _pollingBackoffMax;
        set
        {
            ThrowIfOutOfRange(value, MaxBackoff, nameof(PollingBackoffMax));
            _pollingBackoffMax = value;
        }
    }

    /// <summary>
    /// A readable name of this node, recorded as the owner of the leases it takes (with a number reserved when the
    /// store opens, so two runs under the same name never share an owner). Default: null, meaning the machine name
    /// and the process id. Non-blank text up to 200 characters when set.
    /// </summary>
    /// <exception cref="ArgumentException">The value is blank or longer than 200 characters.</exception>
    public string? NodeName
    {
        get => _nodeName;
        set
        {
            if (value is not null)
                ThrowIfBadName(value, nameof(NodeName));
            _nodeName = value;
        }
    }

    /// <summary>
    /// Whether this node analyzes the store's busiest tables (instances, tasks, history, timers, subscriptions) in the
    /// background after its 1,000th, 10,000th and 100,000th commit since it opened. Default: <see langword="true"/>.
    /// </summary>
    /// <remarks>
    /// The store prepares its statements, and PostgreSQL keeps a prepared statement's plan until the statistics of its
    /// tables change. On a new database autovacuum analyzes a table after its first 50 changes and then once a tenth of
    /// it changed, in rounds a minute apart, so under load a table can grow a thousandfold between two analyses while
    /// the plans made for a few rows (a sequential scan, or an index searched by tenant alone) read more of it with
    /// every statement. These three analyses give the planner the tables' sizes while they grow fastest; after them
    /// autovacuum keeps up. Each is one <c>ANALYZE</c> statement, run on a pooled connection outside any commit; a
    /// failed one changes nothing and is counted (the <c>processkit.postgresql.statistics_refreshes</c> counter, tagged
    /// with its outcome). PostgreSQL analyzes only tables the login owns and warns about the rest; turn this off when
    /// the database's administrators keep the statistics themselves.
    /// </remarks>
    public bool AnalyzeWhileNew { get; set; } = true;

    /// <summary>After how many commits since it opened this node analyzes the tables (see <see cref="AnalyzeWhileNew"/>); tests set their own.</summary>
    internal long[] AnalyzeAfterCommits { get; set; } = [1_000, 10_000, 100_000];

    /// <summary>The node name in use: <see cref="NodeName"/>, or the machine name and process id when it is not set.</summary>
    internal string EffectiveNodeName => _nodeName ?? $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// How many group-commit writers send commits (each keeps one transaction in flight); 0 commits every command in a
    /// transaction of its own, as before group commit (kept for comparison in benchmarks and tests). Default: 2.
    /// </summary>
    internal int CommitWriters { get; set; } = 2;

    /// <summary>Checks the settings that depend on each other; called when the store opens.</summary>
    /// <exception cref="InvalidOperationException">A setting is missing or the settings contradict each other.</exception>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(_connectionString))
            throw new InvalidOperationException($"{nameof(PostgreSqlStoreOptions)}.{nameof(ConnectionString)} is not set: give the Npgsql connection string of the database, e.g. \"Host=db;Database=app;Username=app;Password=...\".");
        if (_pollingBackoffMin > _pollingBackoffMax)
            throw new InvalidOperationException($"{nameof(PostgreSqlStoreOptions)}.{nameof(PollingBackoffMin)} ({_pollingBackoffMin}) is more than {nameof(PollingBackoffMax)} ({_pollingBackoffMax}): the shortest wait between polls cannot exceed the longest.");
    }

    private static void ThrowIfBadName(string? value, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, name);
        if (value.Length > MaxNameLength)
            throw new ArgumentException($"{name} has {value.Length} characters; at most {MaxNameLength} are allowed.", name);
    }

    private static void ThrowIfOutOfRange(TimeSpan value, TimeSpan max, string name)
    {
        if (value <= TimeSpan.Zero || value > max)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be more than zero and at most {max}.");
    }
}
