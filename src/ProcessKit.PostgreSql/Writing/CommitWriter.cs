using Npgsql;

namespace ProcessKit.PostgreSql.Writing;

/// <summary>
/// Group commit for one node: commits queued by concurrent commands are sent together, in one transaction and one
/// round trip (every commit's statements in one <see cref="NpgsqlBatch"/>, which the server runs as one implicit
/// transaction committed at the batch's end), and each caller's task completes only after that transaction committed.
/// A commit whose check fails (a stale version, a lost timer lease, a consumed message gone, a message id already
/// applied) or that loses a race on a unique key or a deadlock is refused alone: the server skips the rest of the batch
/// and rolls the transaction back, the refused commit's caller gets false, and the group is sent again without it. A
/// group chosen as a deadlock victim is first sent again whole (no commit of it is at fault).
/// </summary>
/// <remarks>
/// <para>
/// While a group is in flight the next commits queue up, so the group size follows the load: one commit when a single
/// caller commits, up to <see cref="MaxGroup"/> under many. Up to <c>writers</c> groups are in flight at once, each on
/// a connection of its own; a caller that finds a slot free sends the group itself. The writer keeps those connections
/// open between groups rather than giving them back to the pool, which would reset their session before the next use
/// (a second statement list for the server on every group); a connection that failed is closed and replaced. Commits of
/// a group are sent in instance-id order, so that groups of different nodes lock instance rows in the same order.
/// </para>
/// <para>
/// <see cref="SubmitAsync"/> is thread-safe. A commit whose caller cancels while it waits in the queue is never sent;
/// once sent it runs to its end and its caller gets the result. <see cref="DisposeAsync"/> stops accepting commits and
/// waits for those accepted. <see cref="Traced"/> tells a benchmark where each commit's time went.
/// </para>
/// </remarks>
internal sealed class CommitWriter : IAsyncDisposable
{
    /// <summary>The most commits one transaction holds.</summary>
    public const int MaxGroup = 128;

    /// <summary>How often a group chosen as a deadlock victim is sent again before its failing commit is refused.</summary>
    private const int MaxDeadlockRetries = 3;

    private readonly NpgsqlDataSource _dataSource;
    private readonly int _writers;
    private readonly Lock _gate = new();
    private readonly Queue<PendingCommit> _queue = new();
    private readonly Stack<NpgsqlConnection> _connections = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _leaders;
    private bool _closed;
    private long _transactions;
    private long _commits;
    private long _refused;
    private long _fallbacks;

