using Microsoft.Data.Sqlite;

namespace ProcessKit.Samples.SalesOffice.Hosting;

/// <summary>Checks on the database file before the store opens it (which would create it).</summary>
internal static class DatabaseFile
{
    /// <summary>What the SQLite store writes into <c>PRAGMA application_id</c>.</summary>
    private const long ProcessKitApplicationId = 0x506B5374;

    /// <summary>
    /// Deletes a previous day's database (and its <c>-wal</c> and <c>-shm</c> files) so that <c>run</c>
    /// starts over; refuses a file that is not a sales-office database, or one another program holds open.
    /// </summary>
    /// <exception cref="SalesOfficeException">The file is not this sample's, or is in use.</exception>
    public static void StartOver(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        if (!IsSalesOfficeDatabase(path))
        {
            throw new SalesOfficeException($"'{path}' exists and is not a sales-office database; give --db another file.");
        }

        // The store holds this lock while a host has the file open (for example `play` in another terminal).
        var lockPath = path + "-default.lock";
        if (File.Exists(lockPath))
        {
            try
            {
                using var held = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                throw new SalesOfficeException($"'{path}' is in use by another program (is `play` running?); stop it or give --db another file.");
            }
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>Checks that the file exists and holds the sample's data, so that reading it creates nothing.</summary>
    /// <exception cref="SalesOfficeException">No such file, or not a sales-office database.</exception>
    public static Task EnsureSalesDataAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!File.Exists(path))
        {
            throw new SalesOfficeException($"there is no sales-office database at '{path}': run `run` first, or give --db.");
        }

        return IsSalesOfficeDatabase(path)
            ? Task.CompletedTask
            : throw new SalesOfficeException($"'{path}' is not a sales-office database: run `run` first, or give --db another file.");
    }

    private static bool IsSalesOfficeDatabase(string path)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT (SELECT application_id FROM pragma_application_id()), (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'crm_leads')";
            using var reader = command.ExecuteReader();
            return reader.Read() && reader.GetInt64(0) == ProcessKitApplicationId && reader.GetInt64(1) == 1;
        }
        catch (SqliteException)
        {
            return false;
        }
    }
}
