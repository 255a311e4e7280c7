using Npgsql;
using ProcessKit.PostgreSql.Schema;
using ProcessKit.PostgreSql.Tests.Server;

namespace ProcessKit.PostgreSql.Tests.Schema;

public sealed class MigrationTests(PostgresServer server)
{
    private static readonly string[] Tables =
        ["buffered_messages", "definitions", "history", "incidents", "instances", "schema_migrations", "seen_messages", "start_requests", "subscriptions", "tasks", "timers"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A migrator for the schema "processkit" of <paramref name="db"/>.</summary>
    private static SchemaMigrator Migrator(TestDatabase db) => new(db.DataSource, new StoreSchema("processkit"));

    /// <summary>A fresh database with the schema "processkit" migrated to the latest version.</summary>
    private async Task<TestDatabase> MigratedDatabaseAsync()
    {
        var db = await server.CreateDatabaseAsync(Ct);
        await Migrator(db).MigrateAsync(Ct);
        return db;
    }

    [Fact]
    public async Task Migrating_a_new_database_creates_every_table_of_the_schema_and_records_the_version()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        var migrator = Migrator(db);

        var result = await migrator.MigrateAsync(Ct);

        Assert.Equal(new MigrationResult(0, Migrations.Latest), result);
        Assert.Equal(Tables, await TablesAsync(db, "processkit"));
        Assert.Equal(Migrations.Latest, await migrator.ReadVersionAsync(Ct));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_sequences WHERE schemaname = 'processkit' AND sequencename = 'node_numbers'"));
    }

    [Fact]
    public async Task Migrating_again_changes_nothing()
    {
        await using var db = await MigratedDatabaseAsync();
        var migrator = Migrator(db);
        await db.ExecuteAsync("INSERT INTO processkit.definitions VALUES ('t', 'p', 1, '{}', 0)");

        var again = await migrator.MigrateAsync(Ct);

        Assert.False(again.Applied);
        Assert.Equal(Migrations.Latest, again.ToVersion);
        Assert.Equal((long)Migrations.All.Count, await db.ScalarAsync<long>("SELECT count(*) FROM processkit.schema_migrations"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM processkit.definitions"));
    }

    [Fact]
    public async Task Three_nodes_migrating_at_once_all_succeed_and_exactly_one_applies_the_migrations()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);
        // Separate data sources: three nodes, three connection pools.
        var sources = Enumerable.Range(0, 3).Select(_ => NpgsqlDataSource.Create(db.ConnectionString)).ToArray();
        try
        {
            using var start = new Barrier(3);
            var runs = sources.Select(source => Task.Run(
                async () =>
                {
                    start.SignalAndWait(Ct);
                    return await new SchemaMigrator(source, new StoreSchema("processkit")).MigrateAsync(Ct);
                },
                Ct));

            var results = await Task.WhenAll(runs);

            Assert.Single(results, r => r.Applied);
            Assert.All(results, r => Assert.Equal(Migrations.Latest, r.ToVersion));
            Assert.Equal(Tables, await TablesAsync(db, "processkit"));
            Assert.Equal((long)Migrations.All.Count, await db.ScalarAsync<long>("SELECT count(*) FROM processkit.schema_migrations"));
        }
        finally
        {
            foreach (var source in sources)
                await source.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_schema_migrated_by_a_newer_release_is_refused_clearly_and_left_alone()
    {
        await using var db = await MigratedDatabaseAsync();
        var migrator = Migrator(db);
        var newer = Migrations.Latest + 1;
        await db.ExecuteAsync($"INSERT INTO processkit.schema_migrations (version, description) VALUES ({newer}, 'from the future')");

        var error = await Assert.ThrowsAsync<ProcessStoreException>(() => migrator.MigrateAsync(Ct));
        Assert.Equal(ProcessErrorCodes.StoreSchemaTooNew, error.ErrorCode);

        Assert.Contains($"at version {newer}, newer than version {Migrations.Latest}", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"processkit\"", error.Message, StringComparison.Ordinal);
        Assert.Equal(newer, await migrator.ReadVersionAsync(Ct));
    }

    [Fact]
    public async Task A_failing_migration_leaves_the_schema_at_its_previous_version()
    {
        await using var db = await MigratedDatabaseAsync();
        var schema = new StoreSchema("processkit");
        Migration[] withBrokenV2 =
        [
            .. Migrations.All,
            new(Migrations.Latest + 1, "broken", s => $"CREATE TABLE {s.Table("half_done")} (id int); SELECT * FROM {s.Table("no_such_table")};"),
        ];

        await Assert.ThrowsAsync<PostgresException>(() => new SchemaMigrator(db.DataSource, schema, withBrokenV2).MigrateAsync(Ct));

        Assert.Equal(Migrations.Latest, await new SchemaMigrator(db.DataSource, schema).ReadVersionAsync(Ct));
        Assert.DoesNotContain("half_done", await TablesAsync(db, "processkit"));
    }

    [Fact]
    public async Task Two_schemas_in_one_database_are_independent_even_with_a_reserved_word_as_name()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);

        await db.MigrateAsync("user");
        await db.MigrateAsync("tenant_b");
        await db.ExecuteAsync("INSERT INTO \"user\".definitions VALUES ('t', 'p', 1, '{}', 0)");

        Assert.Equal(Tables, await TablesAsync(db, "user"));
        Assert.Equal(Tables, await TablesAsync(db, "tenant_b"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM tenant_b.definitions"));
    }

    [Fact]
    public async Task Reading_the_version_of_a_database_never_migrated_gives_zero()
    {
        await using var db = await server.CreateDatabaseAsync(Ct);

        var version = await Migrator(db).ReadVersionAsync(Ct);

        Assert.Equal(0, version);
    }

    private static async Task<string[]> TablesAsync(TestDatabase db, string schema)
    {
        await using var command = db.DataSource.CreateCommand("SELECT table_name::text FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1");
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
            tables.Add(reader.GetString(0));
        return [.. tables];
    }
}
