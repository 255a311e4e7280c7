using Microsoft.Data.Sqlite;
using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.Sqlite.Reading;

namespace ProcessKit.Sqlite;

/// <summary>Instances listed by process, page by page; start requests purged after their retention.</summary>
public sealed partial class SqliteProcessStore
{
    ValueTask<List<InstanceSummary>> IProcessStore.QueryInstancesAsync(InstanceQuery query, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync(connection => QueryInstances(connection, query, limit), cancellationToken);
    }

    private List<InstanceSummary> QueryInstances(SqliteConnection connection, InstanceQuery query, int limit)
    {
        var result = new List<InstanceSummary>();
        var after = (Version: 0, Id: 0L);
        if (query.After is { } afterId)
        {
            var lookup = ReaderCommands.For(connection, InstanceQuerySql.AfterVersion);
            lookup.Parameters.AddWithValue("$tenant", _tenant);
            lookup.Parameters.AddWithValue("$id", afterId.Value);
            lookup.Parameters.AddWithValue("$process", query.ProcessId);
            if (lookup.ExecuteScalar() is not long version)
            {
                return result;
            }

            after = ((int)version, afterId.Value);
        }

        var parameters = new List<(string Name, object Value)>(10);
        InstanceQuerySql.Bind(query, _tenant, after, limit, parameters);
        var command = ReaderCommands.For(connection, InstanceQuerySql.Page);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new InstanceSummary(
                new InstanceId(reader.GetInt64(0)),
                query.ProcessId,
                reader.GetInt32(1),
                (InstanceState)reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero),
                reader.IsDBNull(5) ? null : new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero)));
        }

        return result;
    }

    async ValueTask<int> IProcessStore.PurgeStartRequestsAsync(long beforeTicks, int max, CancellationToken cancellationToken)
    {
        // Most passes find nothing to purge: a read answers those without a write.
        var any = await ReadAsync(
            connection =>
            {
                var command = ReaderCommands.For(connection, "SELECT EXISTS (SELECT 1 FROM start_requests WHERE tenant = $tenant AND created_ticks < $before);");
                command.Parameters.AddWithValue("$tenant", _tenant);
                command.Parameters.AddWithValue("$before", beforeTicks);
                return command.ExecuteScalar() is long found && found != 0;
            },
            cancellationToken).ConfigureAwait(false);
        if (!any)
        {
            return 0;
        }

        return await WriteAsync(
            context =>
            {
                var command = context.Command("""
                    DELETE FROM start_requests WHERE tenant = $tenant AND request_id IN (
                        SELECT request_id FROM start_requests WHERE tenant = $tenant AND created_ticks < $before ORDER BY created_ticks LIMIT $max);
                    """);
                command.Parameters.AddWithValue("$tenant", context.Tenant);
                command.Parameters.AddWithValue("$before", beforeTicks);
                command.Parameters.AddWithValue("$max", max);
                return command.ExecuteNonQuery();
            },
            cancellationToken).ConfigureAwait(false);
    }
}
