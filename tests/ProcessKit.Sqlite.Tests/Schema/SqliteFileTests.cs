using Microsoft.Data.Sqlite;
using ProcessKit.Sqlite.Schema;

namespace ProcessKit.Sqlite.Tests.Schema;

public sealed class SqliteFileTests
{
    private static readonly string[] Tables =
    [
        "buffered_messages", "definitions", "history", "id_blocks", "incidents", "instances",
        "seen_messages", "start_requests", "subscriptions", "tasks", "timers",
    ];

    private static readonly string[] Indexes =
    [
        "ix_buffered_messages_name_key", "ix_instances_process", "ix_start_requests_created", "ix_tasks_assigned_to",
        "ix_tasks_claimed_by", "ix_tasks_instance", "ix_tasks_state_role_due", "ix_timers_due", "ix_timers_lease",
    ];

    private static Task<string> PragmaAsync(SqliteStorage storage, string name) =>
        storage.Writer.SubmitAsync(
            context =>
            {
                using var command = context.Connection.CreateCommand();
                command.CommandText = $"PRAGMA {name};";
                return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
            },
            TestContext.Current.CancellationToken);

    [Fact]
    public async Task The_writer_connection_has_wal_full_sync_the_busy_timeout_and_foreign_keys()
    {
        using var db = new TempDatabase();
        await using var storage = await db.OpenAsync(o => o.BusyTimeout = TimeSpan.FromMilliseconds(1234));

        Assert.Equal("wal", await PragmaAsync(storage, "journal_mode"));
        Assert.Equal("2", await PragmaAsync(storage, "synchronous"));
        Assert.Equal("1234", await PragmaAsync(storage, "busy_timeout"));
        Assert.Equal("1", await PragmaAsync(storage, "foreign_keys"));
    }

    [Theory]
    [InlineData(SqliteSynchronousMode.Normal, "1")]
    [InlineData(SqliteSynchronousMode.Full, "2")]
    [InlineData(SqliteSynchronousMode.Extra, "3")]
    public async Task The_synchronous_option_is_what_the_writer_connection_uses(SqliteSynchronousMode mode, string expected)
    {
        using var db = new TempDatabase();
        await using var storage = await db.OpenAsync(o => o.Synchronous = mode);

        Assert.Equal(expected, await PragmaAsync(storage, "synchronous"));
    }

