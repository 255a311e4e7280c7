using ProcessKit.Persistence;
using ProcessKit.StoreContract;

namespace ProcessKit.Sqlite.Tests.Store;

/// <summary>The fault-injection contract run against the SQLite store: a temp file per store the test makes.</summary>
public sealed class SqliteFaultInjectionTests : FaultInjectionContract, IDisposable
{
    private readonly List<TempDatabase> _files = [];

    /// <inheritdoc />
    protected override async ValueTask<IProcessStore> CreateStoreAsync()
    {
        var file = new TempDatabase();
        _files.Add(file);
        return await SqliteProcessStore.OpenAsync(file.Options(), TestContext.Current.CancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }
    }
}
