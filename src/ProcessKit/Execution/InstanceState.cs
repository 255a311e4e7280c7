namespace ProcessKit.Execution;

/// <summary>Where a process instance is in its life.</summary>
public enum InstanceState
{
    /// <summary>Running: at least one path waits for a person, a message, a timer or an incident to be resolved.</summary>
    Running,

    /// <summary>Completed: no path left, or a terminating end step was reached.</summary>
    Completed,

    /// <summary>Cancelled through the API.</summary>
    Cancelled,

    /// <summary>Stopped by an incident it cannot get past (for example a step budget exceeded).</summary>
    Failed,
}
