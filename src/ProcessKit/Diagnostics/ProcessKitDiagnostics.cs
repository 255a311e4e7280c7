namespace ProcessKit.Diagnostics;

/// <summary>
/// The names under which ProcessKit reports traces and metrics: one <see cref="System.Diagnostics.ActivitySource"/> and one
/// <see cref="System.Diagnostics.Metrics.Meter"/>, both named <see cref="SourceName"/>, with the instrument, span and tag
/// names below. Hand them to OpenTelemetry: <c>tracing.AddSource(ProcessKitDiagnostics.SourceName)</c> and
/// <c>metrics.AddMeter(ProcessKitDiagnostics.MeterName)</c>. Nothing is recorded while nobody listens.
/// </summary>
/// <remarks>Constants only; thread-safe. The names are stable: a rename is a breaking change.</remarks>
public static class ProcessKitDiagnostics
{
    /// <summary>The name of ProcessKit's activity source: <c>ProcessKit</c>. Its version is the ProcessKit assembly's.</summary>
    public const string SourceName = "ProcessKit";

    /// <summary>The name of ProcessKit's meter: <c>ProcessKit</c>. Its version is the ProcessKit assembly's.</summary>
    public const string MeterName = "ProcessKit";

    /// <summary>Counter (unit <c>{instance}</c>) of instances started, tagged <see cref="ProcessTag"/>.</summary>
    public const string InstancesStarted = "processkit.instances.started";

    /// <summary>Counter (unit <c>{instance}</c>) of instances ended, tagged <see cref="ProcessTag"/> and <see cref="EndStateTag"/> (completed, cancelled, failed).</summary>
    public const string InstancesCompleted = "processkit.instances.completed";

    /// <summary>Counter (unit <c>{incident}</c>) of incidents raised (a path stopped by a failure), tagged <see cref="ProcessTag"/> and <see cref="StepTag"/>.</summary>
    public const string IncidentsRaised = "processkit.incidents.raised";

    /// <summary>Histogram (unit <c>s</c>) of an instance's cycle time, from its start to its end on the engine's clock, recorded when it ends; tagged <see cref="ProcessTag"/> and <see cref="EndStateTag"/>.</summary>
    public const string InstanceCycleTime = "processkit.instance.cycle_time";

    /// <summary>Histogram (unit <c>s</c>) of an automated step's handler run, on the engine's clock; tagged <see cref="ProcessTag"/>, <see cref="StepTag"/> and <see cref="OutcomeTag"/>.</summary>
    public const string StepDuration = "processkit.step.duration";

    /// <summary>Observable gauge (unit <c>{task}</c>) of open human tasks (offered or claimed), one measurement per process (<see cref="ProcessTag"/>) read from the store.</summary>
    public const string TasksOpen = "processkit.tasks.open";

    /// <summary>Observable gauge (unit <c>{task}</c>) of open human tasks past their due time on the engine's clock, one measurement per process (<see cref="ProcessTag"/>).</summary>
    public const string TasksOverdue = "processkit.tasks.overdue";

    /// <summary>Tag: the process id.</summary>
    public const string ProcessTag = "processkit.process";

    /// <summary>Tag: the process version (an integer).</summary>
    public const string ProcessVersionTag = "processkit.process.version";

    /// <summary>Tag: the instance id (a long integer); on spans only.</summary>
    public const string InstanceTag = "processkit.instance";

    /// <summary>Tag: the step id.</summary>
    public const string StepTag = "processkit.step";

    /// <summary>Tag: the step run within its instance (an integer); on step spans only.</summary>
    public const string StepInstanceTag = "processkit.step.instance";

    /// <summary>Tag: the task id (a long integer); on task command spans only.</summary>
    public const string TaskTag = "processkit.task";

    /// <summary>Tag: the command a span stands for (<c>start</c>, <c>complete_task</c>, ...: the span name without its <c>processkit.</c> prefix).</summary>
    public const string CommandTag = "processkit.command";

    /// <summary>Tag: how an instance ended: <c>completed</c>, <c>cancelled</c> or <c>failed</c>.</summary>
    public const string EndStateTag = "processkit.end_state";

    /// <summary>Tag: how a step run went: <c>succeeded</c> or <c>failed</c>.</summary>
    public const string OutcomeTag = "processkit.outcome";

    /// <summary>Tag: the typed error code of a failed command (<see cref="ProcessKitException.ErrorCode"/>), or <see cref="StepFailedCode"/> for a failed step; set with an error status.</summary>
    public const string ErrorCodeTag = "processkit.error.code";

    /// <summary>Tag (OpenTelemetry's <c>error.type</c>): the exception type of a failure.</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>The error code on the span of a step whose handler failed (the path then retries or raises an incident).</summary>
    public const string StepFailedCode = "step.failed";

    /// <summary>The name of the span of an automated step run: <c>processkit.step</c>.</summary>
    public const string StepSpan = "processkit.step";
}
