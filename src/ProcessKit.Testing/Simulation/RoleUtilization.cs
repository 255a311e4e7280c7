namespace ProcessKit.Testing.Simulation;

/// <summary>How busy the simulated people of one role were.</summary>
/// <remarks>Immutable and thread-safe; compared by value.</remarks>
public sealed record RoleUtilization
{
    /// <summary>The role id.</summary>
    public required string RoleId { get; init; }

    /// <summary>The role's name in the definition.</summary>
    public required string RoleName { get; init; }

    /// <summary>How many people of the role were simulated.</summary>
    public int People { get; init; }

    /// <summary>How many tasks they completed.</summary>
    public int TasksCompleted { get; init; }

    /// <summary>The time they spent working (from claiming a task to completing it, or to finding it cancelled), summed over the role's people.</summary>
    public TimeSpan BusyTime { get; init; }

    /// <summary>
    /// <see cref="BusyTime"/> divided by <see cref="People"/> times the simulated span
    /// (<see cref="SimulationReport.EndTime"/> minus <see cref="SimulationReport.StartTime"/>): a
    /// number from 0 to 1; <see langword="null"/> when the role had nobody or the span is empty.
    /// </summary>
    public double? Utilization { get; init; }
}
