using Npgsql;
using ProcessKit.PostgreSql.Schema;

namespace ProcessKit.PostgreSql.Ids;

/// <summary>
/// Hands out 64-bit instance and task ids unique across every node of the database without a round trip per id:
/// an id is <c>(nodeNumber &lt;&lt; 40) | counter</c>, where the node number is reserved from the schema's
/// <c>node_numbers</c> sequence when the allocator opens (never reused: sequences do not roll back or cycle) and the
/// counter runs from 1 in memory. When the 40-bit counter is used up (about 10^12 ids) the allocator reserves a new
/// node number. Thread-safe and lock-free on the common path.
/// </summary>
/// <remarks>
/// 23 bits of node numbers allow 8,388,607 store openings per schema; the sequence refuses to go further rather
/// than wrap around. Ids are positive, unique per schema (across tenants too), and increase within one node number,
/// but are not ordered across nodes.
/// </remarks>
internal sealed class IdAllocator
{
    /// <summary>How many low bits of an id hold the per-node counter.</summary>
    public const int CounterBits = 40;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _nextNodeSql;
    private readonly long _counterLimit;
    private Block _block;

    private IdAllocator(NpgsqlDataSource dataSource, StoreSchema schema, long counterLimit, long nodeNumber)
    {
        _dataSource = dataSource;
        _nextNodeSql = NextNodeSql(schema);
        _counterLimit = counterLimit;
        _block = new Block(nodeNumber);
    }

    /// <summary>The node number in use now (it changes only when the counter is used up).</summary>
    public long NodeNumber => Volatile.Read(ref _block).NodeNumber;

    /// <summary>Opens an allocator: reserves a node number from the migrated schema.</summary>
    public static Task<IdAllocator> OpenAsync(NpgsqlDataSource dataSource, StoreSchema schema, CancellationToken cancellationToken) =>
        OpenAsync(dataSource, schema, (1L << CounterBits) - 1, cancellationToken);

    /// <summary>For tests: an allocator whose counter is used up after <paramref name="counterLimit"/> ids.</summary>
    internal static async Task<IdAllocator> OpenAsync(NpgsqlDataSource dataSource, StoreSchema schema, long counterLimit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(counterLimit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(counterLimit, (1L << CounterBits) - 1);
        var node = await ReserveNodeNumberAsync(dataSource, NextNodeSql(schema), cancellationToken).ConfigureAwait(false);
        return new IdAllocator(dataSource, schema, counterLimit, node);
    }

    /// <summary>Takes the next id without I/O; false when the counter is used up (then call <see cref="NextAsync"/>).</summary>
    public bool TryNext(out long id)
    {
        var block = Volatile.Read(ref _block);
        var counter = Interlocked.Increment(ref block.Counter);
        if (counter > _counterLimit)
        {
            id = 0;
            return false;
        }

        id = (block.NodeNumber << CounterBits) | counter;
        return true;
    }

    /// <summary>
    /// The next id, for callers that cannot await (the store hands ids out inside a command): without I/O except when
    /// the counter is used up (once per about 10^12 ids), when it reserves a new node number synchronously.
    /// </summary>
    public long Next()
    {
        while (true)
        {
            if (TryNext(out var id))
                return id;
            var exhausted = Volatile.Read(ref _block);
            Renew(exhausted, ReserveNodeNumber(_dataSource, _nextNodeSql));
        }
    }

    /// <summary>The next id; completes synchronously except when a new node number must be reserved.</summary>
    public ValueTask<long> NextAsync(CancellationToken cancellationToken) =>
        TryNext(out var id) ? ValueTask.FromResult(id) : new ValueTask<long>(RenewAndNextAsync(cancellationToken));

    private async Task<long> RenewAndNextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var exhausted = Volatile.Read(ref _block);
            Renew(exhausted, await ReserveNodeNumberAsync(_dataSource, _nextNodeSql, cancellationToken).ConfigureAwait(false));
            if (TryNext(out var id))
                return id;
        }
    }

    /// <summary>
    /// Puts a block on a freshly reserved node number in place of the used-up one, unless another caller renewed
    /// first (then the number reserved here is left unused: numbers are never handed out twice, so nothing clashes,
    /// and this happens at most once per about 10^12 ids).
    /// </summary>
    private void Renew(Block exhausted, long nodeNumber) =>
        Interlocked.CompareExchange(ref _block, new Block(nodeNumber), exhausted);

    private static string NextNodeSql(StoreSchema schema) => $"SELECT nextval('{schema.Table("node_numbers")}')";

    private static async Task<long> ReserveNodeNumberAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var node = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            if (node is <= 0 or > Migrations.MaxNodeNumber)
                throw new InvalidOperationException($"The node number sequence returned {node}, outside 1..{Migrations.MaxNodeNumber}.");
            return node;
        }
    }

    private static long ReserveNodeNumber(NpgsqlDataSource dataSource, string sql)
    {
        using var connection = dataSource.OpenConnection();
        using var command = new NpgsqlCommand(sql, connection);
        var node = (long)command.ExecuteScalar()!;
        if (node is <= 0 or > Migrations.MaxNodeNumber)
            throw new InvalidOperationException($"The node number sequence returned {node}, outside 1..{Migrations.MaxNodeNumber}.");
        return node;
    }

    /// <summary>One node number and its counter; replaced whole when the counter is used up.</summary>
    private sealed class Block(long nodeNumber)
    {
        public readonly long NodeNumber = nodeNumber;
        public long Counter;
    }
}
