using ProcessKit.Sqlite.Reading;
using static ProcessKit.Sqlite.Tests.Schema.SqliteFileTests;

namespace ProcessKit.Sqlite.Tests.Reading;

public sealed class SqliteReaderPoolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static long Count(SqliteReaderPool readers) => readers.Read(static connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM definitions;";
        return (long)command.ExecuteScalar()!;
    });

    [Fact]
    public async Task Readers_see_each_commit_and_nothing_of_a_batch_still_running()
    {
        using var db = new TempDatabase();
        await using var storage = await db.OpenAsync();
        await storage.Writer.SubmitAsync(Insert("committed", 1), Ct);
        using var release = new SemaphoreSlim(0);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // This batch holds the write lock with an uncommitted row while the test reads (WAL: readers go on).
        var running = storage.Writer.SubmitAsync(
            context =>
            {
                Insert("uncommitted", 1)(context);
                entered.SetResult();
                return release.Wait(TempDatabase.Patience);
            },
            Ct);
        await entered.Task.WaitAsync(TempDatabase.Patience, Ct);

        Assert.Equal(1, Count(storage.Readers));
        release.Release();
        Assert.True(await running);
        Assert.Equal(2, Count(storage.Readers));
    }

    [Fact]
    public async Task Connections_are_reused_and_at_most_the_limit_is_kept_idle()
    {
        using var db = new TempDatabase();
        await using (await db.OpenAsync())
        {
        }

        using var readers = new SqliteReaderPool(db.ConnectionString, TimeSpan.FromSeconds(1), maxIdle: 2);
        var first = readers.Read(static c => c);
        var second = readers.Read(static c => c);
        Assert.Same(first, second);
        Assert.Equal(1, readers.IdleCount);

        using var go = new Barrier(4);
        var reads = Enumerable.Range(0, 4).Select(_ => Task.Run(() => readers.Read(c => go.SignalAndWait(TempDatabase.Patience)), Ct));
        Assert.All(await Task.WhenAll(reads), Assert.True);

        Assert.Equal(2, readers.IdleCount);
    }

    [Fact]
    public async Task A_disposed_pool_refuses_reads_and_closes_its_idle_connections()
    {
        using var db = new TempDatabase();
        await using (await db.OpenAsync())
        {
        }

        var readers = new SqliteReaderPool(db.ConnectionString, TimeSpan.FromSeconds(1), maxIdle: 2);
        var connection = readers.Read(static c => c);
        readers.Dispose();

        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
        Assert.Equal(0, readers.IdleCount);
        Assert.Throws<ObjectDisposedException>(() => readers.Read(static c => c));
    }
}
