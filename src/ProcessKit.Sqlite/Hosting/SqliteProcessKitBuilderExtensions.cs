using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ProcessKit.Sqlite;

namespace ProcessKit.Hosting;

/// <summary>Keeps ProcessKit's state in a SQLite file, from <c>services.AddProcessKit(pk =&gt; pk.UseSqlite(...))</c>.</summary>
public static class SqliteProcessKitBuilderExtensions
{
    /// <summary>
    /// Keeps definitions, instances, tasks, timers, messages and history in one SQLite file (WAL journal,
    /// <c>synchronous=FULL</c> by default, group commit). The file and its schema are created or migrated
    /// when the host starts; a file of a newer ProcessKit version is refused then with a
    /// <see cref="ProcessStoreException"/>. Calling it again replaces the earlier choice of store.
    /// </summary>
    /// <param name="builder">The ProcessKit builder.</param>
    /// <param name="connectionString">Where the file is: <c>Data Source=processkit.db</c> (the default) is a file in the working directory.</param>
    /// <param name="configure">Sets further options (synchronous mode, busy timeout, group-commit window, tenant). Optional.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException">The connection string is empty, or an option is out of range (the message lists every problem).</exception>
    public static ProcessKitBuilder UseSqlite(this ProcessKitBuilder builder, string connectionString = SqliteStoreOptions.DefaultConnectionString, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new SqliteStoreOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException($"The SQLite store options are not valid: {string.Join(" ", problems)}", nameof(configure));
        }

        // The container owns the store, so it is disposed (its writer drained) when the host stops.
        builder.Services.RemoveAll<SqliteProcessStore>();
        builder.Services.AddSingleton(_ => new SqliteProcessStore(options));
        return builder.UseStore(static services => services.GetRequiredService<SqliteProcessStore>());
    }
}
