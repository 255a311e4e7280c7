using Microsoft.Data.Sqlite;
using ProcessKit.Sqlite.Writing;

namespace ProcessKit.Sqlite.Ids;

/// <summary>
/// Hands out 64-bit ids of one kind (instances, tasks, timers, buffered messages) that are unique in the
/// file for ever, without a round trip per id. The file keeps, per tenant and kind, the next id never
/// handed out (<c>id_blocks.next_id</c>); an allocator reserves a block of ids by advancing that counter
/// through the writer (so the reservation shares a batch's transaction and fsync) and hands the block out
/// from memory.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe. An id is handed out only after the reservation that holds it committed, so ids are
/// unique across restarts, across allocators of the same kind, and across two processes opening the same
/// file (SQLite serializes their writers). Ids start at 1 and grow within a block; the unused rest of a
/// block is skipped after a restart, so ids have gaps.
/// </para>
/// <para>
/// <see cref="Next"/> (used inside engine commands) never waits for the writer: once half of the current
/// block is used it reserves the next block in the background, and switches to it when the current one
/// runs out. Should the current block run out before that reservation committed, <see cref="Next"/>
/// reserves a block at once on a connection of its own (<c>BEGIN IMMEDIATE</c>, one small transaction,
/// waiting at most the busy timeout for the writer's transaction to end); the background block, when it
/// arrives, is kept for later.
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
    private readonly Func<string, int, long>? _reserveNow;
    private long _next;
    private long _end;
    private long _spareFirst;
    private long _spareEnd;
    private Task? _reserving;
    private long _reservations;

    /// <summary>Creates an allocator reserving through <paramref name="writer"/>.</summary>
    /// <param name="writer">The store's writer.</param>
    /// <param name="kind">The id kind (a key of <c>id_blocks</c>).</param>
    /// <param name="blockSize">Ids per reservation.</param>
    /// <param name="reserveNow">Reserves a block at once outside the writer (kind, count → first id); without it, <see cref="Next"/> cannot be used.</param>
    public SqliteIdAllocator(SqliteWriter writer, string kind, int blockSize = DefaultBlockSize, Func<string, int, long>? reserveNow = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        _writer = writer;
        _kind = kind;
        _blockSize = blockSize;
        _reserveNow = reserveNow;
    }

    /// <summary>How many blocks this allocator reserved (for tests).</summary>
    public long Reservations => Interlocked.Read(ref _reservations);

    /// <summary>How many blocks were reserved at once because the background reservation came too late (for tests).</summary>
    public long ImmediateReservations { get; private set; }

    /// <summary>
    /// The next id: from memory when the current block has one left, otherwise after a new block's
    /// reservation committed. <paramref name="cancellationToken"/> stops this caller's wait only; the
    /// reservation goes on for the others.
    /// </summary>
    public ValueTask<long> NextAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (TryTake(out var id))
            {
                return new ValueTask<long>(id);
            }
        }

        return NextAfterReservingAsync(cancellationToken);
    }

    /// <summary>
    /// The next id, without waiting for the writer: from memory, starting the next block's reservation in
    /// the background once half of the current block is used; when nothing is left, reserves a block at
    /// once on a connection of its own.
    /// </summary>
    /// <exception cref="InvalidOperationException">The allocator was made without an immediate reservation.</exception>
    public long Next()
    {
        lock (_gate)
        {
            if (TryTake(out var id))
            {
                if (_end - _next <= _blockSize / 2 && _spareEnd == 0 && _reserving is null or { IsCompleted: true })
                {
                    _reserving = ReserveBlockAsync();
                }

                return id;
            }
        }

        if (_reserveNow is null)
        {
            throw new InvalidOperationException("This id allocator has no immediate reservation; use NextAsync.");
        }

        var first = _reserveNow(_kind, _blockSize);
        Interlocked.Increment(ref _reservations);
        lock (_gate)
        {
            ImmediateReservations++;
            Install(first + 1, first + _blockSize);
        }

        return first;
    }

    /// <summary>Reserves a block unless one is at hand, so that the first ids are handed out without waiting.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        Task reserving;
        lock (_gate)
        {
            if (_next < _end || _spareEnd != 0)
            {
                return;
            }

            if (_reserving is { IsCompleted: true })
            {
                _reserving = null;
            }

            reserving = _reserving ??= ReserveBlockAsync();
        }

        await reserving.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reserves <paramref name="count"/> ids of <paramref name="kind"/> in the current transaction; returns the first.</summary>
    internal static long Reserve(SqliteWriteContext context, string kind, int count)
    {
        var command = context.Command(ReserveSql);
        return Reserve(command, context.Tenant, kind, count);
    }

    /// <summary>Reserves <paramref name="count"/> ids on <paramref name="connection"/> in a transaction of its own; returns the first.</summary>
    internal static long ReserveImmediately(SqliteConnection connection, string tenant, string kind, int count)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = ReserveSql;
        var first = Reserve(command, tenant, kind, count);
        transaction.Commit();
        return first;
    }

    private static long Reserve(SqliteCommand command, string tenant, string kind, int count)
    {
        command.Parameters.Add(new SqliteParameter("$tenant", tenant));
        command.Parameters.Add(new SqliteParameter("$kind", kind));
        command.Parameters.Add(new SqliteParameter("$count", count));
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Takes an id from the current block, moving to the spare block when the current one is used up. Under the gate.</summary>
    private bool TryTake(out long id)
    {
        if (_next >= _end && _spareEnd != 0)
        {
            (_next, _end) = (_spareFirst, _spareEnd);
            (_spareFirst, _spareEnd) = (0, 0);
        }

        if (_next < _end)
        {
            id = _next++;
            return true;
        }

        id = 0;
        return false;
    }

    /// <summary>Makes a reserved range current when the current block is used up, else keeps it as the spare (or drops it: gaps are harmless). Under the gate.</summary>
    private void Install(long first, long end)
    {
        if (first >= end)
        {
            return;
        }

        if (_next >= _end)
        {
            (_next, _end) = (first, end);
        }
        else if (_spareEnd == 0)
        {
            (_spareFirst, _spareEnd) = (first, end);
        }
    }

    private async ValueTask<long> NextAfterReservingAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task reserving;
            lock (_gate)
            {
                if (TryTake(out var id))
                {
                    return id;
                }

                // A reservation that failed at once left its finished task behind: make way for a new one.
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
        try
        {
            var first = await _writer.SubmitAsync(context => Reserve(context, kind, count), CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                Install(first, first + count);
            }

            Interlocked.Increment(ref _reservations);
        }
        finally
        {
            // A finished reservation, or one that failed, makes way for the next.
            lock (_gate)
            {
                _reserving = null;
            }
        }
    }
}
