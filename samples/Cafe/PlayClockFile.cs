using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ProcessKit.Samples.Cafe;

/// <summary>
/// Keeps the play clock in the same SQLite file as the process state (a table of the sample's own),
/// so that a later play session starts where the last one stopped, never before the history it saw.
/// </summary>
/// <remarks>Not thread-safe; one play session uses it.</remarks>
internal sealed class PlayClockFile(string connectionString)
{
    public DateTimeOffset? Read()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT now FROM cafe_play_clock WHERE id = 1";
        return command.ExecuteScalar() is string text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null;
    }

    public void Write(DateTimeOffset now)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO cafe_play_clock (id, now) VALUES (1, $now) ON CONFLICT (id) DO UPDATE SET now = excluded.now";
        command.Parameters.AddWithValue("$now", now.ToString("O", CultureInfo.InvariantCulture));
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = "CREATE TABLE IF NOT EXISTS cafe_play_clock (id INTEGER PRIMARY KEY CHECK (id = 1), now TEXT NOT NULL)";
        create.ExecuteNonQuery();
        return connection;
    }
}
