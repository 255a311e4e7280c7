using Npgsql;
using ProcessKit.PostgreSql.Leasing;
using ProcessKit.PostgreSql.Tests.Server;

namespace ProcessKit.PostgreSql.Tests.Leasing;

public sealed class TimerQueueTests(PostgresServer server)
{
    private const string Tenant = "acme";

    [Fact]
    public async Task Only_rows_due_by_the_database_clock_are_leased()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var queue = await QueueAsync(db);
        var now = await DatabaseNowTicksAsync(db);
        var (due, _) = await queue.InsertAsync(Timer(1, now - TimeSpan.TicksPerSecond), null, TestContext.Current.CancellationToken);
        await queue.InsertAsync(Timer(2, now + TimeSpan.TicksPerHour), null, TestContext.Current.CancellationToken);

        var leases = await queue.LeaseDueAsync("node-a", 10, TestContext.Current.CancellationToken);

        var lease = Assert.Single(leases);
        Assert.Equal(due, lease.Id);
        Assert.Equal(1, lease.InstanceId);
        Assert.Equal(1, lease.Attempt);
        Assert.Equal("node-a", lease.Owner);
        Assert.Equal(now - TimeSpan.TicksPerSecond, lease.DueTicks);
        Assert.True(lease.LeaseExpires.UtcTicks > now);
    }

    [Fact]
    public async Task A_row_leased_by_one_node_is_not_leased_by_another_while_the_lease_lasts()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var queue = await QueueAsync(db);
        await queue.InsertAsync(Timer(1, await DatabaseNowTicksAsync(db)), null, TestContext.Current.CancellationToken);

        Assert.Single(await queue.LeaseDueAsync("node-a", 10, TestContext.Current.CancellationToken));
        Assert.Empty(await queue.LeaseDueAsync("node-b", 10, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Concurrent_leasers_never_get_the_same_row()
    {
        const int Rows = 400;
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var queue = await QueueAsync(db);
        var now = await DatabaseNowTicksAsync(db);
        await db.ExecuteAsync($"""
            INSERT INTO processkit.timers (tenant, instance_id, node, step_instance, kind, idx, due_ticks, due_at)
            SELECT '{Tenant}', i, 0, 0, 0, 0, {now}, now() - interval '1 second' FROM generate_series(1, {Rows}) AS i
            """);

        var leasers = Enumerable.Range(0, 4).Select(n => Task.Run(
            async () =>
            {
                var mine = new List<TimerLease>();
                while (true)
                {
                    var batch = await queue.LeaseDueAsync($"node-{n}", 7, TestContext.Current.CancellationToken);
                    if (batch.Count == 0)
                        return mine;
                    mine.AddRange(batch);
                }
            },
            TestContext.Current.CancellationToken));
        var results = await Task.WhenAll(leasers);

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(Rows, all.Count);
        Assert.Equal(Rows, all.Select(l => l.Id).Distinct().Count());
        Assert.All(all, l => Assert.Equal(1, l.Attempt));
        Assert.Equal((long)Rows, await db.ScalarAsync<long>("SELECT count(*) FROM processkit.timers WHERE attempt = 1 AND lease_owner IS NOT NULL"));
    }

    [Fact]
    public async Task An_expired_lease_is_taken_over_and_the_old_owners_completion_is_refused()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var queue = await QueueAsync(db);
        await queue.InsertAsync(Timer(1, await DatabaseNowTicksAsync(db)), null, TestContext.Current.CancellationToken);
        var old = Assert.Single(await queue.LeaseDueAsync("paused-node", 10, TestContext.Current.CancellationToken));
        // The paused node's lease runs out (by the database clock).
        await db.ExecuteAsync("UPDATE processkit.timers SET lease_expires = now() - interval '1 second'");

        var taken = Assert.Single(await queue.LeaseDueAsync("live-node", 10, TestContext.Current.CancellationToken));

        Assert.Equal(old.Id, taken.Id);
        Assert.Equal(2, taken.Attempt);
        Assert.False(await CompleteAsync(db, queue, old));
        Assert.True(await CompleteAsync(db, queue, taken));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM processkit.timers"));
    }

    [Fact]
    public async Task The_old_owner_cannot_release_a_row_taken_over_either()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var queue = await QueueAsync(db);
        await queue.InsertAsync(Timer(1, await DatabaseNowTicksAsync(db)), null, TestContext.Current.CancellationToken);
        var old = Assert.Single(await queue.LeaseDueAsync("paused-node", 10, TestContext.Current.CancellationToken));
        await db.ExecuteAsync("UPDATE processkit.timers SET lease_expires = now() - interval '1 second'");
        Assert.Single(await queue.LeaseDueAsync("live-node", 10, TestContext.Current.CancellationToken));

        Assert.False(await queue.ReleaseAsync(old, TimeSpan.Zero, TestContext.Current.CancellationToken));
        Assert.Equal("live-node", await db.ScalarAsync<string>("SELECT lease_owner FROM processkit.timers"));
    }

    [Fact]
    public async Task Completion_happens_in_the_callers_transaction_and_rolls_back_with_it()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var queue = await QueueAsync(db);
        await queue.InsertAsync(Timer(1, await DatabaseNowTicksAsync(db)), null, TestContext.Current.CancellationToken);
        var lease = Assert.Single(await queue.LeaseDueAsync("node-a", 10, TestContext.Current.CancellationToken));

        await using (var connection = await db.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            Assert.True(await queue.CompleteAsync(lease, transaction, TestContext.Current.CancellationToken));
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM processkit.timers"));
        Assert.True(await CompleteAsync(db, queue, lease));
        Assert.False(await CompleteAsync(db, queue, lease));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM processkit.timers"));
    }

    [Fact]
    public async Task A_released_row_is_leased_again_with_a_higher_attempt_or_after_the_given_delay()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var queue = await QueueAsync(db);
        await queue.InsertAsync(Timer(1, await DatabaseNowTicksAsync(db)), null, TestContext.Current.CancellationToken);
        var first = Assert.Single(await queue.LeaseDueAsync("node-a", 10, TestContext.Current.CancellationToken));

        Assert.True(await queue.ReleaseAsync(first, TimeSpan.Zero, TestContext.Current.CancellationToken));
        var second = Assert.Single(await queue.LeaseDueAsync("node-b", 10, TestContext.Current.CancellationToken));
        Assert.True(await queue.ReleaseAsync(second, TimeSpan.FromHours(1), TestContext.Current.CancellationToken));

        Assert.Equal(2, second.Attempt);
        Assert.Empty(await queue.LeaseDueAsync("node-c", 10, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Other_tenants_rows_are_neither_leased_nor_counted()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var schema = await db.MigrateAsync();
        var other = new TimerQueue(db.DataSource, schema, "other", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));
        var queue = new TimerQueue(db.DataSource, schema, Tenant, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));
        await other.InsertAsync(Timer(1, await DatabaseNowTicksAsync(db)), null, TestContext.Current.CancellationToken);

        Assert.Empty(await queue.LeaseDueAsync("node-a", 10, TestContext.Current.CancellationToken));
        Assert.Null(await queue.NextDueInAsync(TestContext.Current.CancellationToken));
        Assert.Single(await other.LeaseDueAsync("node-a", 10, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_next_due_time_is_measured_by_the_database_clock()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var queue = await QueueAsync(db);
        Assert.Null(await queue.NextDueInAsync(TestContext.Current.CancellationToken));
        var now = await DatabaseNowTicksAsync(db);

        await queue.InsertAsync(Timer(1, now + TimeSpan.TicksPerHour), null, TestContext.Current.CancellationToken);
        var inAnHour = await queue.NextDueInAsync(TestContext.Current.CancellationToken);
        await queue.InsertAsync(Timer(2, now - TimeSpan.TicksPerMinute), null, TestContext.Current.CancellationToken);
        var dueNow = await queue.NextDueInAsync(TestContext.Current.CancellationToken);

        Assert.InRange(inAnHour!.Value, TimeSpan.FromMinutes(50), TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.Zero, dueNow);
    }

    [Fact]
    public async Task A_timer_inserted_in_a_transaction_that_rolls_back_leaves_nothing()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var queue = await QueueAsync(db);
        var now = await DatabaseNowTicksAsync(db);

        await using (var connection = await db.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            await queue.InsertAsync(Timer(1, now), transaction, TestContext.Current.CancellationToken);
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }

        Assert.Empty(await queue.LeaseDueAsync("node-a", 10, TestContext.Current.CancellationToken));
    }

    internal static NewTimer Timer(long instanceId, long dueTicks) => new(instanceId, Node: 3, StepInstance: 7, Kind: 1, Index: 0, dueTicks);

    internal static async Task<long> DatabaseNowTicksAsync(TestDatabase db) =>
        (await db.ScalarAsync<DateTime>("SELECT now()")).Ticks;

    private static async Task<TimerQueue> QueueAsync(TestDatabase db) =>
        new(db.DataSource, await db.MigrateAsync(), Tenant, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));

    private static async Task<bool> CompleteAsync(TestDatabase db, TimerQueue queue, TimerLease lease)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        var won = await queue.CompleteAsync(lease, transaction, TestContext.Current.CancellationToken);
        await transaction.CommitAsync(TestContext.Current.CancellationToken);
        return won;
    }
}
