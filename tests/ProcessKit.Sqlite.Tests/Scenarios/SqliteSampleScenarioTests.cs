using ProcessKit.Persistence;
using ProcessKit.Scenarios;

namespace ProcessKit.Sqlite.Tests.Scenarios;

/// <summary>The sample scenarios run against the SQLite store: a temp file per test; a restart opens the same file again.</summary>
public sealed class SqliteSampleScenarioTests : SampleScenarioContract, IDisposable
{
    private readonly TempDatabase _db = new();

    /// <inheritdoc />
    protected override async ValueTask<IProcessStore> OpenStoreAsync() =>
        await SqliteProcessStore.OpenAsync(_db.Options(), TestContext.Current.CancellationToken);

    public void Dispose() => _db.Dispose();
}
