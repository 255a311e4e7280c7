using Npgsql;
using ProcessKit.Execution;
using ProcessKit.PostgreSql.Schema;
using ProcessKit.PostgreSql.Tests.Server;

namespace ProcessKit.PostgreSql.Tests.Schema;

/// <summary>Schema v3: the instance listing's index, added to a schema of v2 when a store opens on it, and the plan that walks it.</summary>
public sealed class InstanceIndexMigrationTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_schema_of_v2_gains_the_process_index_on_open_keeps_its_instances_and_a_page_walks_the_index_in_order()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        var schema = new StoreSchema("processkit");
        await new SchemaMigrator(db.DataSource, schema, [.. Migrations.All.Take(2)]).MigrateAsync(Ct);
        await db.ExecuteAsync("""
            INSERT INTO processkit.instances (tenant, id, process_id, process_version, version, state, business_key, parent_id, started_ticks, ended_ticks, state_blob, history_count)
            VALUES ('t', 7, 'p', 1, 3, 1, 'K-7', NULL, 100, 200, '\x00', 0), ('t', 8, 'p', 1, 1, 0, NULL, NULL, 150, NULL, '\x00', 0)
            """);
        await db.ExecuteAsync("INSERT INTO processkit.start_requests (tenant, request_id, instance_id, fingerprint) VALUES ('t', 'r-7', 7, '\\x01')");
        Assert.Equal(2, await new SchemaMigrator(db.DataSource, schema).ReadVersionAsync(Ct));

        await using var store = await PostgreSqlProcessStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = db.ConnectionString, TenantId = "t" }, Ct);
        var engine = new ProcessEngine(new ProcessEngineOptions { Store = store });
        var page = await engine.QueryInstancesAsync(new InstanceQuery("p"), Ct);

        Assert.Equal(3, await new SchemaMigrator(db.DataSource, schema).ReadVersionAsync(Ct));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE schemaname = 'processkit' AND indexname = 'instances_by_process_version_id'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE schemaname = 'processkit' AND indexname = 'instances_by_process'"));
        Assert.Equal(
            [
                new InstanceSummary(new InstanceId(7), "p", 1, InstanceState.Completed, "K-7", new DateTimeOffset(100, TimeSpan.Zero), new DateTimeOffset(200, TimeSpan.Zero)),
                new InstanceSummary(new InstanceId(8), "p", 1, InstanceState.Running, null, new DateTimeOffset(150, TimeSpan.Zero), null),
            ],
            page.Instances);
        Assert.Equal(100L, await db.ScalarAsync<long>("SELECT created_ticks FROM processkit.start_requests WHERE request_id = 'r-7'"));

        // The plan, with sequential scans ruled out (a table this small is cheaper to scan): the index, in its order, no sort.
        await using var connection = await db.DataSource.OpenConnectionAsync(Ct);
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync(Ct);
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + PostgreSqlProcessStore.InstancePageSql.Page(schema), connection);
        PostgreSqlProcessStore.InstancePageSql.Bind(explain.Parameters, new InstanceQuery("p") { Version = 1, States = [InstanceState.Running] }, "t", (1, 7), 101);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                plan.Add(reader.GetString(0));
            }
        }

        var text = string.Join("\n", plan);
        Assert.Contains("instances_by_process_version_id", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort", text, StringComparison.Ordinal);
    }
}
