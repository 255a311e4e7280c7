using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessKit.Sqlite.Ids;

namespace ProcessKit.Sqlite.Tests.Ids;

public sealed class SqliteIdAllocatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<long>> TakeAsync(SqliteIdAllocator ids, int count)
    {
        var taken = new List<long>(count);
        for (var i = 0; i < count; i++)
        {
            taken.Add(await ids.NextAsync(Ct));
        }

        return taken;
    }

    [Fact]
    public async Task Ids_start_at_one_and_a_block_serves_many_ids_with_one_reservation()
    {
        using var db = new TempDatabase();
        await using var storage = await db.OpenAsync();

        var ids = await TakeAsync(storage.InstanceIds, 1000);

        Assert.Equal(Enumerable.Range(1, 1000).Select(static i => (long)i), ids);
        Assert.Equal(1, storage.InstanceIds.Reservations);
        Assert.Equal(1, storage.Writer.Commits);
    }

    [Fact]
    public async Task Instance_and_task_ids_are_counted_apart()
    {
        using var db = new TempDatabase();
        await using var storage = await db.OpenAsync();

        Assert.Equal(1, await storage.InstanceIds.NextAsync(Ct));
        Assert.Equal(1, await storage.TaskIds.NextAsync(Ct));
        Assert.Equal(2, await storage.InstanceIds.NextAsync(Ct));
    }

    [Fact]
    public async Task Ids_are_unique_across_a_reopen_of_the_file()
    {
        using var db = new TempDatabase();
        List<long> before;
        await using (var first = await db.OpenAsync())
        {
            before = await TakeAsync(first.TaskIds, 10);
        }

        await using var second = await db.OpenAsync();
        var after = await TakeAsync(second.TaskIds, 10);

        Assert.True(after.Min() > before.Max());
        Assert.Equal(20, before.Concat(after).Distinct().Count());
    }

    [Fact]
    public async Task Concurrent_allocators_on_two_stores_of_the_same_file_never_hand_out_the_same_id()
    {
        using var db = new TempDatabase();
        await using var a = await db.OpenAsync();
        await using var b = await db.OpenAsync();
        var allocators = new[]
        {
            new SqliteIdAllocator(a.Writer, "instance", blockSize: 7),
            new SqliteIdAllocator(a.Writer, "instance", blockSize: 5),
            new SqliteIdAllocator(b.Writer, "instance", blockSize: 7),
            new SqliteIdAllocator(b.Writer, "instance", blockSize: 3),
        };

        var takers = allocators
            .SelectMany(static ids => Enumerable.Range(0, 2).Select(_ => ids))
            .Select(ids => Task.Run(() => TakeAsync(ids, 150), Ct));
        var all = (await Task.WhenAll(takers)).SelectMany(static ids => ids).ToList();

        Assert.Equal(8 * 150, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(all, static id => Assert.True(id >= 1));
    }

    [Fact]
    public async Task A_reserved_block_is_recorded_in_the_file_before_its_ids_are_handed_out()
    {
        using var db = new TempDatabase();
        await using var storage = await db.OpenAsync();
        var ids = new SqliteIdAllocator(storage.Writer, "task", blockSize: 50);

        var first = await ids.NextAsync(Ct);

        Assert.Equal(1, first);
        Assert.Equal(51, db.Scalar("SELECT next_id FROM id_blocks WHERE tenant = 'default' AND kind = 'task';"));
    }

    [Fact]
    public async Task Tenants_sharing_a_file_have_their_own_counters()
    {
        using var db = new TempDatabase();
        await using var red = await db.OpenAsync(static o => o.TenantId = "red");
        await using var blue = await db.OpenAsync(static o => o.TenantId = "blue");

        Assert.Equal(1, await red.InstanceIds.NextAsync(Ct));
        Assert.Equal(1, await blue.InstanceIds.NextAsync(Ct));
        Assert.Equal(2, db.Scalar("SELECT count(*) FROM id_blocks WHERE kind = 'instance';"));
    }

    [Fact]
    public async Task A_closed_store_fails_each_request_for_a_new_block_and_never_hands_out_an_id()
    {
        using var db = new TempDatabase();
        var storage = await db.OpenAsync();
        var ids = new SqliteIdAllocator(storage.Writer, "instance", blockSize: 2);
        Assert.Equal(1, await ids.NextAsync(Ct));
        Assert.Equal(2, await ids.NextAsync(Ct));
        await storage.DisposeAsync();

        for (var i = 0; i < 2; i++)
        {
            var error = await Assert.ThrowsAsync<ProcessStoreException>(async () => await ids.NextAsync(Ct));
            Assert.Equal("store.closed", error.ErrorCode);
        }
    }

    [Fact]
    public async Task A_caller_that_stops_waiting_for_a_block_does_not_stop_the_reservation()
    {
        using var db = new TempDatabase();
        await using var storage = await db.OpenAsync();
        var ids = new SqliteIdAllocator(storage.Writer, "task", blockSize: 10);
        using var gate = new Writing.Gate();
        var held = await gate.HoldAsync(storage.Writer);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var impatient = ids.NextAsync(cancel.Token).AsTask();
        var patient = ids.NextAsync(Ct).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        gate.Open();
        await held;

        Assert.Equal(1, await patient);
        Assert.Equal(1, ids.Reservations);
    }

    [Fact]
    public async Task Taking_ids_without_waiting_reserves_the_next_block_in_the_background_once_half_the_block_is_used()
    {
        using var db = new TempDatabase();
        await using var storage = await db.OpenAsync();
        var ids = new SqliteIdAllocator(storage.Writer, "task", blockSize: 10, reserveNow: static (_, _) => throw new InvalidOperationException("no immediate reservation expected"));
        await ids.WarmUpAsync(Ct);
        Assert.Equal(11, db.Scalar("SELECT next_id FROM id_blocks WHERE kind = 'task';"));

        var taken = Enumerable.Range(0, 6).Select(_ => ids.Next()).ToList();

        // The writer runs writes in order: once a later write committed, the background reservation has too.
        await storage.Writer.SubmitAsync(static _ => 0, Ct);
        Assert.Equal(Enumerable.Range(1, 6).Select(static i => (long)i), taken);
        Assert.Equal(21, db.Scalar("SELECT next_id FROM id_blocks WHERE kind = 'task';"));
        Assert.Equal(0, ids.ImmediateReservations);
    }

    [Fact]
    public async Task A_block_used_up_before_the_background_reservation_committed_is_followed_by_one_reserved_at_once()
    {
        using var db = new TempDatabase();
        await using var storage = await db.OpenAsync();
        using var own = db.Connect();
        using (var pragma = own.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout = 30000;";
            pragma.ExecuteNonQuery();
        }

        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ids = new SqliteIdAllocator(storage.Writer, "task", blockSize: 4, reserveNow: (kind, count) =>
        {
            entered.TrySetResult();
            return SqliteIdAllocator.ReserveImmediately(own, "default", kind, count);
        });
        await ids.WarmUpAsync(Ct);
        using var gate = new Writing.Gate();
        var held = await gate.HoldAsync(storage.Writer);

        var taken = Enumerable.Range(0, 4).Select(_ => ids.Next()).ToList();
        var fifth = Task.Run(ids.Next, Ct);
        await entered.Task.WaitAsync(TempDatabase.Patience, Ct);
        gate.Open();
        await held;
        taken.Add(await fifth.WaitAsync(TempDatabase.Patience, Ct));
        taken.AddRange(Enumerable.Range(0, 10).Select(_ => ids.Next()));

        Assert.Equal(Enumerable.Range(1, 4).Select(static i => (long)i), taken.Take(4));
        Assert.Equal(taken.Count, taken.Distinct().Count());
        Assert.True(ids.ImmediateReservations >= 1);
    }

    [Property(MaxTest = 20)]
    public Property Ids_from_one_allocator_strictly_grow_whatever_the_block_size()
    {
        var blockSizes = Gen.Choose(1, 40);
        var counts = Gen.Choose(1, 200);
        return Prop.ForAll(blockSizes.ToArbitrary(), counts.ToArbitrary(), Check);

        static async Task<bool> Check(int blockSize, int count)
        {
            using var db = new TempDatabase();
            await using var storage = await db.OpenAsync();
            var ids = await TakeAsync(new SqliteIdAllocator(storage.Writer, "instance", blockSize), count);
            Assert.Equal(ids.Order(), ids);
            Assert.Equal(count, ids.Distinct().Count());
            return storage.Writer.Commits == (count + blockSize - 1) / blockSize;
        }
    }
}
