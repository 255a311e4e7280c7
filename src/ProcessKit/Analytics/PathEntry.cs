using ProcessKit.Definitions;

namespace ProcessKit.Analytics;

/// <summary>One step on the path an instance took: a <see cref="History.HistoryEventType.StepEntered"/> event and how that run ended.</summary>
/// <remarks>Immutable and thread-safe; compared by value.</remarks>
public sealed record PathEntry
{
    /// <summary>The step entered.</summary>
    public required string StepId { get; init; }

    /// <summary>The run of the step (see <see cref="History.HistoryEvent.StepInstance"/>).</summary>
    public int StepInstance { get; init; }

    /// <summary>The kind of the flow that led here (<see cref="History.HistoryEvent.Path"/> of the entry event). Default <see cref="PathKind.Happy"/>.</summary>
    public PathKind Path { get; init; }

    /// <summary>When the step was entered.</summary>
    public required DateTimeOffset EnteredAt { get; init; }

    /// <summary>The outcome the run completed with (the <see cref="History.HistoryEvent.Detail"/> of its step-completed event, for example a task outcome); <see langword="null"/> when it has none or has not completed.</summary>
    public string? Outcome { get; init; }
}
