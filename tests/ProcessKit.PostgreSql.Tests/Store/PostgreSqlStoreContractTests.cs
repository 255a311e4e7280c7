using ProcessKit.Persistence;
using ProcessKit.PostgreSql.Tests.Server;
using ProcessKit.StoreContract;

namespace ProcessKit.PostgreSql.Tests.Store;

/// <summary>
/// The store contract run against the PostgreSQL store: a fresh database per test; reopening opens a new store (a
/// restarted node) on the same database. The earlier store is left open because some contract tests still read through
/// the first engine after a reopen; the suite disposes every store it opened when the test ends.
/// </summary>
public sealed class PostgreSqlStoreContractTests(PostgresServer server) : ProcessStoreContract
{
    private TestDatabase? _database;

    /// <inheritdoc />
    protected override async ValueTask<IProcessStore> CreateStoreAsync()
    {
        _database = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        return await PostgreSqlProcessStore.OpenAsync(Options(), TestContext.Current.CancellationToken);
    }

    /// <inheritdoc />
    protected override async ValueTask<IProcessStore> ReopenAsync(IProcessStore store) =>
        await PostgreSqlProcessStore.OpenAsync(Options(), TestContext.Current.CancellationToken);

    /// <inheritdoc />
    protected override async ValueTask DisposeStoreAsync(IProcessStore store)
    {
        await ((PostgreSqlProcessStore)store).DisposeAsync();

        // The suite disposes the first store last: then no store of the test is left on the database.
        if (ReferenceEquals(store, Store) && _database is { } database)
        {
            _database = null;
            await database.DisposeAsync();
        }
    }

    private PostgreSqlStoreOptions Options() => new() { ConnectionString = _database!.ConnectionString, TenantId = "contract" };
}
