using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ProcessKit.PostgreSql.Writing;

namespace ProcessKit.PostgreSql.Throughput;

/// <summary>
/// Splits each sample of the human-task chain (complete, then the next task found by a query) into its parts by
/// timestamps: Npgsql's activities of the caller's round trips (children of the sample's activity) and, with group
/// commit, the writer's trace of the sample's commit (keyed by the instance, one commit in flight per user). What no
/// timestamp covers is the client's own CPU and scheduling (thread-pool hops, the engine's work, pool rents).
/// </summary>
internal sealed class Breakdown : IDisposable
{
    private const string SourceName = "ProcessKit.Bench.Sample";
    private static readonly ActivitySource Source = new(SourceName);
    private readonly ActivityListener _listener;
    private readonly ConcurrentDictionary<long, Parts> _current = new();
    private readonly ConcurrentQueue<Parts> _done = new();
    private readonly bool _grouped;

    public Breakdown(bool grouped)
    {
        _grouped = grouped;
        _listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name.StartsWith("Npgsql", StringComparison.Ordinal) || source.Name == SourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = OnStopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Starts a sample of <paramref name="instance"/>'s next completion; null (and nothing traced) when it is not measured.</summary>
    public Activity? Begin(long instance, bool measured)
    {
        if (!measured)
        {
            _current.TryRemove(instance, out _);
            return null;
        }

        var activity = Source.StartActivity("sample");
        var parts = new Parts();
        activity?.SetCustomProperty(nameof(Parts), parts);
        _current[instance] = parts;
        return activity;
    }

    /// <summary>The completion returned to the caller.</summary>
    public void Returned(Activity? activity)
    {
        if (activity?.GetCustomProperty(nameof(Parts)) is Parts parts)
            parts.Returned = Stopwatch.GetTimestamp();
    }

    /// <summary>The next task was found: the sample is complete.</summary>
    public void End(Activity? activity, long started)
    {
        if (activity?.GetCustomProperty(nameof(Parts)) is not Parts parts)
            return;
        parts.Total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (_grouped && parts.Completed != 0)
            parts.AfterDone = Ms(parts.Completed, parts.Returned);
        _done.Enqueue(parts);
    }

    /// <summary>The writer's trace of one commit (given to the store's <c>TraceCommits</c>).</summary>
    public void OnCommit(CommitTrace trace)
    {
        if (!_current.TryGetValue(trace.InstanceId, out var parts))
            return;
        parts.Queue = Ms(trace.Queued, trace.Sent);
        parts.ToSend = Ms(trace.Sent, trace.TransactionStart);
        parts.Transaction = Ms(trace.TransactionStart, trace.TransactionEnd);
        parts.Completed = trace.Completed;
        parts.Group = trace.GroupSize;
    }

    /// <summary>Mean of every sample and of the slowest 1 %, part by part (ms).</summary>
    public IEnumerable<string> Report()
    {
        var all = _done.OrderBy(static p => p.Total).ToArray();
        if (all.Length == 0)
            yield break;
        yield return Line("all samples", all);
        var tail = all[(int)Math.Floor(all.Length * 0.99)..];
        yield return Line($"slowest 1% ({tail.Length})", tail);
    }

    public void Dispose() => _listener.Dispose();

    private static string Line(string label, Parts[] samples)
    {
        double M(Func<Parts, double> f) => samples.Average(f);
        var rest = M(static p => p.Total - p.TaskRead - p.InstanceRead - p.Queue - p.ToSend - p.Transaction - p.AfterDone - p.Commit - p.Query - p.Other);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"    {label,-18}: total {M(static p => p.Total),6:F2} = task read {M(static p => p.TaskRead),5:F2} + instance read {M(static p => p.InstanceRead),5:F2} + writer queue {M(static p => p.Queue),5:F2} + to send {M(static p => p.ToSend),5:F2} + transaction {M(static p => p.Transaction),5:F2} (group {M(static p => p.Group),4:F1}) + done->return {M(static p => p.AfterDone),5:F2} + own commit {M(static p => p.Commit),5:F2} + query {M(static p => p.Query),5:F2} + other sql {M(static p => p.Other),5:F2} + rest {rest,5:F2}");
    }

    private static double Ms(long from, long to) => from == 0 || to == 0 ? 0 : Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private void OnStopped(Activity activity)
    {
        if (activity.Source.Name == SourceName)
            return;
        Parts? parts = null;
        for (var parent = activity.Parent; parent is not null && parts is null; parent = parent.Parent)
            parts = parent.GetCustomProperty(nameof(Parts)) as Parts;
        if (parts is null)
            return;
        var text = (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) as string ?? "";
        var ms = activity.Duration.TotalMilliseconds;
        lock (parts)
        {
            if (text.Contains("ORDER BY", StringComparison.Ordinal))
                parts.Query += ms;
            else if (text.StartsWith("SELECT process_id", StringComparison.Ordinal))
                parts.InstanceRead += ms;
            else if (text.StartsWith("SELECT", StringComparison.Ordinal))
                parts.TaskRead += ms;
            else if (text.Length > 0 && !_grouped)
                parts.Commit += ms;
            else if (text.Length == 0)
                parts.Other += ms;
            // With group commit a batch this caller sent as a leader is everybody's transaction: the trace counts it.
        }
    }

    private sealed class Parts
    {
        public double Total;
        public double TaskRead;
        public double InstanceRead;
        public double Queue;
        public double ToSend;
        public double Transaction;
        public double AfterDone;
        public double Commit;
        public double Query;
        public double Other;
        public int Group;
        public long Completed;
        public long Returned;
    }
}
