using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ProcessKit.Sqlite.Tests;

/// <summary>A store file under the temp folder, deleted (with its -wal and -shm files) on dispose.</summary>
internal sealed class TempDatabase : IDisposable
{
    /// <summary>The longest a test waits for something the writer does (real time; never reached when it works).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public TempDatabase()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"processkit-sqlite-{Guid.NewGuid():N}.db");
    }

    public string Path { get; }

    public string ConnectionString => $"Data Source={Path}";

    public SqliteStoreOptions Options(Action<SqliteStoreOptions>? configure = null)
    {
        var options = new SqliteStoreOptions { ConnectionString = ConnectionString, GroupCommitWindow = TimeSpan.Zero };
        configure?.Invoke(options);
        return options;
    }

    public Task<SqliteStorage> OpenAsync(Action<SqliteStoreOptions>? configure = null, TimeProvider? time = null) =>
        SqliteStorage.OpenAsync(Options(configure), time ?? TimeProvider.System, TestContext.Current.CancellationToken);

    /// <summary>A fresh connection of the test's own, as another process would open the file.</summary>
    public SqliteConnection Connect()
    {
        var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        return connection;
    }

    public long Scalar(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>SQLite's query plan for <paramref name="sql"/> with its parameters bound: the detail lines joined by " | ".</summary>
    public string QueryPlan(string sql, IEnumerable<(string Name, object Value)> parameters)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        var details = new List<string>();
        while (reader.Read())
        {
            details.Add(reader.GetString(3));
        }

        return string.Join(" | ", details);
    }

    public List<long> Longs(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<long>();
        while (reader.Read())
        {
            values.Add(reader.GetInt64(0));
        }

        return values;
    }

    public void Dispose()
    {
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm", Path + "-journal" })
        {
            File.Delete(file);
        }

        // The stores' lock files (one per tenant).
        foreach (var file in Directory.GetFiles(System.IO.Path.GetDirectoryName(Path)!, System.IO.Path.GetFileName(Path) + "-*.lock"))
        {
            File.Delete(file);
        }
    }
}
