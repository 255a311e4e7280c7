using Microsoft.Extensions.Time.Testing;
using Npgsql;
using ProcessKit.PostgreSql.Ids;
using ProcessKit.PostgreSql.Leasing;
using ProcessKit.PostgreSql.Schema;
using ProcessKit.PostgreSql.Tests.Leasing;
using ProcessKit.PostgreSql.Tests.Server;

namespace ProcessKit.PostgreSql.Tests;

public sealed class InfrastructureTests(PostgresServer server)
{
    [Fact]
    public async Task Opening_refuses_incomplete_options_before_touching_the_database()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => PostgreSqlInfrastructure.OpenAsync(new PostgreSqlStoreOptions(), TestContext.Current.CancellationToken));

        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opening_migrates_the_configured_schema_and_gives_each_opening_its_own_lease_owner()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var options = new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString, SchemaName = "orders", NodeName = "web-1", TenantId = "acme" };

        await using var first = await PostgreSqlInfrastructure.OpenAsync(options, TestContext.Current.CancellationToken);
        await using var second = await PostgreSqlInfrastructure.OpenAsync(options, TestContext.Current.CancellationToken);

        Assert.True(first.Migration.Applied);
        Assert.False(second.Migration.Applied);
        Assert.Equal(Migrations.Latest, await new SchemaMigrator(db.DataSource, new StoreSchema("orders")).ReadVersionAsync(TestContext.Current.CancellationToken));
        Assert.Equal($"web-1#{first.Ids.NodeNumber}", first.LeaseOwner);
        Assert.NotEqual(first.LeaseOwner, second.LeaseOwner);
    }

    [Fact]
    public async Task A_timer_set_with_an_allocated_instance_id_wakes_a_waiter_and_is_leased_and_completed_by_this_node()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var options = new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString, TenantId = "acme", PollingBackoffMin = TimeSpan.FromHours(1), PollingBackoffMax = TimeSpan.FromHours(1) };
        await using var store = await PostgreSqlInfrastructure.OpenAsync(options, TestContext.Current.CancellationToken);
        await using var waiter = store.CreateWaiter(new FakeTimeProvider());
        await waiter.StartAsync(TestContext.Current.CancellationToken);
        var wait = waiter.WaitAsync(null, TestContext.Current.CancellationToken);
        var instanceId = await store.Ids.NextAsync(TestContext.Current.CancellationToken);

        await store.Timers.InsertAsync(new NewTimer(instanceId, 1, 1, 0, 0, await TimerQueueTests.DatabaseNowTicksAsync(db)), null, TestContext.Current.CancellationToken);

        Assert.Equal(WakeReason.Notified, await wait.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        var lease = Assert.Single(await store.Timers.LeaseDueAsync(store.LeaseOwner, 10, TestContext.Current.CancellationToken));
        Assert.Equal(instanceId, lease.InstanceId);
        Assert.Equal(store.Ids.NodeNumber, lease.InstanceId >> IdAllocator.CounterBits);
        await using var connection = await store.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        Assert.True(await store.Timers.CompleteAsync(lease, transaction, TestContext.Current.CancellationToken));
        await transaction.CommitAsync(TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("Host=db", true, 64)]
    [InlineData("Host=db;Max Auto Prepare=10", true, 10)]
    [InlineData("Host=db;Max Auto Prepare=0", true, 64)]
    [InlineData("Host=db;No Reset On Close=false", false, 64)]
    [InlineData("Host=db;No Reset On Close=true", true, 64)]
    [InlineData("Host=db;NoResetOnClose=false", false, 64)]
    [InlineData("Host=db;noresetonclose=False;Max Auto Prepare=10", false, 10)]
    [InlineData("Host=db;NO RESET ON CLOSE=true;Max Auto Prepare=10", true, 10)]
    public void The_store_pool_turns_auto_prepare_on_and_the_reset_off_unless_the_connection_string_says(string connectionString, bool noReset, int maxAutoPrepare)
    {
        var effective = new NpgsqlConnectionStringBuilder(PostgreSqlInfrastructure.WithAutoPrepareAndNoReset(connectionString));

        Assert.Equal(noReset, effective.NoResetOnClose);
        Assert.Equal(maxAutoPrepare, effective.MaxAutoPrepare);
        Assert.Equal("db", effective.Host);
    }

    [Fact]
    public void The_listening_data_source_does_not_pool_and_keeps_the_rest_of_the_connection_string()
    {
        var effective = new NpgsqlConnectionStringBuilder(PostgreSqlInfrastructure.ForListening("Host=db;Database=app;Username=app;Multiplexing=true;Maximum Pool Size=7;Keepalive=30"));

        Assert.False(effective.Pooling);
        Assert.False(effective.Multiplexing);
        Assert.Equal(("db", "app", "app", 30), (effective.Host, effective.Database, effective.Username, effective.KeepAlive));
    }

    [Fact]
    public async Task After_a_waiter_stops_no_connection_of_the_store_pool_is_left_listening()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        // Two connections at most, so the test can hold every connection of the pool at once below.
        var options = new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString + ";Maximum Pool Size=2", TenantId = "acme", PollingBackoffMin = TimeSpan.FromHours(1), PollingBackoffMax = TimeSpan.FromHours(1) };
        await using var store = await PostgreSqlInfrastructure.OpenAsync(options, TestContext.Current.CancellationToken);
        Assert.True(new NpgsqlConnectionStringBuilder(store.DataSource.ConnectionString).NoResetOnClose);
        await using (var waiter = store.CreateWaiter(new FakeTimeProvider()))
        {
            await waiter.StartAsync(TestContext.Current.CancellationToken);
            var wait = waiter.WaitAsync(null, TestContext.Current.CancellationToken);
            await using (var notify = store.DataSource.CreateCommand($"SELECT pg_notify('{store.Schema.TimerChannel}', 'acme')"))
                await notify.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            Assert.Equal(WakeReason.Notified, await wait.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        }

        await using var first = await store.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var second = await store.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        foreach (var connection in new[] { first, second })
        {
            await using var channels = new NpgsqlCommand("SELECT count(*) FROM pg_listening_channels()", connection);
            Assert.Equal(0L, await channels.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }
    }
}
