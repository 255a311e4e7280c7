using ProcessKit.Persistence;
using ProcessKit.Sqlite;

namespace ProcessKit.Benchmarks.Durable;

/// <summary>
/// <see cref="DurableCommitBenchmarks"/> on the SQLite store: a new file in the temp folder,
/// <c>synchronous=FULL</c> (an fsync per commit), the store's writer grouping concurrent commits.
/// The file is deleted after the benchmark.
/// </summary>
public class SqliteCommitBenchmarks : DurableCommitBenchmarks
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"processkit-bdn-{Guid.NewGuid():N}.db");
    private SqliteProcessStore? _store;

    /// <inheritdoc />
    protected override async Task<IProcessStore> OpenStoreAsync() =>
        _store = await SqliteProcessStore.OpenAsync(new SqliteStoreOptions { ConnectionString = $"Data Source={_path}", Synchronous = SqliteSynchronousMode.Full }).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async Task CloseStoreAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
            _store = null;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_path)!, Path.GetFileName(_path) + "*"))
        {
            File.Delete(file);
        }
    }
}
