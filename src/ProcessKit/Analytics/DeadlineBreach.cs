namespace ProcessKit.Analytics;

/// <summary>One deadline an instance missed, from a <see cref="History.HistoryEventType.DeadlineBreached"/> event.</summary>
/// <remarks>Immutable and thread-safe; compared by value.</remarks>
public sealed record DeadlineBreach
{
    /// <summary>When the deadline passed.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The deadline's name as the event gives it (for example a span deadline's id such as <c>orderToServing</c>). Optional.</summary>
    public string? Deadline { get; init; }

    /// <summary>The step that was late (a task, a message wait), when the event names one. Optional.</summary>
    public string? StepId { get; init; }

    /// <summary>The run of that step (see <see cref="History.HistoryEvent.StepInstance"/>); 0 when the breach is not tied to a step.</summary>
    public int StepInstance { get; init; }

    /// <summary>
    /// The role held responsible: the event's role, or else the role of <see cref="StepId"/> in the
    /// definition; <see langword="null"/> when neither names one (for example a span deadline the
    /// engine reports without a step).
    /// </summary>
    public string? RoleId { get; init; }
}
