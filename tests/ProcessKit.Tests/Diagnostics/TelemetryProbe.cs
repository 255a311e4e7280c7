using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ProcessKit.Diagnostics;

namespace ProcessKit.Tests.Diagnostics;

/// <summary>
/// Listens to ProcessKit's activity source and meter for one test. Tests run in parallel, so spans are kept only when they
/// belong to the trace of <see cref="Request"/> (the probe's own root span, standing in for an ASP.NET request) and
/// measurements only when tagged with the probe's process id.
/// </summary>
internal sealed class TelemetryProbe : IDisposable
{
    private static readonly ActivitySource TestSource = new("ProcessKit.Tests.Probe");
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters = new();
    private readonly string _process;

    public TelemetryProbe(string process)
    {
        _process = process;
        _activities = new ActivityListener
        {
            ShouldListenTo = static s => s.Name is ProcessKitDiagnostics.SourceName or "ProcessKit.Tests.Probe",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (Request is { } root && a.TraceId == root.TraceId && a != root)
                {
                    Spans.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);
        _meters.InstrumentPublished = static (instrument, listener) =>
        {
            if (instrument.Meter.Name == ProcessKitDiagnostics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((i, value, tags, _) => Keep(i, value, tags));
        _meters.SetMeasurementEventCallback<double>((i, value, tags, _) => Keep(i, value, tags));
        _meters.SetMeasurementEventCallback<int>((i, value, tags, _) => Keep(i, value, tags));
        _meters.Start();
        Request = TestSource.StartActivity("test request", ActivityKind.Server);
    }

    /// <summary>The root span every command of the test runs under (the current activity while the probe lives).</summary>
    public Activity? Request { get; }

    public ConcurrentQueue<Activity> Spans { get; } = [];

    public ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> Measurements { get; } = [];

    /// <summary>The gauge values of the last <see cref="ObserveTasks"/>.</summary>
    public ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> Gauges { get; } = [];

    public IEnumerable<Activity> SpansNamed(string name) => Spans.Where(a => a.OperationName == name);

    public IReadOnlyList<(double Value, Dictionary<string, object?> Tags)> Of(string instrument) =>
        [.. Measurements.Where(m => m.Instrument == instrument).Select(static m => (m.Value, m.Tags))];

    /// <summary>Asks the observable gauges for their values now, and returns this probe's process's open and overdue counts.</summary>
    public (double? Open, double? Overdue) ObserveTasks()
    {
        Gauges.Clear();
        _meters.RecordObservableInstruments();
        var open = Gauges.Where(static g => g.Instrument == ProcessKitDiagnostics.TasksOpen).ToList();
        var overdue = Gauges.Where(static g => g.Instrument == ProcessKitDiagnostics.TasksOverdue).ToList();
        return (open.Count == 0 ? null : Assert.Single(open).Value, overdue.Count == 0 ? null : Assert.Single(overdue).Value);
    }

    public void Dispose()
    {
        Request?.Dispose();
        _meters.Dispose();
        _activities.Dispose();
    }

    private void Keep(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            map[tag.Key] = tag.Value;
        }

        if (map.TryGetValue(ProcessKitDiagnostics.ProcessTag, out var process) && Equals(process, _process))
        {
            (instrument.IsObservable ? Gauges : Measurements).Enqueue((instrument.Name, value, map));
        }
    }
}
