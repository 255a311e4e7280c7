using ProcessKit.Execution;

namespace ProcessKit.Scheduling;

/// <summary>What a due timer does.</summary>
internal enum TimerKind : byte
{
    /// <summary>A timer step ends its wait.</summary>
    TimerStep,

    /// <summary>A message wait gives up.</summary>
    MessageTimeout,

    /// <summary>A task's deadline passes.</summary>
    TaskDeadline,

    /// <summary>An escalation of a task or a message wait (<see cref="TimerRecord.Index"/>).</summary>
    Escalation,

    /// <summary>A span deadline (<see cref="TimerRecord.Index"/>).</summary>
    Span,

    /// <summary>An attempt of an automated step run as a job (<see cref="TimerRecord.Index"/> is the attempt, from 1).</summary>
    Job,

    /// <summary>
    /// An escalation of a span deadline with its own time: <see cref="TimerRecord.Index"/> is
    /// escalation index x number of spans + span index; <see cref="TimerRecord.StepInstance"/> the span's run.
    /// </summary>
    SpanEscalation,
}

/// <summary>
/// A timer: when it is due and what it is for. Timers are never removed when their wait ends;
/// firing one whose step run has moved on does nothing.
/// </summary>
internal readonly record struct TimerRecord(long DueTicks, InstanceId Instance, int Node, int StepInstance, TimerKind Kind, int Index);
