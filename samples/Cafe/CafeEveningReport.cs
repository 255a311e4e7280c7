using ProcessKit.Testing.Simulation;

namespace ProcessKit.Samples.Cafe;

/// <summary>What <see cref="CafeSimulation.RunAsync"/> found: the simulator's report and the free-dessert breakdown.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record CafeEveningReport
{
    /// <summary>The evening simulated.</summary>
    public required CafeEvening Evening { get; init; }

    /// <summary>The simulator's report (its <see cref="SimulationReport.Process"/> has the process figures).</summary>
    public required SimulationReport Simulation { get; init; }

    /// <summary>Guests served within the deadline: no free dessert offered.</summary>
    public required CafeGroup OnTime { get; init; }

    /// <summary>Late guests who took the free dessert.</summary>
    public required CafeGroup LateWithDessert { get; init; }

    /// <summary>Late guests who declined the free dessert.</summary>
    public required CafeGroup LateDeclined { get; init; }
}
