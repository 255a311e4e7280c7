using System.Diagnostics;
using System.Diagnostics.Metrics;
using ProcessKit.Execution;
using ProcessKit.Persistence;

namespace ProcessKit.Diagnostics;

/// <summary>
/// ProcessKit's activity source, meter and instruments. Every hook checks for a listener first, so an engine nobody
/// observes pays a field read and a branch per command, and allocates nothing.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal static class EngineTelemetry
{
    private static readonly string? Version = typeof(EngineTelemetry).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource Source = new(ProcessKitDiagnostics.SourceName, Version);

    public static readonly Meter Meter = new(ProcessKitDiagnostics.MeterName, Version);

    public static readonly Counter<long> Started = Meter.CreateCounter<long>(
        ProcessKitDiagnostics.InstancesStarted, "{instance}", "Instances started.");

    public static readonly Counter<long> Completed = Meter.CreateCounter<long>(
        ProcessKitDiagnostics.InstancesCompleted, "{instance}", "Instances ended, by end state.");

    public static readonly Counter<long> Incidents = Meter.CreateCounter<long>(
        ProcessKitDiagnostics.IncidentsRaised, "{incident}", "Incidents raised: paths stopped by a failure.");

    public static readonly Histogram<double> CycleTime = Meter.CreateHistogram<double>(
        ProcessKitDiagnostics.InstanceCycleTime, "s", "Instance cycle time, from start to end.");

    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>(
        ProcessKitDiagnostics.StepDuration, "s", "Duration of automated step handler runs.");

    private static readonly ObservableGauge<int> OpenGauge = Meter.CreateObservableGauge(
        ProcessKitDiagnostics.TasksOpen, static () => ObserveTasks(overdue: false), "{task}", "Open human tasks (offered or claimed).");

    private static readonly ObservableGauge<int> OverdueGauge = Meter.CreateObservableGauge(
        ProcessKitDiagnostics.TasksOverdue, static () => ObserveTasks(overdue: true), "{task}", "Open human tasks past their due time.");

    private static readonly List<WeakReference<ProcessEngine>> Engines = [];
    private static int _pruneAt = 16;

    /// <summary>Whether any of the counters or the cycle-time histogram has a listener: what a commit reports.</summary>
    public static bool CommitsObserved => Started.Enabled || Completed.Enabled || Incidents.Enabled || CycleTime.Enabled;

    /// <summary>Whether step runs are observed: a span or the step-duration histogram.</summary>
    public static bool StepsObserved => StepDuration.Enabled || Source.HasListeners();

    /// <summary>Registers an engine whose store the task gauges read (weakly: a dropped engine is forgotten).</summary>
    public static void Register(ProcessEngine engine)
    {
        lock (Engines)
        {
            if (Engines.Count >= _pruneAt)
            {
                Engines.RemoveAll(static w => !w.TryGetTarget(out _));
                _pruneAt = Math.Max(16, Engines.Count * 2);
            }

            Engines.Add(new WeakReference<ProcessEngine>(engine));
        }
    }

    /// <summary>Starts the span of a command, a child of <see cref="Activity.Current"/>; null when nobody listens.</summary>
    public static Activity? StartCommand(string spanName, string command)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(spanName, ActivityKind.Internal);
        activity?.SetTag(ProcessKitDiagnostics.CommandTag, command);
        return activity;
    }

    /// <summary>Tags a span with the instance it acts on.</summary>
    public static void Describe(Activity activity, ProcessModel model, InstanceId instance)
    {
        activity.SetTag(ProcessKitDiagnostics.ProcessTag, model.Id);
        activity.SetTag(ProcessKitDiagnostics.ProcessVersionTag, model.Version);
        activity.SetTag(ProcessKitDiagnostics.InstanceTag, instance.Value);
    }

    /// <summary>Marks a span failed with the typed error code; returns false so that it can serve as an exception filter.</summary>
    public static bool Fail(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            var code = exception is ProcessKitException known ? known.ErrorCode : exception is OperationCanceledException ? "cancelled" : "unexpected";
            activity.SetStatus(ActivityStatusCode.Error, code);
            activity.SetTag(ProcessKitDiagnostics.ErrorCodeTag, code);
            activity.SetTag(ProcessKitDiagnostics.ErrorTypeTag, exception.GetType().FullName);
        }

        return false;
    }

    /// <summary>Starts the span of an automated step run, with its start on the engine's clock.</summary>
    public static StepScope StartStep(ProcessModel model, ModelNode node, InstanceId instance, int stepInstance, TimeProvider time)
    {
        var activity = Source.HasListeners() ? Source.StartActivity(ProcessKitDiagnostics.StepSpan, ActivityKind.Internal) : null;
        if (activity is not null)
        {
            Describe(activity, model, instance);
            activity.SetTag(ProcessKitDiagnostics.StepTag, node.Id);
            activity.SetTag(ProcessKitDiagnostics.StepInstanceTag, stepInstance);
        }

        return new StepScope(activity, model.Id, node.Id, time, time.GetTimestamp());
    }

    /// <summary>Reports a committed command: an instance started or ended, incidents raised.</summary>
    public static void Committed(ProcessModel model, InstanceRecord instance, bool isNew, bool ended, List<Incident>? incidents)
    {
        var process = new KeyValuePair<string, object?>(ProcessKitDiagnostics.ProcessTag, model.Id);
        if (isNew)
        {
            Started.Add(1, process);
        }

        if (ended)
        {
            var state = new KeyValuePair<string, object?>(ProcessKitDiagnostics.EndStateTag, EndState(instance.State));
            Completed.Add(1, process, state);
            CycleTime.Record((instance.EndedTicks - instance.StartedTicks) / (double)TimeSpan.TicksPerSecond, process, state);
        }

        if (incidents is not null)
        {
            foreach (var incident in incidents)
            {
                Incidents.Add(1, process, new KeyValuePair<string, object?>(ProcessKitDiagnostics.StepTag, incident.StepId));
            }
        }
    }

    private static string EndState(InstanceState state) => state switch
    {
        InstanceState.Completed => "completed",
        InstanceState.Cancelled => "cancelled",
        InstanceState.Failed => "failed",
        _ => "running",
    };

    private static List<Measurement<int>> ObserveTasks(bool overdue)
    {
        var measurements = new List<Measurement<int>>();
        var stores = new List<IProcessStore>();
        ProcessEngine[] engines;
        lock (Engines)
        {
            engines = new ProcessEngine[Engines.Count];
            var n = 0;
            foreach (var weak in Engines)
            {
                if (weak.TryGetTarget(out var engine))
                {
                    engines[n++] = engine;
                }
            }

            Array.Resize(ref engines, n);
        }

        foreach (var engine in engines)
        {
            // Engines sharing a store count its tasks once.
            if (stores.Exists(s => ReferenceEquals(s, engine.Store)))
            {
                continue;
            }

            stores.Add(engine.Store);
            List<OpenTaskCount> counts;
            try
            {
                counts = engine.Store.CountOpenTasksByProcess(engine.TimeProvider.GetUtcNow().UtcTicks);
            }
            catch (Exception e) when (e is ProcessKitException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
            {
                // A store that cannot answer now reports nothing for this collection; its health check says why.
                continue;
            }

            foreach (var count in counts)
            {
                measurements.Add(new Measurement<int>(overdue ? count.Overdue : count.Open, new KeyValuePair<string, object?>(ProcessKitDiagnostics.ProcessTag, count.ProcessId)));
            }
        }

        return measurements;
    }
}
