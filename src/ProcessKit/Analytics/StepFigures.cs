namespace ProcessKit.Analytics;

/// <summary>What one step took within one instance, summed over every run of the step.</summary>
/// <remarks>
/// Immutable and thread-safe; compared by value. The times are measured as
/// <see cref="InstanceCharacteristics.WaitTime"/> and <see cref="InstanceCharacteristics.WorkTime"/>
/// describe, restricted to this step's runs.
/// </remarks>
public sealed record StepFigures
{
    /// <summary>The step.</summary>
    public required string StepId { get; init; }

    /// <summary>How many runs of the step the history shows (distinct <see cref="History.HistoryEvent.StepInstance"/> values among its events): more than 1 after a rework loop or for a multi-instance step.</summary>
    public int Runs { get; init; }

    /// <summary>Time the step's tasks waited for a person (see <see cref="InstanceCharacteristics.WaitTime"/>).</summary>
    public TimeSpan WaitTime { get; init; }

    /// <summary>Time people worked on the step's tasks (see <see cref="InstanceCharacteristics.WorkTime"/>).</summary>
    public TimeSpan WorkTime { get; init; }

    /// <summary>Time the step waited for a message or a timer (see <see cref="InstanceCharacteristics.EventWaitTime"/>).</summary>
    public TimeSpan EventWaitTime { get; init; }

    /// <summary>The sum of the costs of the step's events (its fixed cost plus the role's hourly rate times work time, per run, as the engine records them).</summary>
    public decimal Cost { get; init; }
}