    /// <param name="dataSource">The database.</param>
    /// <param name="writers">How many groups may be in flight at once (one connection each).</param>
    public CommitWriter(NpgsqlDataSource dataSource, int writers)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        _dataSource = dataSource;
        _writers = writers;
    }

    /// <summary>Transactions committed so far (for benchmarks and tests).</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    /// <summary>Commits made durable so far, over all transactions.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Groups whose refused commit could not be told, so that each of their commits was sent on its own.</summary>
    public long Fallbacks => Interlocked.Read(ref _fallbacks);

    /// <summary>Commits refused by a check so far.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>
    /// Told where each durable commit's time went, on the writer's thread right after its caller's task completed (for
    /// benchmarks; null, the default, traces nothing). Set it before the first commit.
    /// </summary>
    public Action<CommitTrace>? Traced { get; set; }

    /// <summary>
    /// Queues a commit; the task completes after its group's transaction ended (see <see cref="PendingCommit"/>), or is
    /// cancelled when <paramref name="cancellationToken"/> fires before the commit was sent. When fewer than the allowed
    /// groups are in flight, the caller itself sends the next group (its own commit and whatever queued with it), so a
    /// lone caller pays no thread hop; once its own commit is done it sends the group queued meanwhile (up to the first
    /// wait for the server) and leaves the rest of that work to run on as the server answers. Thread-safe.
    /// </summary>
    public Task<bool> SubmitAsync(PendingCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled<bool>(cancellationToken);
        if (cancellationToken.CanBeCanceled)
        {
            // A commit cancelled before it is sent completes as cancelled and is skipped; a sent one runs to its end.
            var registration = cancellationToken.UnsafeRegister(static (state, token) => ((PendingCommit)state!).TryCancel(token), commit);
            _ = commit.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), registration, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        bool lead;
        lock (_gate)
        {
            if (_closed)
            {
                commit.TrySetException(new ObjectDisposedException(nameof(PostgreSqlProcessStore), "The PostgreSQL store is closed: this commit was not sent and nothing of it is stored."));
                return commit.Task;
            }

            _queue.Enqueue(commit);
            lead = _leaders < _writers;
            if (lead)
                _leaders++;
        }

        return lead ? LeadAsync(commit) : commit.Task;
    }

    /// <summary>
    /// Stops accepting commits, waits until every accepted one is sent and answered, then closes the writer's
    /// connections. Safe to call twice.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _closed = true;
            if (_leaders == 0)
                _idle.TrySetResult();
        }

        await _idle.Task.ConfigureAwait(false);
        while (true)
        {
            NpgsqlConnection? connection;
            lock (_gate)
            {
                if (!_connections.TryPop(out connection))
                    return;
            }

            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sends groups as the caller of <paramref name="own"/> until that commit is done, then returns its result.</summary>
    private async Task<bool> LeadAsync(PendingCommit own)
    {
        await SendGroupsAsync(own).ConfigureAwait(false);
        return await own.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Holds a leader slot: sends the queued commits group after group until the queue is empty, or (for a caller) until
    /// its own commit is done, when a background task takes over the slot if commits are still queued.
    /// </summary>
    private async Task SendGroupsAsync(PendingCommit? own)
    {
        var group = new List<PendingCommit>();
        while (true)
        {
            lock (_gate)
            {
                while (group.Count < MaxGroup && _queue.TryDequeue(out var commit))
                {
                    // A commit cancelled while it waited is never sent.
                    if (commit.TryStart())
                        group.Add(commit);
                }

                if (group.Count == 0 && _queue.Count == 0)
                {
                    LeaveLocked();
                    return;
                }
            }

            if (group.Count > 0)
            {
                try
                {
                    await CommitGroupAsync(group).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    // Whatever went wrong, no caller may wait forever; the next group is sent all the same.
                    foreach (var commit in group)
                        commit.TrySetException(e);
                }

                group.Clear();
            }

            if (own is not null && own.Task.IsCompleted)
            {
                lock (_gate)
                {
                    if (_queue.Count == 0)
                    {
                        LeaveLocked();
                        return;
                    }
                }

                // The caller goes on; the commits queued meanwhile are sent under the same slot, the next group right
                // away from this thread (up to its first wait for the server) rather than after a hop through the thread
                // pool, where it would queue behind the continuations of the group just completed.
                _ = SendGroupsAsync(null);
                return;
            }
        }
    }

    private void LeaveLocked()
    {
        _leaders--;
        if (_closed && _leaders == 0)
            _idle.TrySetResult();
    }

    /// <summary>A connection kept by the writer, or a new one when none is idle (at most one per leader slot is kept).</summary>
    private async ValueTask<NpgsqlConnection> RentConnectionAsync()
    {
        lock (_gate)
        {
            if (_connections.TryPop(out var kept))
                return kept;
        }

        return await _dataSource.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Keeps a connection for the next group when it is healthy and the writer open; closes it otherwise.</summary>
    private async ValueTask ReturnConnectionAsync(NpgsqlConnection connection, bool healthy)
    {
        if (healthy && connection.State == System.Data.ConnectionState.Open)
        {
            lock (_gate)
            {
                if (!_closed && _connections.Count < _writers)
                {
                    _connections.Push(connection);
                    return;
                }
            }
        }

        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task CommitGroupAsync(List<PendingCommit> group)
    {
        var connection = await RentConnectionAsync().ConfigureAwait(false);
        var healthy = false;
        try
        {
            await CommitGroupAsync(connection, group).ConfigureAwait(false);
            healthy = true;
        }
        finally
        {
            // After a failure other than a refusal the connection's state is not known: it is closed, not kept.
            await ReturnConnectionAsync(connection, healthy).ConfigureAwait(false);
        }
    }

    private async Task CommitGroupAsync(NpgsqlConnection connection, List<PendingCommit> group)
    {
        // Stable, so that two commits of one instance keep their order (the later one is then refused as stale).
        var pending = group.Count == 1 ? group : [.. group.OrderBy(static c => c.InstanceId)];
        var commands = new List<NpgsqlBatchCommand>(pending.Count * 4);
        var owners = new List<(int End, PendingCommit Commit)>(pending.Count);
        var deadlocks = 0;
        while (pending.Count > 0)
        {
            // No BEGIN and COMMIT: the statements of one batch run in one implicit transaction, committed when
            // the batch ends and rolled back whole when one of them fails.
            await using var batch = new NpgsqlBatch(connection);
            owners.Clear();
            foreach (var commit in pending)
            {
                commands.Clear();
                commit.Build(commands);
                foreach (var command in commands)
                    batch.BatchCommands.Add(command);
                owners.Add((batch.BatchCommands.Count, commit));
            }

            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (PostgresException e) when (IsRefusal(e))
            {
                // The server skipped the rest of the batch and rolled its transaction back.
                if (e.SqlState == PostgresErrorCodes.DeadlockDetected && ++deadlocks <= MaxDeadlockRetries)
                    continue; // no commit of the group is at fault: send it again

                var refused = RefusedBy(batch, owners);
                if (refused < 0)
                {
                    // The failed statement is not known: send each commit of the group on its own.
                    await CommitEachAsync(connection, pending).ConfigureAwait(false);
                    return;
                }

                Interlocked.Increment(ref _refused);
                var commit = owners[refused].Commit;
                commit.TrySetResult(false);
                pending = [.. pending.Where(c => !ReferenceEquals(c, commit))];
                continue;
            }

            var end = System.Diagnostics.Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _transactions);
            Interlocked.Add(ref _commits, pending.Count);
            var traced = Traced;
            foreach (var commit in pending)
            {
                // Traced before the caller can go on, so that a trace always precedes the caller's next commit.
                traced?.Invoke(new CommitTrace(commit.InstanceId, commit.QueuedAt, commit.SentAt, start, end, System.Diagnostics.Stopwatch.GetTimestamp(), pending.Count));
                commit.TrySetResult(true);
            }

            return;
        }
    }

    /// <summary>
    /// The index in <paramref name="owners"/> of the commit whose statement raised the error, or -1 when it cannot be
    /// told: the first statement that did not complete (Npgsql records each completed statement's type).
    /// </summary>
    private static int RefusedBy(NpgsqlBatch batch, List<(int End, PendingCommit Commit)> owners)
    {
        var commands = batch.BatchCommands;
        for (var i = 0; i < commands.Count; i++)
        {
            if (commands[i].StatementType == StatementType.Unknown)
                return owners.FindIndex(o => i < o.End);
        }

        return -1;
    }

    /// <summary>Sends each commit in a transaction of its own (when a group's failure cannot be pinned on one commit).</summary>
    private async Task CommitEachAsync(NpgsqlConnection connection, List<PendingCommit> pending)
    {
        Interlocked.Increment(ref _fallbacks);
        var commands = new List<NpgsqlBatchCommand>();
        foreach (var commit in pending)
        {
            await using var batch = new NpgsqlBatch(connection);
            commands.Clear();
            commit.Build(commands);
            foreach (var command in commands)
                batch.BatchCommands.Add(command);
            try
            {
                await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (PostgresException e) when (IsRefusal(e))
            {
                Interlocked.Increment(ref _refused);
                commit.TrySetResult(false);
                continue;
            }

            Interlocked.Increment(ref _transactions);
            Interlocked.Increment(ref _commits);
            commit.TrySetResult(true);
        }
    }

    /// <summary>Whether a failure means a check refused the commit or a concurrent commit won, rather than something broke.</summary>
    private static bool IsRefusal(PostgresException e) =>
        e.SqlState is Statements.GuardFailed or PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected;
}
