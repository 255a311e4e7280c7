using Npgsql;
using ProcessKit.PostgreSql.Ids;
using ProcessKit.PostgreSql.Schema;
using ProcessKit.PostgreSql.Tests.Server;

namespace ProcessKit.PostgreSql.Tests.Ids;

public sealed class IdAllocatorTests(PostgresServer server)
{
    [Fact]
    public async Task Ids_from_concurrent_allocators_on_separate_nodes_are_unique()
    {
        const int Nodes = 4;
        const int ThreadsPerNode = 2;
        const int IdsPerThread = 5_000;
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var schema = await db.MigrateAsync();
        var sources = Enumerable.Range(0, Nodes).Select(_ => NpgsqlDataSource.Create(db.ConnectionString)).ToArray();
        try
        {
            var allocators = await Task.WhenAll(sources.Select(s => IdAllocator.OpenAsync(s, schema, TestContext.Current.CancellationToken)));
            var runs = allocators.SelectMany(a => Enumerable.Range(0, ThreadsPerNode).Select(_ => Task.Run(
                async () =>
                {
                    var ids = new long[IdsPerThread];
                    for (var i = 0; i < ids.Length; i++)
                        ids[i] = await a.NextAsync(TestContext.Current.CancellationToken);
                    return ids;
                },
                TestContext.Current.CancellationToken)));

            var all = (await Task.WhenAll(runs)).SelectMany(ids => ids).ToList();

            Assert.Equal(Nodes * ThreadsPerNode * IdsPerThread, all.Distinct().Count());
            Assert.All(all, id => Assert.True(id > 0));
            Assert.Equal(Nodes, allocators.Select(a => a.NodeNumber).Distinct().Count());
            Assert.All(all, id => Assert.Contains(id >> IdAllocator.CounterBits, allocators.Select(a => a.NodeNumber)));
        }
        finally
        {
            foreach (var source in sources)
                await source.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_used_up_counter_reserves_a_new_node_number_even_under_contention()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var schema = await db.MigrateAsync();
        var allocator = await IdAllocator.OpenAsync(db.DataSource, schema, counterLimit: 5, TestContext.Current.CancellationToken);
        var firstNode = allocator.NodeNumber;

        var runs = Enumerable.Range(0, 4).Select(_ => Task.Run(
            async () =>
            {
                var ids = new List<long>();
                for (var i = 0; i < 50; i++)
                    ids.Add(await allocator.NextAsync(TestContext.Current.CancellationToken));
                return ids;
            },
            TestContext.Current.CancellationToken));
        var all = (await Task.WhenAll(runs)).SelectMany(ids => ids).ToList();

        Assert.Equal(200, all.Distinct().Count());
        Assert.All(all, id => Assert.InRange(id & ((1L << IdAllocator.CounterBits) - 1), 1, 5));
        Assert.True(allocator.NodeNumber > firstNode);
    }

    [Fact]
    public async Task Node_numbers_are_never_reused_after_a_node_stops()
    {
        await using var db = await server.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        var schema = await db.MigrateAsync();

        var first = await IdAllocator.OpenAsync(db.DataSource, schema, TestContext.Current.CancellationToken);
        var firstId = await first.NextAsync(TestContext.Current.CancellationToken);
        var restarted = await IdAllocator.OpenAsync(db.DataSource, schema, TestContext.Current.CancellationToken);
        var restartedId = await restarted.NextAsync(TestContext.Current.CancellationToken);

        Assert.NotEqual(first.NodeNumber, restarted.NodeNumber);
        Assert.NotEqual(firstId, restartedId);
        Assert.Equal(Migrations.MaxNodeNumber, await db.ScalarAsync<long>("SELECT max_value FROM pg_sequences WHERE schemaname = 'processkit' AND sequencename = 'node_numbers'"));
    }
}
