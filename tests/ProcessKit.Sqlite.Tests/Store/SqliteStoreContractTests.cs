using ProcessKit.Persistence;
using ProcessKit.StoreContract;

namespace ProcessKit.Sqlite.Tests.Store;

/// <summary>
/// The store contract run against the SQLite store: a temp file per test, reopened as a restarted process would
/// (one store per file and tenant: the store opened last is closed first, as its process would have ended).
/// </summary>
public sealed class SqliteStoreContractTests : ProcessStoreContract, IDisposable
{
    private readonly TempDatabase _db = new();
    private SqliteProcessStore? _last;

    /// <inheritdoc />
    protected override async ValueTask<IProcessStore> CreateStoreAsync() =>
        _last = await SqliteProcessStore.OpenAsync(_db.Options(), TestContext.Current.CancellationToken);

    /// <inheritdoc />
    protected override async ValueTask<IProcessStore> ReopenAsync(IProcessStore store)
    {
        await ((SqliteProcessStore)store).DisposeAsync();
        if (_last is { } last)
        {
            await last.DisposeAsync();
        }

        return _last = await SqliteProcessStore.OpenAsync(_db.Options(), TestContext.Current.CancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _db.Dispose();
}
