using ProcessKit.Persistence;
using ProcessKit.PostgreSql.Tests.Server;
using ProcessKit.Scenarios;

namespace ProcessKit.PostgreSql.Tests.Store;

/// <summary>
/// The sample scenarios run against the PostgreSQL store: a fresh database per test; a restart closes the store and
/// opens a new one (a new node) on the same database.
/// </summary>
public sealed class PostgreSqlSampleScenarioTests(PostgresServer server) : SampleScenarioContract, IAsyncDisposable
{
    private TestDatabase? _database;

    /// <inheritdoc />
    protected override async ValueTask<IProcessStore> OpenStoreAsync()
    {
        _database ??= await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        return await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = _database.ConnectionString }, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is { } database)
        {
            await database.DisposeAsync();
        }
    }
}