    [Fact]
    public async Task Reader_connections_have_the_busy_timeout_and_cannot_write()
    {
        using var db = new TempDatabase();
        await using var storage = await db.OpenAsync(o => o.BusyTimeout = TimeSpan.FromMilliseconds(777));

        var (timeout, queryOnly) = storage.Readers.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout;";
            var t = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            command.CommandText = "PRAGMA query_only;";
            return (t, Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
        });
        var write = Assert.Throws<SqliteException>(() => storage.Readers.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO id_blocks (tenant, kind, next_id) VALUES ('t', 'k', 1);";
            return command.ExecuteNonQuery();
        }));

        Assert.Equal(777, timeout);
        Assert.Equal(1, queryOnly);
        Assert.Equal(SQLitePCL.raw.SQLITE_READONLY, write.SqliteErrorCode);
    }

    [Fact]
    public async Task Opening_a_new_file_creates_every_table_and_index_of_the_schema_and_records_the_version()
    {
        using var db = new TempDatabase();
        await using (await db.OpenAsync())
        {
        }

        using var connection = db.Connect();
        Assert.Equal(Tables, Names(connection, "table"));
        Assert.Equal(Indexes, Names(connection, "index"));
        Assert.Equal(SqliteMigrations.CurrentVersion, db.Scalar("PRAGMA user_version;"));
        Assert.Equal(3, SqliteMigrations.CurrentVersion);
        Assert.Equal(SqliteMigrations.ApplicationId, db.Scalar("PRAGMA application_id;"));
        Assert.Equal("wal", Convert.ToString(Single(connection, "PRAGMA journal_mode;"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Every_table_has_the_tenant_first_in_its_primary_key()
    {
        using var db = new TempDatabase();
        await using (await db.OpenAsync())
        {
        }

        using var connection = db.Connect();
        foreach (var table in Tables)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM pragma_table_info($table) WHERE pk = 1;";
            command.Parameters.AddWithValue("$table", table);
            Assert.Equal("tenant", command.ExecuteScalar());
        }
    }

    [Fact]
    public async Task Reopening_a_current_file_changes_nothing_and_keeps_the_data()
    {
        using var db = new TempDatabase();
        await using (var first = await db.OpenAsync())
        {
            await first.Writer.SubmitAsync(Insert("p", 1), TestContext.Current.CancellationToken);
        }

        var schema = SchemaText(db);
        await using (await db.OpenAsync())
        {
        }

        await using (await db.OpenAsync())
        {
        }

        using (var connection = db.Connect())
        {
            Assert.Equal(SqliteMigrations.CurrentVersion, SqliteMigrations.Apply(connection));
        }

        Assert.Equal(schema, SchemaText(db));
        Assert.Equal(1, db.Scalar("SELECT count(*) FROM definitions WHERE process_id = 'p';"));
        Assert.Equal(SqliteMigrations.CurrentVersion, db.Scalar("PRAGMA user_version;"));
    }

    [Fact]
    public async Task A_file_from_a_newer_version_is_refused_naming_both_versions_and_left_unchanged()
    {
        using var db = new TempDatabase();
        using (var connection = db.Connect())
        {
            Execute(connection, $"PRAGMA application_id = {SqliteMigrations.ApplicationId}; PRAGMA user_version = 7; CREATE TABLE future (x INTEGER);");
        }

        var before = await File.ReadAllBytesAsync(db.Path, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<ProcessStoreException>(() => db.OpenAsync());

        Assert.Equal(ProcessErrorCodes.StoreSchemaTooNew, error.ErrorCode);
        Assert.Contains("schema version 7", error.Message, StringComparison.Ordinal);
        Assert.Contains($"up to {SqliteMigrations.CurrentVersion}", error.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(db.Path, TestContext.Current.CancellationToken));
        Assert.False(File.Exists(db.Path + "-wal"));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_refused_and_left_unchanged()
    {
        using var db = new TempDatabase();
        var text = "name,amount\nann,5000\n" + new string('x', 600);
        await File.WriteAllTextAsync(db.Path, text, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<ProcessStoreException>(() => db.OpenAsync());

        Assert.Equal(ProcessErrorCodes.StoreUnavailable, error.ErrorCode);
        Assert.Contains("not a SQLite database", error.Message, StringComparison.Ordinal);
        Assert.Contains(db.Path, error.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(error.InnerException);
        Assert.Equal(text, await File.ReadAllTextAsync(db.Path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Another_applications_database_is_refused_and_left_unchanged()
    {
        using var db = new TempDatabase();
        using (var connection = db.Connect())
        {
            Execute(connection, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);");
        }

        var before = await File.ReadAllBytesAsync(db.Path, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<ProcessStoreException>(() => db.OpenAsync());

        Assert.Equal(ProcessErrorCodes.StoreUnavailable, error.ErrorCode);
        Assert.Contains("another application", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(db.Path, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_store_opened_read_only_is_refused_with_a_read_only_error()
    {
        using var db = new TempDatabase();
        await using (await db.OpenAsync())
        {
        }

        var error = Assert.Throws<ProcessStoreException>(() =>
            SqliteFile.OpenWriter($"Data Source={db.Path};Mode=ReadOnly;Pooling=False", SqliteSynchronousMode.Full, TimeSpan.FromSeconds(1)));

        Assert.Equal(ProcessErrorCodes.StoreUnavailable, error.ErrorCode);
        Assert.Contains("read-only", error.Message, StringComparison.Ordinal);
        Assert.Contains("writable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_in_a_missing_folder_is_refused_as_unavailable()
    {
        var path = Path.Combine(Path.GetTempPath(), $"processkit-missing-{Guid.NewGuid():N}", "store.db");
        var options = new SqliteStoreOptions { ConnectionString = $"Data Source={path}" };

        var error = await Assert.ThrowsAsync<ProcessStoreException>(() => SqliteStorage.OpenAsync(options, TimeProvider.System, TestContext.Current.CancellationToken));

        Assert.Equal(ProcessErrorCodes.StoreUnavailable, error.ErrorCode);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_stores_opening_a_new_file_at_once_both_succeed_and_migrate_it_once()
    {
        using var db = new TempDatabase();
        var opening = Enumerable.Range(0, 4).Select(_ => Task.Run(() => db.OpenAsync())).ToArray();
        var stores = await Task.WhenAll(opening);
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        Assert.Equal(SqliteMigrations.CurrentVersion, db.Scalar("PRAGMA user_version;"));
        Assert.Equal(Tables.Length, db.Scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table';"));
    }

    internal static Func<Sqlite.Writing.SqliteWriteContext, int> Insert(string processId, int version) => context =>
    {
        var command = context.Command("INSERT INTO definitions (tenant, process_id, version, json, deployed_ticks) VALUES ($tenant, $id, $version, '{}', 0);");
        command.Parameters.AddWithValue("$tenant", context.Tenant);
        command.Parameters.AddWithValue("$id", processId);
        command.Parameters.AddWithValue("$version", version);
        return command.ExecuteNonQuery();
    };

    private static string[] Names(SqliteConnection connection, string type)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_schema WHERE type = $type AND name NOT LIKE 'sqlite_%' ORDER BY name;";
        command.Parameters.AddWithValue("$type", type);
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return [.. names];
    }

    private static string SchemaText(TempDatabase db)
    {
        using var connection = db.Connect();
        return string.Join("\n", Names(connection, "table").Concat(Names(connection, "index")));
    }

    private static object? Single(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
