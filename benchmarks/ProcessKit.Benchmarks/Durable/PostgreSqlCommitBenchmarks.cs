using ProcessKit.Persistence;
using ProcessKit.PostgreSql;
using ProcessKit.PostgreSql.Throughput;

namespace ProcessKit.Benchmarks.Durable;

/// <summary>
/// <see cref="DurableCommitBenchmarks"/> on the PostgreSQL store: a throwaway server started by the
/// global setup (initdb in a temporary directory, loopback, fsync and synchronous_commit on; the
/// starter shared with <c>ProcessKit.PostgreSql.Throughput</c>), group commit with the store's
/// default writer slots; stopped and deleted by the cleanup. Without the server binaries
/// (<c>initdb</c>, <c>pg_ctl</c>) the program leaves this suite out and says why
/// (<see cref="ThrowawayServer.Missing"/>).
/// </summary>
public class PostgreSqlCommitBenchmarks : DurableCommitBenchmarks
{
    private ThrowawayServer? _server;
    private PostgreSqlProcessStore? _store;

    /// <inheritdoc />
    protected override async Task<IProcessStore> OpenStoreAsync()
    {
        _server = await ThrowawayServer.StartAsync().ConfigureAwait(false);
        return _store = await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = _server.ConnectionString("postgres") }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task CloseStoreAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
            _store = null;
        }

        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
            _server = null;
        }
    }
}
