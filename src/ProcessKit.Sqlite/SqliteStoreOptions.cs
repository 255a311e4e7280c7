using Microsoft.Data.Sqlite;

namespace ProcessKit.Sqlite;

/// <summary>
/// Settings of the SQLite store: which file, how durable a commit is, how long to wait for a lock,
/// and how the writer groups commits. Check them with <see cref="Validate"/> before use.
/// </summary>
/// <remarks>
/// A plain settings object: not thread-safe while it is being changed; the store reads it once when it
/// opens, so later changes have no effect on an open store.
/// </remarks>
public sealed class SqliteStoreOptions
{
    /// <summary>The default connection string: the file <c>processkit.db</c> in the working directory.</summary>
    internal const string DefaultConnectionString = "Data Source=processkit.db";

    /// <summary>The default tenant id: <c>default</c>.</summary>
    internal const string DefaultTenantId = "default";

    /// <summary>The longest allowed group-commit window: one second.</summary>
    internal static readonly TimeSpan MaxGroupCommitWindow = TimeSpan.FromSeconds(1);

    /// <summary>The largest allowed batch: 100,000 items.</summary>
    internal const int MaxAllowedBatchSize = 100_000;

    /// <summary>The longest allowed timer lease: one day.</summary>
    internal static readonly TimeSpan MaxLeaseDuration = TimeSpan.FromDays(1);

    /// <summary>
    /// The Microsoft.Data.Sqlite connection string of the store's file. Default
    /// <c>Data Source=processkit.db</c> (created when missing). It must name a file: in-memory databases
    /// and read-only modes are refused, and the store manages pooling itself.
    /// </summary>
    public string ConnectionString { get; set; } = DefaultConnectionString;

    /// <summary>
    /// How durable a commit is. Default <see cref="SqliteSynchronousMode.Full"/>: every acknowledged
    /// commit survives a power loss. <see cref="SqliteSynchronousMode.Normal"/> is faster and may lose
    /// the last commits on power loss, but never corrupts the file.
    /// </summary>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Full;

    /// <summary>
    /// How long a connection waits for a lock held by another connection before failing
    /// (<c>PRAGMA busy_timeout</c>). Default 5 seconds; zero fails at once; at most
    /// <see cref="int.MaxValue"/> milliseconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the writer, after the first write of a batch arrives, waits for more writes to share the
    /// same transaction and fsync. Default zero: commit at once what is queued; writes that arrive while a
    /// commit is running still share the next one, which on a disk whose fsync takes milliseconds already
    /// groups many writes (measured here: a window of 1 ms or 5 ms lowered throughput and raised latency
    /// for 4 and for 64 concurrent writers). A window can help where fsync is fast and writes arrive
    /// spread out. Between zero and one second; the window ends early when <see cref="MaxBatchSize"/>
    /// writes are queued.
    /// </summary>
    public TimeSpan GroupCommitWindow { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The most writes committed in one transaction. Default 512; between 1 and 100,000.
    /// </summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// The tenant whose rows the store reads and writes; several tenants can share one file.
    /// Default <c>default</c>; at most 128 characters, no control characters.
    /// </summary>
    public string TenantId { get; set; } = DefaultTenantId;

    /// <summary>
    /// How long a timer or job taken to be fired stays this store's, by the engine's clock: when its command neither
    /// commits nor gives it back within that time (a hung or failed firing), the timer is due again and fired anew, and
    /// a late commit under the old lease is refused. Default 5 minutes; more than zero and at most one day. Keep it longer
    /// than the slowest job handler, or a job still running is started a second time.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Checks every setting and returns one plain sentence per problem (empty when all are valid), so
    /// that a host can refuse to start with all of them at once. Reads the settings only.
    /// </summary>
    /// <returns>The problems found; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        ValidateConnectionString(problems);
        if (!Enum.IsDefined(Synchronous))
        {
            problems.Add($"SqliteStoreOptions.Synchronous is {(int)Synchronous}, which is not a mode: use Normal, Full or Extra.");
        }

        if (BusyTimeout < TimeSpan.Zero || BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            problems.Add($"SqliteStoreOptions.BusyTimeout is {BusyTimeout}: it must be between zero and {int.MaxValue} milliseconds.");
        }

        if (GroupCommitWindow < TimeSpan.Zero || GroupCommitWindow > MaxGroupCommitWindow)
        {
            problems.Add($"SqliteStoreOptions.GroupCommitWindow is {GroupCommitWindow}: it must be between zero (commit at once) and {MaxGroupCommitWindow}.");
        }

        if (MaxBatchSize < 1 || MaxBatchSize > MaxAllowedBatchSize)
        {
            problems.Add($"SqliteStoreOptions.MaxBatchSize is {MaxBatchSize}: it must be between 1 and {MaxAllowedBatchSize}.");
        }

        if (LeaseDuration <= TimeSpan.Zero || LeaseDuration > MaxLeaseDuration)
        {
            problems.Add($"SqliteStoreOptions.LeaseDuration is {LeaseDuration}: it must be more than zero and at most {MaxLeaseDuration}.");
        }

        if (string.IsNullOrWhiteSpace(TenantId))
        {
            problems.Add("SqliteStoreOptions.TenantId is empty: give a tenant id (the default is \"default\").");
        }
        else if (TenantId.Length > 128 || TenantId.Any(char.IsControl))
        {
            problems.Add("SqliteStoreOptions.TenantId must be at most 128 characters without control characters.");
        }

        return problems;
    }

    private void ValidateConnectionString(List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            problems.Add($"SqliteStoreOptions.ConnectionString is empty: give one that names a file, for example \"{DefaultConnectionString}\".");
            return;
        }

        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(ConnectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            problems.Add($"SqliteStoreOptions.ConnectionString cannot be read: {e.Message}");
            return;
        }

        var source = builder.DataSource;
        if (string.IsNullOrWhiteSpace(source))
        {
            problems.Add($"SqliteStoreOptions.ConnectionString names no file: add a Data Source, for example \"{DefaultConnectionString}\".");
        }
        else if (builder.Mode == SqliteOpenMode.Memory || source.Trim() == ":memory:")
        {
            problems.Add("SqliteStoreOptions.ConnectionString names an in-memory database: the store needs a file (use the in-memory store for tests without a file).");
        }

        if (builder.Mode == SqliteOpenMode.ReadOnly)
        {
            problems.Add("SqliteStoreOptions.ConnectionString opens the file read-only (Mode=ReadOnly): the store writes to it; remove the Mode or use ReadWriteCreate.");
        }
    }
}
