namespace ProcessKit.Testing.Simulation;

/// <summary>The simulated clock: it reads what the simulation last set and never moves on its own.</summary>
internal sealed class SimulationClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
