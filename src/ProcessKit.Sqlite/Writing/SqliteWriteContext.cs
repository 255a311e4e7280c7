using Microsoft.Data.Sqlite;

namespace ProcessKit.Sqlite.Writing;

/// <summary>
/// What a write running on the writer sees: the writer's connection and the batch's open transaction,
/// and prepared commands cached by their SQL text.
/// </summary>
/// <remarks>
/// Used only by the writer's loop, one write at a time; not thread-safe. A write must not commit, roll
/// back or dispose the transaction or a command it is given, and must not keep them after it returns.
/// </remarks>
internal sealed class SqliteWriteContext : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RawStatement> _statements = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;

    public SqliteWriteContext(SqliteConnection connection, string tenant)
    {
        Connection = connection;
        Tenant = tenant;
    }

    /// <summary>The writer's connection.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>The tenant of the store.</summary>
    public string Tenant { get; }

    /// <summary>The batch's open transaction.</summary>
    public SqliteTransaction Transaction =>
        _transaction ?? throw new InvalidOperationException("No batch is running: a write uses the context only while it runs.");

    /// <summary>
    /// A command for <paramref name="sql"/>, enlisted in the batch's transaction, with no parameters.
    /// The command is prepared once and reused by every later write with the same text, so the text
    /// must be a constant (values go in parameters).
    /// </summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Transaction = Transaction;
        command.Parameters.Clear();
        return command;
    }

    /// <summary>
    /// A statement for <paramref name="sql"/> (parameters by position: <c>?1</c>, <c>?2</c>, ...), prepared
    /// once and reused by every later write with the same text, for the commit path. Usable only while a
    /// batch runs; bind every parameter before each <see cref="RawStatement.Execute"/>.
    /// </summary>
    public RawStatement Statement(string sql)
    {
        _ = Transaction;
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new RawStatement(Connection, sql);
            _statements.Add(sql, statement);
        }

        return statement;
    }

    internal void Begin(SqliteTransaction transaction) => _transaction = transaction;

    internal void End() => _transaction = null;

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        _statements.Clear();
    }
}
