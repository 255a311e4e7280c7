namespace ProcessKit.Analytics;

/// <summary>Where an instance stands according to its history.</summary>
public enum InstanceState
{
    /// <summary>Started and not ended yet: the history holds no completed, cancelled or failed event.</summary>
    Running,

    /// <summary>Reached its end (<see cref="History.HistoryEventType.InstanceCompleted"/>).</summary>
    Completed,

    /// <summary>Cancelled through the API (<see cref="History.HistoryEventType.InstanceCancelled"/>).</summary>
    Cancelled,

    /// <summary>Stopped by an incident it could not get past (<see cref="History.HistoryEventType.InstanceFailed"/>).</summary>
    Failed,
}
