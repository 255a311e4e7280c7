using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace ProcessKit.Sqlite.Reading;

/// <summary>
/// The commands of the frequent reads, kept per reader connection so that their SQL is compiled once per connection
/// rather than on every read (Microsoft.Data.Sqlite keeps a command's compiled statements while the command lives,
/// and finalizes them when the connection closes).
/// </summary>
/// <remarks>
/// Thread-safe in the way reader connections are used: a connection serves one read at a time, and each connection
/// has its own commands. A command given out is the connection's own: do not dispose it; dispose its readers.
/// </remarks>
internal static class ReaderCommands
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Cache = [];

    /// <summary>The connection's command for <paramref name="sql"/>, with no parameters and no transaction.</summary>
    public static SqliteCommand For(SqliteConnection connection, string sql)
    {
        var commands = Cache.GetValue(connection, static _ => new Dictionary<string, SqliteCommand>(StringComparer.Ordinal));
        if (!commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            commands.Add(sql, command);
        }

        command.Transaction = null;
        command.Parameters.Clear();
        return command;
    }
}
