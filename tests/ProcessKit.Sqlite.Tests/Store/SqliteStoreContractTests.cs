using ProcessKit.Persistence;
using ProcessKit.StoreContract;

namespace ProcessKit.Sqlite.Tests.Store;

/// <summary>The store contract run against the SQLite store: a temp file per test, reopened as a restarted process would.</summary>
public sealed class SqliteStoreContractTests : ProcessStoreContract, IDisposable
{
    private readonly TempDatabase _db = new();

    /// <inheritdoc />
    protected override async ValueTask<IProcessStore> CreateStoreAsync() =>
        await SqliteProcessStore.OpenAsync(_db.Options(), TestContext.Current.CancellationToken);

    /// <inheritdoc />
    protected override async ValueTask<IProcessStore> ReopenAsync(IProcessStore store)
    {
        await ((SqliteProcessStore)store).DisposeAsync();
        return await SqliteProcessStore.OpenAsync(_db.Options(), TestContext.Current.CancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _db.Dispose();
}
