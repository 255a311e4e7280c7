using Npgsql;
using ProcessKit.PostgreSql.Tests.Server;
using ProcessKit.PostgreSql.Writing;

namespace ProcessKit.PostgreSql.Tests.Writing;

/// <summary>
/// The group-commit writer on its own, with one writer loop: the first commit's statement building is held until the
/// others are queued, so the next group is known to hold all of them.
/// </summary>
public sealed class CommitWriterTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Commits_queued_while_a_transaction_is_in_flight_are_sent_together_in_one_transaction()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await db.ExecuteAsync("CREATE TABLE rows (id bigint PRIMARY KEY)");
        await using var writer = new CommitWriter(db.DataSource, writers: 1);
        using var hold = new Gate();

        // The caller of the first commit sends it itself: from another thread, since its building is held.
        var first = Task.Run(() => writer.SubmitAsync(Insert(1, hold), Ct), Ct);
        await hold.Entered.Task.WaitAsync(Ct); // the first commit is being sent alone
        var others = Enumerable.Range(2, 10).Select(i => writer.SubmitAsync(Insert(i), Ct)).ToList();
        hold.Release.Set();

        Assert.True(await first);
        Assert.All(await Task.WhenAll(others), Assert.True);
        Assert.Equal(2, writer.Transactions);
        Assert.Equal(11, writer.Commits);
        Assert.Equal(11L, await db.ScalarAsync<long>("SELECT count(*) FROM rows"));
    }

    [Fact]
    public async Task Each_durable_commit_is_traced_once_before_its_caller_goes_on_with_its_group_and_its_times_in_order()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await db.ExecuteAsync("CREATE TABLE rows (id bigint PRIMARY KEY)");
        await using var writer = new CommitWriter(db.DataSource, writers: 1);
        var traces = new System.Collections.Concurrent.ConcurrentQueue<CommitTrace>();
        writer.Traced = traces.Enqueue;
        using var hold = new Gate();

        var first = Task.Run(() => writer.SubmitAsync(Insert(1, hold), Ct), Ct);
        await hold.Entered.Task.WaitAsync(Ct); // the first commit is being sent alone
        var others = Enumerable.Range(2, 5).Select(i => writer.SubmitAsync(Insert(i), Ct)).ToList();
        var refused = writer.SubmitAsync(InsertThenFailCheck(7), Ct);
        hold.Release.Set();
        Assert.True(await first);
        var firstTrace = Assert.Single(traces, static t => t.InstanceId == 1); // traced before its caller went on
        Assert.All(await Task.WhenAll(others), Assert.True);
        Assert.False(await refused);

        Assert.Equal(1, firstTrace.InstanceId);
        Assert.Equal(1, firstTrace.GroupSize);
        var all = traces.OrderBy(static t => t.InstanceId).ToArray();
        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6 }, all.Select(static t => t.InstanceId)); // the refused commit is not traced
        Assert.All(all.Skip(1), static t => Assert.Equal(5, t.GroupSize));
        Assert.All(all, static t =>
        {
            Assert.True(t.Queued <= t.Sent);
            Assert.True(t.Sent <= t.TransactionStart);
            Assert.True(t.TransactionStart <= t.TransactionEnd);
            Assert.True(t.TransactionEnd <= t.Completed);
        });
    }

    [Fact]
    public async Task A_commit_whose_check_fails_is_refused_alone_and_the_rest_of_its_group_commits()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await db.ExecuteAsync("CREATE TABLE rows (id bigint PRIMARY KEY)");
        await using var writer = new CommitWriter(db.DataSource, writers: 1);
        using var hold = new Gate();

        // The caller of the first commit sends it itself: from another thread, since its building is held.
        var first = Task.Run(() => writer.SubmitAsync(Insert(1, hold), Ct), Ct);
        await hold.Entered.Task.WaitAsync(Ct); // the first commit is being sent alone
        var before = writer.SubmitAsync(Insert(2), Ct);
        var failing = writer.SubmitAsync(InsertThenFailCheck(3), Ct);
        var after = writer.SubmitAsync(Insert(4), Ct);
        hold.Release.Set();

        Assert.True(await first);
        Assert.True(await before);
        Assert.False(await failing);
        Assert.True(await after);
        Assert.Equal(1, writer.Refused);
        Assert.Equal(0, writer.Fallbacks);
        Assert.Equal(2, writer.Transactions); // the first alone, then the group again without the refused commit
        Assert.Equal(3, writer.Commits);
        var ids = await IdsAsync(db);
        Assert.Equal(new long[] { 1L, 2L, 4L }, ids);
    }

    [Fact]
    public async Task A_commit_losing_a_unique_key_to_another_of_its_group_is_refused_alone()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await db.ExecuteAsync("CREATE TABLE rows (id bigint PRIMARY KEY)");
        await using var writer = new CommitWriter(db.DataSource, writers: 1);
        using var hold = new Gate();

        // The caller of the first commit sends it itself: from another thread, since its building is held.
        var first = Task.Run(() => writer.SubmitAsync(Insert(1, hold), Ct), Ct);
        await hold.Entered.Task.WaitAsync(Ct); // the first commit is being sent alone
        var winner = writer.SubmitAsync(Insert(5), Ct);
        var loser = writer.SubmitAsync(Insert(5, instanceId: 6), Ct);
        var other = writer.SubmitAsync(Insert(7), Ct);
        hold.Release.Set();

        Assert.True(await first);
        Assert.True(await winner);
        Assert.False(await loser);
        Assert.True(await other);
        var ids = await IdsAsync(db);
        Assert.Equal(new long[] { 1L, 5L, 7L }, ids);
    }

    [Fact]
    public async Task A_commit_cancelled_while_queued_is_never_sent()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await db.ExecuteAsync("CREATE TABLE rows (id bigint PRIMARY KEY)");
        await using var writer = new CommitWriter(db.DataSource, writers: 1);
        using var hold = new Gate();
        using var cancel = new CancellationTokenSource();

        // The caller of the first commit sends it itself: from another thread, since its building is held.
        var first = Task.Run(() => writer.SubmitAsync(Insert(1, hold), Ct), Ct);
        await hold.Entered.Task.WaitAsync(Ct); // the first commit is being sent alone
        var cancelled = writer.SubmitAsync(Insert(2), cancel.Token);
        var kept = writer.SubmitAsync(Insert(3), Ct);
        await cancel.CancelAsync();
        hold.Release.Set();

        Assert.True(await first);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.True(await kept);
        var ids = await IdsAsync(db);
        Assert.Equal(new long[] { 1L, 3L }, ids);
    }

    [Fact]
    public async Task A_statement_that_breaks_fails_its_group_with_the_error()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await db.ExecuteAsync("CREATE TABLE rows (id bigint PRIMARY KEY)");
        await using var writer = new CommitWriter(db.DataSource, writers: 1);

        var broken = writer.SubmitAsync(new PendingCommit(1, commands => commands.Add(new NpgsqlBatchCommand("INSERT INTO missing_table VALUES (1)"))), Ct);

        var error = await Assert.ThrowsAsync<PostgresException>(() => broken);
        Assert.Equal(PostgresErrorCodes.UndefinedTable, error.SqlState);
        Assert.True(await writer.SubmitAsync(Insert(2), Ct));
    }

    [Fact]
    public async Task A_kept_connection_the_server_closed_fails_its_group_and_the_next_group_is_sent_on_a_new_one()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await db.ExecuteAsync("CREATE TABLE rows (id bigint PRIMARY KEY, pid int NOT NULL DEFAULT pg_backend_pid())");
        await using var writer = new CommitWriter(db.DataSource, writers: 1);
        Assert.True(await writer.SubmitAsync(Insert(1), Ct));
        var kept = await db.ScalarAsync<int>("SELECT pid FROM rows WHERE id = 1");

        // The connection the writer kept after the first group is ended by the server (waiting until it is gone).
        Assert.True(await db.ScalarAsync<bool>($"SELECT pg_terminate_backend({kept}, 10000)"));

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => writer.SubmitAsync(Insert(2), Ct));
        Assert.True(await writer.SubmitAsync(Insert(3), Ct));
        Assert.NotEqual(kept, await db.ScalarAsync<int>("SELECT pid FROM rows WHERE id = 3"));
        Assert.Equal(new long[] { 1L, 3L }, await IdsAsync(db));
    }

    [Fact]
    public async Task Disposing_sends_the_commits_already_accepted_and_refuses_later_ones()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        await db.ExecuteAsync("CREATE TABLE rows (id bigint PRIMARY KEY)");
        var writer = new CommitWriter(db.DataSource, writers: 2);
        var accepted = Enumerable.Range(1, 20).Select(i => writer.SubmitAsync(Insert(i), Ct)).ToList();

        await writer.DisposeAsync();

        Assert.All(await Task.WhenAll(accepted), Assert.True);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.SubmitAsync(Insert(21), Ct));
        Assert.Equal(20L, await db.ScalarAsync<long>("SELECT count(*) FROM rows"));
    }

    private static PendingCommit Insert(long id, Gate? hold = null, long? instanceId = null) =>
        new(instanceId ?? id, commands =>
        {
            if (hold is not null)
            {
                hold.Entered.TrySetResult();
                hold.Release.Wait(TestContext.Current.CancellationToken);
            }

            var insert = new NpgsqlBatchCommand("INSERT INTO rows (id) VALUES (@id)");
            insert.Parameters.AddWithValue("id", id);
            commands.Add(insert);
        });

    /// <summary>Inserts a row, then runs a guard that fails (as a stale version check does).</summary>
    private static PendingCommit InsertThenFailCheck(long id) =>
        new(id, commands =>
        {
            var insert = new NpgsqlBatchCommand("INSERT INTO rows (id) VALUES (@id)");
            insert.Parameters.AddWithValue("id", id);
            commands.Add(insert);
            commands.Add(new NpgsqlBatchCommand("WITH changed AS (UPDATE rows SET id = id WHERE id = -1 RETURNING 1) SELECT 1 / (SELECT count(*) FROM changed)::int"));
        });

    /// <summary>Holds the writer loop inside a commit's statement building until released.</summary>
    private sealed class Gate : IDisposable
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ManualResetEventSlim Release { get; } = new();

        public void Dispose() => Release.Dispose();
    }

    private static async Task<long[]> IdsAsync(TestDatabase db)
    {
        await using var command = db.DataSource.CreateCommand("SELECT id FROM rows ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var ids = new List<long>();
        while (await reader.ReadAsync(Ct))
            ids.Add(reader.GetInt64(0));
        return [.. ids];
    }
}
