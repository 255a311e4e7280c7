using System.Globalization;
using Microsoft.Data.Sqlite;
using ProcessKit.Persistence;
using ProcessKit.Sqlite;

namespace ProcessKit.Benchmarks.Compare.Durable;

/// <summary>
/// The SQLite store on a new file in the temp folder with <c>synchronous=FULL</c> (an fsync per
/// commit), its writer grouping the commits of concurrent callers (group commit, the store's
/// default). The plain inserts go to a table of their own in the same file, on a plain connection
/// with the same journal (WAL) and synchronous settings, after the store is closed. The file is
/// deleted at the end.
/// </summary>
internal sealed class SqliteTarget : DurableTarget
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"processkit-compare-{Guid.NewGuid():N}.db");
    private SqliteProcessStore? _store;

    /// <inheritdoc />
    public override string Name => "SQLite";

    /// <inheritdoc />
    public override string Description => $"SQLite {SqliteVersion()}, a new file in the temp folder, synchronous=FULL, WAL, group commit (the store's writer)";

    /// <inheritdoc />
    public override async Task<IProcessStore> OpenStoreAsync(CancellationToken cancellationToken) =>
        _store = await SqliteProcessStore.OpenAsync(
            new SqliteStoreOptions { ConnectionString = $"Data Source={_path}", Synchronous = SqliteSynchronousMode.Full },
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public override async ValueTask CloseStoreAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
            _store = null;
        }
    }

    /// <inheritdoc />
    public override Task<int> PlainOneRowCommitsAsync(int rows, int connections, CancellationToken cancellationToken)
    {
        // SQLite has one writer at a time: concurrent connections would only queue on its lock.
        Insert("plain_one_row", rows, 1, cancellationToken);
        return Task.FromResult(1);
    }

    /// <inheritdoc />
    public override Task PlainBatchedAsync(int rows, CancellationToken cancellationToken)
    {
        Insert("plain_batched", rows, BatchRows, cancellationToken);
        return Task.CompletedTask;
    }

    private void Insert(string table, int rows, int perTransaction, CancellationToken cancellationToken)
    {
        using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = $"PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE {table} (id INTEGER PRIMARY KEY, payload TEXT NOT NULL);";
            setup.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO {table} (id, payload) VALUES ($id, 'x');";
        var id = insert.Parameters.Add("$id", SqliteType.Integer);
        insert.Prepare();
        for (var done = 0; done < rows;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            for (var end = Math.Min(rows, done + perTransaction); done < end; done++)
            {
                id.Value = done;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    private static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version();";
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "?";
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await CloseStoreAsync().ConfigureAwait(false);
        SqliteConnection.ClearAllPools();
        var directory = Path.GetDirectoryName(_path)!;
        foreach (var file in Directory.GetFiles(directory, Path.GetFileName(_path) + "*"))
        {
            File.Delete(file);
        }
    }
}
