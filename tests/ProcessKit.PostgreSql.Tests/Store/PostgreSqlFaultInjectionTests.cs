using ProcessKit.Persistence;
using ProcessKit.PostgreSql.Tests.Server;
using ProcessKit.StoreContract;

namespace ProcessKit.PostgreSql.Tests.Store;

/// <summary>The fault-injection contract run against the PostgreSQL store: a fresh database per store the test makes.</summary>
public sealed class PostgreSqlFaultInjectionTests(PostgresServer server) : FaultInjectionContract
{
    private readonly Dictionary<IProcessStore, TestDatabase> _databases = new(ReferenceEqualityComparer.Instance);

    /// <inheritdoc />
    protected override async ValueTask<IProcessStore> CreateStoreAsync()
    {
        var database = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var store = await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = database.ConnectionString, TenantId = "faults" }, TestContext.Current.CancellationToken);
        _databases[store] = database;
        return store;
    }

    /// <inheritdoc />
    protected override async ValueTask DisposeStoreAsync(IProcessStore store)
    {
        await ((PostgreSqlProcessStore)store).DisposeAsync();
        if (_databases.Remove(store, out var database))
        {
            await database.DisposeAsync();
        }
    }
}
