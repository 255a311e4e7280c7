using Microsoft.Data.Sqlite;
using ProcessKit.Persistence;
using ProcessKit.Tasks;

namespace ProcessKit.Sqlite.Storing;

/// <summary>
/// A human task as a row: the columns the store queries, and the body written by
/// <see cref="TaskBodyCodec"/> for the rest (process, step name, outcomes, the step's node and the
/// multi-instance item).
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class TaskRows
{
    /// <summary>The columns <see cref="Read"/> expects, in order.</summary>
    public const string Columns = TaskBodyCodec.RowColumns;

    /// <summary>Reads a task from a row selected with <see cref="Columns"/>.</summary>
    public static HumanTaskInfo Read(SqliteDataReader reader) => TaskBodyCodec.ReadRow(reader);
}
