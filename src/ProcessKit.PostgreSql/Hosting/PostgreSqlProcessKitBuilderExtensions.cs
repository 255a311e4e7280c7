using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ProcessKit.PostgreSql;

namespace ProcessKit.Hosting;

/// <summary>Keeps ProcessKit's state in PostgreSQL, from <c>services.AddProcessKit(pk =&gt; pk.UsePostgreSql(...))</c>.</summary>
public static class PostgreSqlProcessKitBuilderExtensions
{
    /// <summary>
    /// Keeps definitions, instances, tasks, timers, messages and history in a PostgreSQL database that
    /// several app nodes may share (timers and jobs are leased, so each runs on one node). The schema is
    /// created or migrated when the host starts, safely when several nodes start at once; a schema of a
    /// newer ProcessKit version is refused then with a <see cref="ProcessStoreException"/>. Calling it again
    /// replaces the earlier choice of store. The worker wakes when any node inserts a timer or job due
    /// soon (LISTEN/NOTIFY), and otherwise polls with the store's backoff
    /// (<see cref="PostgreSqlStoreOptions.PollingBackoffMin"/> to <see cref="PostgreSqlStoreOptions.PollingBackoffMax"/>)
    /// as the backstop, so it needs no <see cref="ProcessKitBuilder.WithMaxWait(TimeSpan)"/>.
    /// </summary>
    /// <param name="builder">The ProcessKit builder.</param>
    /// <param name="connectionString">The Npgsql connection string of the database.</param>
    /// <param name="configure">Sets further options (schema name, tenant, lease duration, polling backoff, node name). Optional.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException">The connection string is empty, or an option is out of range or contradicts another.</exception>
    public static ProcessKitBuilder UsePostgreSql(this ProcessKitBuilder builder, string connectionString, Action<PostgreSqlStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new PostgreSqlStoreOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        try
        {
            options.Validate();
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"The PostgreSQL store options are not valid: {e.Message}", nameof(configure), e);
        }

        // The container owns the store, so it is disposed (its connections closed) when the host stops.
        builder.Services.RemoveAll<PostgreSqlProcessStore>();
        builder.Services.AddSingleton(_ => new PostgreSqlProcessStore(options));
        return builder.UseStore(static services => services.GetRequiredService<PostgreSqlProcessStore>());
    }
}
