using ProcessKit.Definitions;
using ProcessKit.Execution;

namespace ProcessKit.Analytics;

/// <summary>
/// The characteristics of one process instance, computed from its history by
/// <see cref="ProcessAnalytics.Characteristics"/>: where it stands, how long it took, how much of
/// that was waiting and working, what it cost, how satisfied the client was, which deadlines it
/// missed and which path it took.
/// </summary>
/// <remarks>
/// <para>Immutable and thread-safe; compared by value.</para>
/// <para>
/// Human-task time is split into intervals by the task's events (tasks are told apart by step and
/// <see cref="History.HistoryEvent.StepInstance"/>):
/// a task <b>waits</b> from <c>TaskCreated</c> until <c>TaskClaimed</c>, and again from
/// <c>TaskReleased</c> or <c>TaskDelegated</c> (the new holder has not started yet) until the next
/// claim; it is <b>worked on</b> from <c>TaskClaimed</c> until it is released, delegated,
/// completed or cancelled. A task completed (or cancelled) without being claimed waited until it
/// was completed and counts no work time. <c>TaskAssigned</c> changes nothing: an assigned task
/// still waits for its user to claim it. An interval still open when the instance ended is closed
/// at the end; for a running instance it is closed at <see cref="AsOf"/>, or left out when no
/// such time was given.
/// </para>
/// </remarks>
public sealed record InstanceCharacteristics
{
    /// <summary>The instance.</summary>
    public required InstanceId Instance { get; init; }

    /// <summary>The process id.</summary>
    public required string ProcessId { get; init; }

    /// <summary>The process version the instance ran.</summary>
    public required int ProcessVersion { get; init; }

    /// <summary>Running, completed, cancelled or failed: the last instance-level event.</summary>
    public InstanceState State { get; init; }

    /// <summary>The outcome the instance ended with (the detail of its completed event, for example <c>DealWon</c> or <c>LeadLost</c>); <see langword="null"/> while running, when cancelled or failed, or when its end names none.</summary>
    public string? EndOutcome { get; init; }

    /// <summary>When the instance started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it completed, was cancelled or failed; <see langword="null"/> while running.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>For a running instance, the time the caller measured it at (open intervals and the cycle time run to it); <see langword="null"/> for an ended instance or when none was given.</summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>
    /// From start to end; for a running instance from start to <see cref="AsOf"/>, or
    /// <see langword="null"/> when no such time was given.
    /// </summary>
    public TimeSpan? CycleTime { get; init; }

    /// <summary>The sum over every human task of the time a person held it (claimed → released, delegated, completed or cancelled). Parallel tasks add up, so this can exceed <see cref="CycleTime"/>.</summary>
    public TimeSpan WorkTime { get; init; }

    /// <summary>
    /// The sum over every human task of the time it waited for a person (created → claimed, released
    /// or delegated → claimed again; created → completed for a task never claimed). Waits for
    /// messages and timers are not in it: see <see cref="EventWaitTime"/>.
    /// </summary>
    public TimeSpan WaitTime { get; init; }

    /// <summary>The sum over every message-wait and timer step of the time from entering it to its completion or cancellation: time spent waiting for a client or for the clock, not for staff.</summary>
    public TimeSpan EventWaitTime { get; init; }

    /// <summary>From the start to the first moment a person acted: the first task claimed or the first human task completed, whichever came first; <see langword="null"/> when nobody has acted yet.</summary>
    public TimeSpan? TimeToFirstReaction { get; init; }

    /// <summary>The sum of the costs of all the instance's events (fixed step costs plus each role's hourly rate times work time, as the engine recorded them).</summary>
    public decimal Cost { get; init; }

    /// <summary>The client's satisfaction score (the value of the completed event: the satisfaction field the definition names); <see langword="null"/> when there is none.</summary>
    public decimal? Satisfaction { get; init; }

    /// <summary>Every deadline the instance missed, in the order they passed.</summary>
    public ValueArray<DeadlineBreach> Breaches { get; init; }

    /// <summary>The steps entered, in order, each with the kind of the flow that led to it.</summary>
    public ValueArray<PathEntry> Path { get; init; }

    /// <summary>Per-step figures for every step that ran, in the definition's step order.</summary>
    public ValueArray<StepFigures> Steps { get; init; }

    /// <summary>Whether a step was entered by an alternate flow.</summary>
    public bool TookAlternatePath => TookPath(PathKind.Alternate);

    /// <summary>Whether a step was entered by an exception flow (a timeout, a missed deadline's path, an error).</summary>
    public bool TookExceptionPath => TookPath(PathKind.Exception);

    /// <summary>Whether a step was entered by a rework (backward) flow.</summary>
    public bool TookReworkPath => TookPath(PathKind.Rework);

    /// <summary>Whether every step was entered by a happy-path flow.</summary>
    public bool StayedOnHappyPath => !Path.Any(static p => p.Path != PathKind.Happy);

    /// <summary>The figures of one step, or <see langword="null"/> when it did not run.</summary>
    /// <param name="stepId">The step id.</param>
    /// <returns>The figures.</returns>
    public StepFigures? Step(string stepId)
    {
        ArgumentNullException.ThrowIfNull(stepId);
        foreach (var step in Steps)
        {
            if (string.Equals(step.StepId, stepId, StringComparison.Ordinal))
            {
                return step;
            }
        }

        return null;
    }

    private bool TookPath(PathKind kind) => Path.Any(p => p.Path == kind);
}
