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
/// <param name="DueTicks">When it is due (UTC ticks).</param>
/// <param name="Instance">The instance it belongs to.</param>
/// <param name="Node">The step it belongs to.</param>
/// <param name="StepInstance">The run of the step.</param>
/// <param name="Kind">What it is for.</param>
/// <param name="Index">The escalation, span or attempt it stands for (see <see cref="TimerKind"/>).</param>
/// <param name="Id">The store's id of the timer once stored (0 before, and in memory).</param>
/// <param name="Lease">The lease a shared store took it under (0 in memory): the store completes it only under the same lease.</param>
internal readonly record struct TimerRecord(long DueTicks, InstanceId Instance, int Node, int StepInstance, TimerKind Kind, int Index, long Id = 0, int Lease = 0);
