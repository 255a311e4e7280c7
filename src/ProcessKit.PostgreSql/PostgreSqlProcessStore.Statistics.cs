using Npgsql;

namespace ProcessKit.PostgreSql;

// Statistics while the store's tables are new (PostgreSqlStoreOptions.AnalyzeWhileNew).
public sealed partial class PostgreSqlProcessStore
{
    /// <summary>The counter of the analyses this node ran as its tables grew, tagged <c>outcome</c> (<c>done</c> or <c>failed</c>) and <c>processkit.node</c> (the lease owner of this opening).</summary>
    internal const string StatisticsRefreshesInstrument = "processkit.postgresql.statistics_refreshes";

    /// <summary>The tables whose plans the commands' statements depend on, as their names in the schema.</summary>
    private static readonly string[] AnalyzedTables = ["instances", "tasks", "history", "timers", "subscriptions"];

    private readonly CancellationTokenSource _closing = new();
    private readonly Lock _analyzeGate = new();
    private long _commitsSinceOpen;
    private Task _analyzing = Task.CompletedTask;

    /// <summary>For tests: the analyses started so far, completed when the last of them ended (never faulted).</summary>
    internal Task Analyzing
    {
        get
        {
            lock (_analyzeGate)
                return _analyzing;
        }
    }

    /// <summary>Counts a durable commit; at each of <see cref="PostgreSqlStoreOptions.AnalyzeAfterCommits"/> starts an analysis in the background.</summary>
    private void CountCommit(PostgreSqlInfrastructure infrastructure)
    {
        if (!_options.AnalyzeWhileNew)
            return;
        var count = Interlocked.Increment(ref _commitsSinceOpen);

        // An array, not an interface: no enumerator is allocated on every commit.
        foreach (var threshold in _options.AnalyzeAfterCommits)
        {
            if (count == threshold)
            {
                lock (_analyzeGate)
                {
                    // One after the other: a slow analysis of a large table never runs twice at once.
                    var previous = _analyzing;
                    _analyzing = AnalyzeAfterAsync(previous, infrastructure);
                }

                return;
            }
        }
    }

    private async Task AnalyzeAfterAsync(Task previous, PostgreSqlInfrastructure infrastructure)
    {
        await previous.ConfigureAwait(false);
        // Off the committing caller's thread: the analysis reads samples of every table and takes its time.
        await Task.Yield();
        var token = _closing.Token;
        if (token.IsCancellationRequested)
            return;
        try
        {
            var tables = string.Join(", ", AnalyzedTables.Select(infrastructure.Schema.Table));
            var connection = await infrastructure.DataSource.OpenConnectionAsync(token).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                await using var command = new NpgsqlCommand($"ANALYZE {tables}", connection);
                await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            }

            StatisticsRefreshes.Add(1, new KeyValuePair<string, object?>("outcome", "done"), new KeyValuePair<string, object?>("processkit.node", infrastructure.LeaseOwner));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The store is closing; an analysis cut short changes nothing.
        }
        catch (Exception e)
        {
            // Best effort in the background, whatever went wrong: the statistics stay as they were (autovacuum still
            // keeps them), the commits are not affected, and the failure is counted rather than left to fault a task
            // nobody awaits until the store closes.
            StatisticsRefreshes.Add(
                1,
                new KeyValuePair<string, object?>("outcome", "failed"),
                new KeyValuePair<string, object?>("error.type", e.GetType().FullName),
                new KeyValuePair<string, object?>("processkit.node", infrastructure.LeaseOwner));
        }
    }

    /// <summary>
    /// Cancels an analysis in progress and waits for it to end (it never throws). The token source stays undisposed: a
    /// commit answered while the store closes may still count, and its analysis then sees the cancellation and ends.
    /// </summary>
    private async Task StopAnalyzingAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        await Analyzing.ConfigureAwait(false);
    }
}
