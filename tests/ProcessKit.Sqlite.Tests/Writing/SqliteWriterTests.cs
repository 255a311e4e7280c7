using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using ProcessKit.Sqlite.Writing;
using static ProcessKit.Sqlite.Tests.Schema.SqliteFileTests;

namespace ProcessKit.Sqlite.Tests.Writing;

public sealed class SqliteWriterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static long Rows(TempDatabase db, string processId)
    {
        using var connection = db.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM definitions WHERE process_id = $id;";
        command.Parameters.AddWithValue("$id", processId);
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task Every_write_of_many_concurrent_submitters_is_visible_to_a_new_connection_once_its_await_returns()
    {
        using var db = new TempDatabase();
        await using var storage = await db.OpenAsync(o => o.GroupCommitWindow = TimeSpan.FromMilliseconds(1));
        const int Submitters = 8;
        const int Each = 40;

        var submitters = Enumerable.Range(0, Submitters).Select(s => Task.Run(
            async () =>
            {
                for (var i = 0; i < Each; i++)
                {
                    var id = $"s{s}-{i}";
                    Assert.Equal(1, await storage.Writer.SubmitAsync(Insert(id, 1), Ct));
                    Assert.Equal(1, Rows(db, id));
                }
            },
            Ct));
        await Task.WhenAll(submitters);

        Assert.Equal(Submitters * Each, db.Scalar("SELECT count(*) FROM definitions;"));
        Assert.Equal(Submitters * Each, storage.Writer.CommittedWrites);
        Assert.InRange(storage.Writer.Commits, 1, Submitters * Each);
    }

    [Fact]
    public async Task Writes_queued_while_a_batch_runs_share_the_next_transaction()
    {
        using var db = new TempDatabase();
        await using var storage = await db.OpenAsync();
        using var gate = new Gate();
        var held = await gate.HoldAsync(storage.Writer);

        var queued = Enumerable.Range(0, 4)
            .SelectMany(s => Enumerable.Range(0, 25).Select(i => storage.Writer.SubmitAsync(Insert($"q{s}-{i}", 1), Ct)))
            .ToArray();
        gate.Open();
        await held;
        await Task.WhenAll(queued);

        Assert.Equal(2, storage.Writer.Commits);
        Assert.Equal(101, storage.Writer.CommittedWrites);
        Assert.Equal(100, db.Scalar("SELECT count(*) FROM definitions;"));
    }

    [Fact]
    public async Task A_batch_holds_at_most_the_batch_size()
    {
        using var db = new TempDatabase();
        await using var storage = await db.OpenAsync(o => o.MaxBatchSize = 10);
        using var gate = new Gate();
        var held = await gate.HoldAsync(storage.Writer);

        var queued = Enumerable.Range(0, 25).Select(i => storage.Writer.SubmitAsync(Insert($"b{i}", 1), Ct)).ToArray();
        gate.Open();
        await held;
        await Task.WhenAll(queued);

        Assert.Equal(1 + 3, storage.Writer.Commits);
    }

    [Fact]
    public async Task The_window_gathers_writes_until_the_batch_is_full()
    {
        using var db = new TempDatabase();
        var time = new FakeTimeProvider();
        await using var storage = await db.OpenAsync(
            o =>
            {
                o.GroupCommitWindow = TimeSpan.FromSeconds(1);
                o.MaxBatchSize = 10;
            },
            time);

        // The fake clock never moves: only a full batch can end the window.
        var writes = Enumerable.Range(0, 10).Select(i => storage.Writer.SubmitAsync(Insert($"w{i}", 1), Ct)).ToArray();
        await Task.WhenAll(writes).WaitAsync(TempDatabase.Patience, Ct);

        Assert.Equal(1, storage.Writer.Commits);
        Assert.Equal(10, db.Scalar("SELECT count(*) FROM definitions;"));
    }

    [Fact]
    public async Task A_write_that_throws_is_undone_alone_and_its_caller_gets_its_exception()
    {
        using var db = new TempDatabase();
        await using var storage = await db.OpenAsync();
        using var gate = new Gate();
        var held = await gate.HoldAsync(storage.Writer);
        var boom = new InvalidOperationException("the handler failed");

        var a = storage.Writer.SubmitAsync(Insert("a", 1), Ct);
        var b = storage.Writer.SubmitAsync<int>(
            context =>
            {
                Insert("b", 1)(context);
                throw boom;
            },
            Ct);
        var c = storage.Writer.SubmitAsync(Insert("c", 1), Ct);
        var duplicate = storage.Writer.SubmitAsync(Insert("a", 1), Ct);
        gate.Open();
        await held;

        Assert.Equal(1, await a);
        Assert.Same(boom, await Assert.ThrowsAsync<InvalidOperationException>(() => b));
        Assert.Equal(1, await c);
        Assert.Equal(SQLitePCL.raw.SQLITE_CONSTRAINT, (await Assert.ThrowsAsync<SqliteException>(() => duplicate)).SqliteErrorCode);
        Assert.Equal(2, storage.Writer.Commits);
        Assert.Equal([1L, 0L, 1L], new[] { Rows(db, "a"), Rows(db, "b"), Rows(db, "c") });
    }

    [Fact]
    public async Task A_failed_commit_fails_every_write_of_the_batch_and_the_writer_goes_on()
    {
        using var db = new TempDatabase();
        await using var storage = await db.OpenAsync();
        await storage.Writer.SubmitAsync(
            context =>
            {
                using var command = context.Connection.CreateCommand();
                command.Transaction = context.Transaction;
                command.CommandText = """
                    CREATE TABLE parent (id INTEGER PRIMARY KEY);
                    CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
                    """;
                return command.ExecuteNonQuery();
            },
            Ct);
        using var gate = new Gate();
        var held = await gate.HoldAsync(storage.Writer);

        var a = storage.Writer.SubmitAsync(Insert("a", 1), Ct);
        var orphan = storage.Writer.SubmitAsync(
            context =>
            {
                // Checked only at COMMIT: the statement succeeds, the commit fails.
                var command = context.Command("INSERT INTO child (id, parent_id) VALUES (1, 99);");
                return command.ExecuteNonQuery();
            },
            Ct);
        var c = storage.Writer.SubmitAsync(Insert("c", 1), Ct);
        gate.Open();
        await held;

        foreach (var write in new[] { a, orphan, c })
        {
            var error = await Assert.ThrowsAsync<ProcessStoreException>(() => write);
            Assert.Equal("store.commit-failed", error.ErrorCode);
            Assert.IsType<SqliteException>(error.InnerException);
        }

        Assert.Equal(0, db.Scalar("SELECT count(*) FROM definitions;") + db.Scalar("SELECT count(*) FROM child;"));
        Assert.Equal(1, await storage.Writer.SubmitAsync(Insert("after", 1), Ct));
        Assert.Equal(1, Rows(db, "after"));
    }

    [Fact]
    public async Task A_write_cancelled_before_it_runs_is_never_run_and_its_caller_sees_the_cancellation_at_once()
    {
        using var db = new TempDatabase();
        await using var storage = await db.OpenAsync();
        using var gate = new Gate();
        var held = await gate.HoldAsync(storage.Writer);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var ran = false;

        var cancelled = storage.Writer.SubmitAsync(
            context =>
            {
                ran = true;
                return Insert("cancelled", 1)(context);
            },
            cancel.Token);
        var other = storage.Writer.SubmitAsync(Insert("other", 1), Ct);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.Open();
        await held;
        await other;

        Assert.False(ran);
        Assert.Equal(0, Rows(db, "cancelled"));
        Assert.Equal(1, Rows(db, "other"));
    }

    [Fact]
    public async Task A_write_cancelled_while_it_runs_is_committed_and_its_caller_gets_the_result()
    {
        using var db = new TempDatabase();
        await using var storage = await db.OpenAsync();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var result = await storage.Writer.SubmitAsync(
            context =>
            {
                cancel.Cancel();
                return Insert("late", 1)(context) + 41;
            },
            cancel.Token);

        Assert.Equal(42, result);
        Assert.Equal(1, Rows(db, "late"));
    }

    [Fact]
    public async Task A_write_given_a_cancelled_token_is_not_queued()
    {
        using var db = new TempDatabase();
        await using var storage = await db.OpenAsync();

        var write = storage.Writer.SubmitAsync(Insert("never", 1), new CancellationToken(canceled: true));

        Assert.True(write.IsCanceled);
        await storage.Writer.SubmitAsync(Insert("flush", 1), Ct);
        Assert.Equal(0, Rows(db, "never"));
        Assert.Equal(1, storage.Writer.CommittedWrites);
    }

    [Fact]
    public async Task Disposing_asynchronously_commits_every_accepted_write_then_refuses_new_ones()
    {
        using var db = new TempDatabase();
        var storage = await db.OpenAsync();
        using var gate = new Gate();
        var held = await gate.HoldAsync(storage.Writer);
        var pending = Enumerable.Range(0, 20).Select(i => storage.Writer.SubmitAsync(Insert($"p{i}", 1), Ct)).ToArray();

        var disposing = storage.DisposeAsync().AsTask();
        gate.Open();
        await disposing.WaitAsync(TempDatabase.Patience, Ct);

        Assert.Equal(1, await held);
        Assert.All(await Task.WhenAll(pending), static rows => Assert.Equal(1, rows));
        Assert.Equal(20, db.Scalar("SELECT count(*) FROM definitions;"));
        var refused = await Assert.ThrowsAsync<ProcessStoreException>(() => storage.Writer.SubmitAsync(Insert("late", 1), Ct));
        Assert.Equal("store.closed", refused.ErrorCode);
    }

    [Fact]
    public async Task Disposing_synchronously_fails_the_writes_not_started_and_commits_the_running_one()
    {
        using var db = new TempDatabase();
        var storage = await db.OpenAsync();
        using var gate = new Gate();
        var held = await gate.HoldAsync(storage.Writer);
        var heldInsert = storage.Writer.SubmitAsync(Insert("queued", 1), Ct);

        storage.Dispose();
        gate.Open();

        Assert.Equal(1, await held.WaitAsync(TempDatabase.Patience, Ct));
        var error = await Assert.ThrowsAsync<ProcessStoreException>(() => heldInsert.WaitAsync(TempDatabase.Patience, Ct));
        Assert.Equal("store.closed", error.ErrorCode);
        Assert.Equal(0, Rows(db, "queued"));
        Assert.Equal("store.closed", (await Assert.ThrowsAsync<ProcessStoreException>(() => storage.Writer.SubmitAsync(Insert("late", 1), Ct))).ErrorCode);
        await storage.DisposeAsync();
    }

    [Fact]
    public async Task Disposing_asynchronously_ends_a_long_window_and_commits_what_it_gathered()
    {
        using var db = new TempDatabase();
        var time = new FakeTimeProvider();
        var storage = await db.OpenAsync(static o => o.GroupCommitWindow = TimeSpan.FromSeconds(1), time);

        // The fake clock never moves: without the dispose the window would never end.
        var write = storage.Writer.SubmitAsync(Insert("gathered", 1), Ct);
        await storage.DisposeAsync().AsTask().WaitAsync(TempDatabase.Patience, Ct);

        Assert.Equal(1, await write);
        Assert.Equal(1, Rows(db, "gathered"));
    }

    [Fact]
    public async Task Disposing_synchronously_ends_a_long_window_and_fails_what_it_gathered()
    {
        using var db = new TempDatabase();
        var time = new FakeTimeProvider();
        var storage = await db.OpenAsync(static o => o.GroupCommitWindow = TimeSpan.FromSeconds(1), time);

        var write = storage.Writer.SubmitAsync(Insert("gathered", 1), Ct);
        storage.Dispose();

        var error = await Assert.ThrowsAsync<ProcessStoreException>(() => write.WaitAsync(TempDatabase.Patience, Ct));
        Assert.Equal("store.closed", error.ErrorCode);
        await storage.DisposeAsync();
        Assert.Equal(0, Rows(db, "gathered"));
    }

    [Property(MaxTest = 25)]
    public Property In_any_batch_exactly_the_writes_that_did_not_throw_are_stored()
    {
        return Prop.ForAll(Gen.ListOf(Gen.Elements(true, false)).Select(static l => l.ToArray()).ToArbitrary(), Check);

        static async Task<bool> Check(bool[] throws)
        {
            using var db = new TempDatabase();
            await using var storage = await db.OpenAsync();
            using var gate = new Gate();
            var held = await gate.HoldAsync(storage.Writer);
            var writes = throws.Select((fails, i) => storage.Writer.SubmitAsync<int>(
                context =>
                {
                    Insert($"x{i}", 1)(context);
                    return fails ? throw new InvalidOperationException($"write {i}") : i;
                },
                Ct)).ToArray();
            gate.Open();
            await held;

            for (var i = 0; i < throws.Length; i++)
            {
                if (throws[i])
                {
                    Assert.Equal($"write {i}", (await Assert.ThrowsAsync<InvalidOperationException>(() => writes[i])).Message);
                }
                else
                {
                    Assert.Equal(i, await writes[i]);
                }

                Assert.Equal(throws[i] ? 0 : 1, Rows(db, $"x{i}"));
            }

            return storage.Writer.Commits == (throws.Length == 0 ? 1 : 2);
        }
    }
}
