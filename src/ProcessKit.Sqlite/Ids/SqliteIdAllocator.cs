using Microsoft.Data.Sqlite;
using ProcessKit.Sqlite.Writing;

namespace ProcessKit.Sqlite.Ids;

/// <summary>
/// Hands out 64-bit ids of one kind (instances, tasks, ...) that are unique in the file for ever, without
/// a round trip per id. The file keeps, per tenant and kind, the next id never handed out
/// (<c>id_blocks.next_id</c>); an allocator reserves a block of ids by advancing that counter through the
/// writer (so the reservation shares a batch's transaction and fsync) and hands the block out from memory.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe. An id is handed out only after the reservation that holds it committed, so ids are
/// unique across restarts, across allocators of the same kind, and across two processes opening the same
/// file (SQLite serializes their writers). Ids start at 1 and grow; the unused rest of a block is skipped
/// after a restart, so ids have gaps.
/// </para>
/// <para>
/// Reserving through the writer means a write running on the writer must not wait for an id: take ids
/// before submitting the write.
/// </para>
/// </remarks>
internal sealed class SqliteIdAllocator
{
    /// <summary>The default block: 1,024 ids per reservation.</summary>
    public const int DefaultBlockSize = 1024;

    private const string ReserveSql = """
        INSERT INTO id_blocks (tenant, kind, next_id) VALUES ($tenant, $kind, 1 + $count)
        ON CONFLICT (tenant, kind) DO UPDATE SET next_id = next_id + $count
        RETURNING next_id - $count;
        """;

    private readonly Lock _gate = new();
    private readonly SqliteWriter _writer;
    private readonly string _kind;
    private readonly int _blockSize;
    private long _next;
    private long _end;
    private Task? _reserving;
    private long _reservations;

    public SqliteIdAllocator(SqliteWriter writer, string kind, int blockSize = DefaultBlockSize)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        _writer = writer;
        _kind = kind;
        _blockSize = blockSize;
    }

    /// <summary>How many blocks this allocator reserved (for tests).</summary>
    public long Reservations => Interlocked.Read(ref _reservations);

    /// <summary>
    /// The next id: from memory when the current block has one left, otherwise after a new block's
    /// reservation committed. <paramref name="cancellationToken"/> stops this caller's wait only; the
    /// reservation goes on for the others.
    /// </summary>
    public ValueTask<long> NextAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_next < _end)
            {
                return new ValueTask<long>(_next++);
            }
        }

        return NextAfterReservingAsync(cancellationToken);
    }

    /// <summary>Reserves <paramref name="count"/> ids of <paramref name="kind"/> in the current transaction; returns the first.</summary>
    internal static long Reserve(SqliteWriteContext context, string kind, int count)
    {
        var command = context.Command(ReserveSql);
        command.Parameters.Add(new SqliteParameter("$tenant", context.Tenant));
        command.Parameters.Add(new SqliteParameter("$kind", kind));
        command.Parameters.Add(new SqliteParameter("$count", count));
        return (long)command.ExecuteScalar()!;
    }

    private async ValueTask<long> NextAfterReservingAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task reserving;
            lock (_gate)
            {
                if (_next < _end)
                {
                    return _next++;
                }

                // A finished reservation whose block is used up, or that failed, makes way for a new one.
                if (_reserving is { IsCompleted: true })
                {
                    _reserving = null;
                }

                reserving = _reserving ??= ReserveBlockAsync();
            }

            await reserving.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReserveBlockAsync()
    {
        var kind = _kind;
        var count = _blockSize;
        var first = await _writer.SubmitAsync(context => Reserve(context, kind, count), CancellationToken.None).ConfigureAwait(false);
        lock (_gate)
        {
            _next = first;
            _end = first + count;
        }

        Interlocked.Increment(ref _reservations);
    }
}
