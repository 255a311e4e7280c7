using ProcessKit.Analytics;

namespace ProcessKit.Execution;

public sealed partial class ProcessEngine
{
    /// <summary>Lists one page of the instances of a process, as light summaries (no data, no history).</summary>
    /// <param name="query">Which instances, and where the page starts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, ordered by process version then instance id, and where the next one starts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The process id is blank, the version is less than 1, a state is not one, or the page size is outside 1 to <see cref="InstanceQuery.MaxPageSize"/>.</exception>
    /// <remarks>
    /// Thread-safe. Reads the store's index by process, version and id: a page costs the instances it returns and those
    /// it passes over for other criteria, not a scan of every instance. Pages read at different times may miss or repeat
    /// nothing of what existed at both times, but instances started in between can appear in a later page.
    /// </remarks>
    public async ValueTask<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var found = await Store.QueryInstancesAsync(query, query.PageSize + 1, cancellationToken).ConfigureAwait(false);
        if (found.Count <= query.PageSize)
        {
            return new InstancePage(found, null);
        }

        found.RemoveAt(found.Count - 1);
        return new InstancePage(found, found[^1].Id);
    }

    /// <summary>
    /// Reports on the instances of one process version: outcomes, cycle times, costs, deadline breaches and steps, as
    /// <see cref="ProcessAnalytics.Report"/> computes them. Running instances are measured up to now.
    /// </summary>
    /// <param name="processId">The process id.</param>
    /// <param name="version">The version; <see langword="null"/> (the default) for the newest deployed one.</param>
    /// <param name="startedFrom">Only instances started at or after this time. Optional.</param>
    /// <param name="startedBefore">Only instances started before this time. Optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report; over no instances when none matches.</returns>
    /// <exception cref="ProcessNotFoundException">No such process or version is deployed.</exception>
    /// <remarks>
    /// Thread-safe. Reads the instances page by page and one history at a time, keeping only each instance's
    /// characteristics: memory grows with the number of instances by a small record each, not with their histories.
    /// The instances are not read at one moment: one that changes while the report runs is counted as it was when read.
    /// </remarks>
    public async ValueTask<ProcessReport> GetReportAsync(
        string processId,
        int? version = null,
        DateTimeOffset? startedFrom = null,
        DateTimeOffset? startedBefore = null,
        CancellationToken cancellationToken = default)
    {
        var definition = await GetDefinitionAsync(processId, version, cancellationToken).ConfigureAwait(false);
        var characteristics = new List<InstanceCharacteristics>();
        var query = new InstanceQuery(definition.Id)
        {
            Version = definition.Version,
            StartedFrom = startedFrom,
            StartedBefore = startedBefore,
            PageSize = InstanceQuery.MaxPageSize,
        };
        while (true)
        {
            var page = await QueryInstancesAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var instance in page.Instances)
            {
                var history = await GetHistoryAsync(instance.Id, cancellationToken).ConfigureAwait(false);
                DateTimeOffset? asOf = null;
                if (instance.State == InstanceState.Running)
                {
                    // The clock may lag the node that wrote the last event: a running instance is measured to the later of both.
                    var now = TimeProvider.GetUtcNow();
                    asOf = history.Count > 0 && history[^1].Time > now ? history[^1].Time : now;
                }

                characteristics.Add(ProcessAnalytics.Characteristics(definition, history, asOf));
            }

            if (page.ContinueAfter is not { } next)
            {
                break;
            }

            query = query with { After = next };
        }

        return ProcessAnalytics.Report(definition, characteristics);
    }
}
