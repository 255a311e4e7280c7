using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ProcessKit.Sqlite.Writing;

/// <summary>
/// A statement of the commit path prepared once on the writer's connection, bound by position and
/// stepped directly. Measured: going through <see cref="SqliteCommand"/> cost about 10 µs per history row
/// (the driver matches every parameter by name on each execution), which capped commits far below the
/// writer's own rate.
/// </summary>
/// <remarks>Used by writes running on the writer's loop only; not thread-safe. Disposed with the write context.</remarks>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _database = connection.Handle!;
        var rc = raw.sqlite3_prepare_v2(_database, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, _database);
    }

    /// <summary>Binds an integer to the parameter at <paramref name="index"/> (from 1).</summary>
    public RawStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    /// <summary>Binds a text, or null, to the parameter at <paramref name="index"/> (from 1).</summary>
    public RawStatement Bind(int index, string? value)
    {
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value));
        return this;
    }

    /// <summary>Binds a blob to the parameter at <paramref name="index"/> (from 1).</summary>
    public RawStatement Bind(int index, byte[] value)
    {
        Check(raw.sqlite3_bind_blob(_statement, index, value));
        return this;
    }

    /// <summary>Binds an integer, or null, to the parameter at <paramref name="index"/> (from 1).</summary>
    public RawStatement Bind(int index, long? value)
    {
        Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));
        return this;
    }

    /// <summary>Runs the statement and clears its values; returns the rows it changed. Throws <see cref="SqliteException"/> when SQLite refuses it.</summary>
    public int Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        raw.sqlite3_clear_bindings(_statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _database);
        }

        return raw.sqlite3_changes(_database);
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _database);
        }
    }
}
