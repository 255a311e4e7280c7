using Npgsql;
using ProcessKit.PostgreSql.Schema;

namespace ProcessKit.PostgreSql.Tests.Server;

/// <summary>One fresh database on the throwaway server, with a data source; disposing closes the data source's connections and drops the database.</summary>
public sealed class TestDatabase(string name, string connectionString, Func<string, Task> drop) : IAsyncDisposable
{
    public string Name { get; } = name;

    public string ConnectionString { get; } = connectionString;

    public NpgsqlDataSource DataSource { get; } = NpgsqlDataSource.Create(connectionString);

    /// <summary>Migrates <paramref name="schemaName"/> to the latest version and returns it.</summary>
    internal async Task<StoreSchema> MigrateAsync(string schemaName = "processkit")
    {
        var schema = new StoreSchema(schemaName);
        await new SchemaMigrator(DataSource, schema).MigrateAsync(TestContext.Current.CancellationToken);
        return schema;
    }

    /// <summary>Runs a statement without parameters (test set-up only).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Runs a query without parameters and returns its single value.</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await drop(Name);
    }
}
