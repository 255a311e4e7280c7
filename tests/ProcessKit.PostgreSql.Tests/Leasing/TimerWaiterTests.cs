using Microsoft.Extensions.Time.Testing;
using ProcessKit.PostgreSql.Leasing;
using ProcessKit.PostgreSql.Tests.Server;

namespace ProcessKit.PostgreSql.Tests.Leasing;

public sealed class TimerWaiterTests(PostgresServer server)
{
    private const string Tenant = "acme";

    /// <summary>A failsafe so a broken wake-up fails the test instead of hanging it; never a measured time.</summary>
    private static readonly TimeSpan Failsafe = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_notification_wakes_the_waiter_before_the_backoff_elapses()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var schema = await db.MigrateAsync();
        var queue = new TimerQueue(db.DataSource, schema, Tenant, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));
        // Fake time that never moves: the backoff cannot elapse, only the notification can wake the waiter.
        await using var waiter = new TimerWaiter(db.DataSource, schema, Tenant, TimeSpan.FromHours(1), TimeSpan.FromHours(1), new FakeTimeProvider());
        await waiter.StartAsync(TestContext.Current.CancellationToken);
        var wait = waiter.WaitAsync(null, TestContext.Current.CancellationToken);
        Assert.False(wait.IsCompleted);

        var (_, notified) = await queue.InsertAsync(TimerQueueTests.Timer(1, await TimerQueueTests.DatabaseNowTicksAsync(db)), null, TestContext.Current.CancellationToken);

        Assert.True(notified);
        Assert.Equal(WakeReason.Notified, await wait.WaitAsync(Failsafe, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_notification_sent_while_nobody_waits_wakes_the_next_wait()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var schema = await db.MigrateAsync();
        var queue = new TimerQueue(db.DataSource, schema, Tenant, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));
        await using var waiter = new TimerWaiter(db.DataSource, schema, Tenant, TimeSpan.FromHours(1), TimeSpan.FromHours(1), new FakeTimeProvider());
        await waiter.StartAsync(TestContext.Current.CancellationToken);
        var now = await TimerQueueTests.DatabaseNowTicksAsync(db);

        await queue.InsertAsync(TimerQueueTests.Timer(1, now), null, TestContext.Current.CancellationToken);
        await queue.InsertAsync(TimerQueueTests.Timer(2, now), null, TestContext.Current.CancellationToken);

        Assert.Equal(WakeReason.Notified, await waiter.WaitAsync(null, TestContext.Current.CancellationToken).WaitAsync(Failsafe, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_timer_due_beyond_the_notification_horizon_sends_no_notification()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var schema = await db.MigrateAsync();
        var queue = new TimerQueue(db.DataSource, schema, Tenant, TimeSpan.FromSeconds(30), notifyHorizon: TimeSpan.FromSeconds(5));
        var now = await TimerQueueTests.DatabaseNowTicksAsync(db);

        var (_, later) = await queue.InsertAsync(TimerQueueTests.Timer(1, now + TimeSpan.TicksPerHour), null, TestContext.Current.CancellationToken);
        var (_, soon) = await queue.InsertAsync(TimerQueueTests.Timer(2, now + TimeSpan.TicksPerSecond), null, TestContext.Current.CancellationToken);

        Assert.False(later);
        Assert.True(soon);
    }

    [Fact]
    public async Task Without_notifications_the_backoff_doubles_up_to_its_maximum_and_resets_on_work()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var schema = await db.MigrateAsync();
        var time = new FakeTimeProvider();
        await using var waiter = new TimerWaiter(db.DataSource, schema, Tenant, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), time);
        await waiter.StartAsync(TestContext.Current.CancellationToken);

        var backoffs = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            var backoff = waiter.CurrentBackoff;
            backoffs.Add(backoff);
            var wait = waiter.WaitAsync(null, TestContext.Current.CancellationToken);
            time.Advance(backoff - TimeSpan.FromTicks(1));
            Assert.False(wait.IsCompleted);
            time.Advance(TimeSpan.FromTicks(1));
            Assert.Equal(WakeReason.BackoffElapsed, await wait.WaitAsync(Failsafe, TestContext.Current.CancellationToken));
        }

        waiter.ResetBackoff();

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4)], backoffs);
        Assert.Equal(TimeSpan.FromSeconds(1), waiter.CurrentBackoff);
    }

    [Fact]
    public async Task A_known_due_time_shorter_than_the_backoff_ends_the_wait_without_growing_the_backoff()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var schema = await db.MigrateAsync();
        var time = new FakeTimeProvider();
        await using var waiter = new TimerWaiter(db.DataSource, schema, Tenant, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10), time);
        await waiter.StartAsync(TestContext.Current.CancellationToken);

        var wait = waiter.WaitAsync(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(WakeReason.DueTimeReached, await wait.WaitAsync(Failsafe, TestContext.Current.CancellationToken));
        Assert.Equal(TimeSpan.FromMinutes(1), waiter.CurrentBackoff);
        Assert.Equal(WakeReason.DueTimeReached, await waiter.WaitAsync(TimeSpan.Zero, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_waiter_whose_connection_is_killed_reconnects_and_wakes_its_worker()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var schema = await db.MigrateAsync();
        var time = new FakeTimeProvider();
        await using var waiter = new TimerWaiter(db.DataSource, schema, Tenant, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), time);
        await waiter.StartAsync(TestContext.Current.CancellationToken);
        var queue = new TimerQueue(db.DataSource, schema, Tenant, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));

        await db.ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = '{db.Name}'");
        // The loss itself wakes the worker: notifications may have been missed.
        Assert.Equal(WakeReason.Notified, await waiter.WaitAsync(null, TestContext.Current.CancellationToken).WaitAsync(Failsafe, TestContext.Current.CancellationToken));
        // After the reconnect delay (fake time) it listens again: the reconnect wakes once more, then a new timer wakes it.
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(WakeReason.Notified, await waiter.WaitAsync(null, TestContext.Current.CancellationToken).WaitAsync(Failsafe, TestContext.Current.CancellationToken));
        var wait = waiter.WaitAsync(null, TestContext.Current.CancellationToken);
        await queue.InsertAsync(TimerQueueTests.Timer(1, await TimerQueueTests.DatabaseNowTicksAsync(db)), null, TestContext.Current.CancellationToken);

        Assert.Equal(WakeReason.Notified, await wait.WaitAsync(Failsafe, TestContext.Current.CancellationToken));
    }
}
