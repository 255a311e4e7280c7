using Npgsql;
using ProcessKit.Persistence;
using ProcessKit.PostgreSql;
using ProcessKit.PostgreSql.Throughput;

namespace ProcessKit.Benchmarks.Compare.Durable;

/// <summary>
/// The PostgreSQL store on a throwaway server started for the run (<see cref="ThrowawayServer"/>:
/// initdb in a temporary directory, loopback, fsync and synchronous_commit on), group commit with
/// the store's default writer slots, in a schema of its own. The plain inserts go to a table in
/// the same database: single-row autocommit inserts from as many connections as the engine had
/// starters (the server merges their WAL flushes, as it does the store's), and 512-row
/// transactions on one connection, each sent as one batch. The server is stopped and deleted at the end.
/// </summary>
internal sealed class PostgreSqlTarget : DurableTarget
{
    private ThrowawayServer? _server;
    private PostgreSqlProcessStore? _store;

    /// <inheritdoc />
    public override string Name => "PostgreSQL";

    /// <inheritdoc />
    public override string Description => $"PostgreSQL {_server?.Version ?? "?"}, a throwaway server on loopback, fsync and synchronous_commit on, group commit (2 writer slots)";

    private string ConnectionString => _server?.ConnectionString("postgres") ?? throw new InvalidOperationException("The server is not started.");

    /// <summary>Starts the throwaway server.</summary>
    public async Task StartAsync() => _server = await ThrowawayServer.StartAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public override async Task<IProcessStore> OpenStoreAsync(CancellationToken cancellationToken) =>
        _store = await PostgreSqlProcessStore.OpenAsync(
            new PostgreSqlStoreOptions { ConnectionString = ConnectionString, SchemaName = "compare" },
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
    public override async Task<int> PlainOneRowCommitsAsync(int rows, int connections, CancellationToken cancellationToken)
    {
        await using var source = NpgsqlDataSource.Create(ConnectionString);
        await ExecuteAsync(source, "CREATE TABLE plain_one_row (id bigint PRIMARY KEY, payload text NOT NULL)", cancellationToken).ConfigureAwait(false);
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(
            async () =>
            {
                await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var insert = new NpgsqlCommand("INSERT INTO plain_one_row (id, payload) VALUES (@id, 'x')", connection);
                var id = insert.Parameters.AddWithValue("id", 0L);
                for (var i = Interlocked.Increment(ref next); i < rows; i = Interlocked.Increment(ref next))
                {
                    id.Value = (long)i;
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            },
            cancellationToken))).ConfigureAwait(false);
        return connections;
    }

    /// <inheritdoc />
    public override async Task PlainBatchedAsync(int rows, CancellationToken cancellationToken)
    {
        await using var source = NpgsqlDataSource.Create(ConnectionString);
        await ExecuteAsync(source, "CREATE TABLE plain_batched (id bigint PRIMARY KEY, payload text NOT NULL)", cancellationToken).ConfigureAwait(false);
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        for (var done = 0; done < rows;)
        {
            // One round trip per transaction: the 512 inserts sent together in one batch.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection, transaction);
            for (var end = Math.Min(rows, done + BatchRows); done < end; done++)
            {
                var insert = new NpgsqlBatchCommand("INSERT INTO plain_batched (id, payload) VALUES ($1, 'x')");
                insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = done });
                batch.BatchCommands.Add(insert);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(NpgsqlDataSource source, string sql, CancellationToken cancellationToken)
    {
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await CloseStoreAsync().ConfigureAwait(false);
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
            _server = null;
        }
    }
}
