using Npgsql;
using NpgsqlTypes;
using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.PostgreSql.Schema;

namespace ProcessKit.PostgreSql;

/// <content>Instances listed by process, page by page; start requests purged after their retention.</content>
public sealed partial class PostgreSqlProcessStore
{
    async ValueTask<List<InstanceSummary>> IProcessStore.QueryInstancesAsync(InstanceQuery query, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var infrastructure = Ready();
        var result = new List<InstanceSummary>();
        try
        {
            var connection = await infrastructure.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var after = (Version: 0, Id: 0L);
                if (query.After is { } afterId)
                {
                    await using var lookup = new NpgsqlCommand(InstancePageSql.AfterVersion(infrastructure.Schema), connection);
                    lookup.Parameters.AddWithValue("tenant", Tenant);
                    lookup.Parameters.AddWithValue("id", afterId.Value);
                    lookup.Parameters.AddWithValue("process", query.ProcessId);
                    if (await lookup.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not int version)
                        return result;
                    after = (version, afterId.Value);
                }

                await using var command = new NpgsqlCommand(InstancePageSql.Page(infrastructure.Schema), connection);
                InstancePageSql.Bind(command.Parameters, query, Tenant, after, limit);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    result.Add(new InstanceSummary(
                        new InstanceId(reader.GetInt64(0)),
                        query.ProcessId,
                        reader.GetInt32(1),
                        (InstanceState)reader.GetInt16(2),
                        reader.IsDBNull(3) ? null : reader.GetString(3),
                        new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero),
                        reader.IsDBNull(5) ? null : new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero)));
                }

                return result;
            }
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    async ValueTask<int> IProcessStore.PurgeStartRequestsAsync(long beforeTicks, int max, CancellationToken cancellationToken)
    {
        var infrastructure = Ready();
        var starts = infrastructure.Schema.Table("start_requests");
        try
        {
            var connection = await infrastructure.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                // Several nodes may purge at once: SKIP LOCKED lets each take rows the others are not deleting.
                await using var command = new NpgsqlCommand(
                    $"""
                    DELETE FROM {starts} WHERE tenant = @tenant AND request_id IN (
                        SELECT request_id FROM {starts} WHERE tenant = @tenant AND created_ticks < @before
                        ORDER BY created_ticks LIMIT @max FOR UPDATE SKIP LOCKED)
                    """,
                    connection);
                command.Parameters.AddWithValue("tenant", Tenant);
                command.Parameters.AddWithValue("before", beforeTicks);
                command.Parameters.AddWithValue("max", max);
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
    }

    /// <summary>The SQL of an instance listing. Stateless and thread-safe.</summary>
    internal static class InstancePageSql
    {
        /// <summary>
        /// The page: the tenant's instances of one process up to version <c>@vmax</c>, after (version, id) <c>(@av, @aid)</c>,
        /// in that order, walking <c>instances_by_process_version_id</c>; states (a bit mask), business key and start
        /// times are checked on the rows the walk meets.
        /// </summary>
        public static string Page(StoreSchema s) => $"""
            SELECT id, process_version, state, business_key, started_ticks, ended_ticks FROM {s.Table("instances")}
            WHERE tenant = @tenant AND process_id = @process AND process_version <= @vmax AND (process_version, id) > (@av, @aid)
              AND ((@states >> state::integer) & 1) = 1 AND (@key IS NULL OR business_key = @key)
              AND started_ticks >= @from AND started_ticks < @to
            ORDER BY process_version, id LIMIT @limit
            """;

        /// <summary>The version of the instance a page continues after, when it is one of the process's.</summary>
        public static string AfterVersion(StoreSchema s) =>
            $"SELECT process_version FROM {s.Table("instances")} WHERE tenant = @tenant AND id = @id AND process_id = @process";

        /// <summary>Adds the parameters of <see cref="Page"/>; <paramref name="after"/> is the (version, id) the page starts after.</summary>
        public static void Bind(NpgsqlParameterCollection p, InstanceQuery query, string tenant, (int Version, long Id) after, int limit)
        {
            var states = -1L;
            if (query.States is { Count: > 0 } wanted)
            {
                states = 0;
                foreach (var state in wanted)
                    states |= 1L << (int)state;
            }

            // With a version, the walk starts at (version, 0) or after the continuation, whichever is later, and stops at the version's end.
            var start = query.Version is { } version && (version, 0L).CompareTo(after) > 0 ? (version, 0L) : after;
            p.AddWithValue("tenant", tenant);
            p.AddWithValue("process", query.ProcessId);
            p.AddWithValue("vmax", query.Version ?? int.MaxValue);
            p.AddWithValue("av", start.Item1);
            p.AddWithValue("aid", start.Item2);
            p.AddWithValue("states", states);
            p.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = (object?)query.BusinessKey ?? DBNull.Value });
            p.AddWithValue("from", query.StartedFrom?.UtcTicks ?? long.MinValue);
            p.AddWithValue("to", query.StartedBefore?.UtcTicks ?? long.MaxValue);
            p.AddWithValue("limit", limit);
        }
    }
}
