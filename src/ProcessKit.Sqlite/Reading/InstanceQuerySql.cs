using ProcessKit.Execution;

namespace ProcessKit.Sqlite.Reading;

/// <summary>The SQL of an instance listing: one statement for every query, whose criteria are all parameters.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class InstanceQuerySql
{
    /// <summary>
    /// The page: the tenant's instances of one process from version <c>$vmin</c> to <c>$vmax</c>, after (version, id)
    /// <c>($av, $aid)</c>, in that order, walking <c>ix_instances_process</c> (tenant, process_id, process_version, id);
    /// the states (a bit mask), business key and start times are checked on the rows the walk meets.
    /// </summary>
    public const string Page = """
        SELECT id, process_version, state, business_key, started_ticks, ended_ticks FROM instances
        WHERE tenant = $tenant AND process_id = $process AND process_version <= $vmax AND (process_version, id) > ($av, $aid)
          AND (($states >> state) & 1) = 1 AND ($key IS NULL OR business_key = $key)
          AND started_ticks >= $from AND started_ticks < $to
        ORDER BY process_version, id LIMIT $limit;
        """;

    /// <summary>The version of the instance a page continues after, when it is one of the process's.</summary>
    public const string AfterVersion = "SELECT process_version FROM instances WHERE tenant = $tenant AND id = $id AND process_id = $process;";

    /// <summary>Adds the parameters of <see cref="Page"/>; <paramref name="after"/> is the (version, id) the page starts after.</summary>
    public static void Bind(InstanceQuery query, string tenant, (int Version, long Id) after, int limit, List<(string Name, object Value)> parameters)
    {
        var states = 0L;
        if (query.States is { Count: > 0 } wanted)
        {
            foreach (var state in wanted)
            {
                states |= 1L << (int)state;
            }
        }
        else
        {
            states = -1L;
        }

        // With a version, the walk starts at (version, 0) or after the continuation, whichever is later, and stops at the version's end.
        var start = query.Version is { } version && (version, 0L).CompareTo(after) > 0 ? (version, 0L) : after;
        parameters.Add(("$tenant", tenant));
        parameters.Add(("$process", query.ProcessId));
        parameters.Add(("$vmax", query.Version ?? int.MaxValue));
        parameters.Add(("$av", start.Item1));
        parameters.Add(("$aid", start.Item2));
        parameters.Add(("$states", states));
        parameters.Add(("$key", (object?)query.BusinessKey ?? DBNull.Value));
        parameters.Add(("$from", query.StartedFrom?.UtcTicks ?? long.MinValue));
        parameters.Add(("$to", query.StartedBefore?.UtcTicks ?? long.MaxValue));
        parameters.Add(("$limit", limit));
    }
}
