using System.Diagnostics;

namespace ProcessKit.Diagnostics;

/// <summary>An automated step run being observed: its span (when someone listens) and its start on the engine's clock.</summary>
internal readonly struct StepScope(Activity? activity, string processId, string stepId, TimeProvider time, long started)
{
    /// <summary>Ends the run: records its duration and outcome, and closes the span (with an error status on failure).</summary>
    public void Stop(Exception? failure)
    {
        var outcome = failure is null ? "succeeded" : "failed";
        if (EngineTelemetry.StepDuration.Enabled)
        {
            EngineTelemetry.StepDuration.Record(
                time.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>(ProcessKitDiagnostics.ProcessTag, processId),
                new KeyValuePair<string, object?>(ProcessKitDiagnostics.StepTag, stepId),
                new KeyValuePair<string, object?>(ProcessKitDiagnostics.OutcomeTag, outcome));
        }

        if (activity is null)
        {
            return;
        }

        activity.SetTag(ProcessKitDiagnostics.OutcomeTag, outcome);
        if (failure is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, ProcessKitDiagnostics.StepFailedCode);
            activity.SetTag(ProcessKitDiagnostics.ErrorCodeTag, ProcessKitDiagnostics.StepFailedCode);
            activity.SetTag(ProcessKitDiagnostics.ErrorTypeTag, failure.GetType().FullName);
        }

        activity.Dispose();
    }
}
