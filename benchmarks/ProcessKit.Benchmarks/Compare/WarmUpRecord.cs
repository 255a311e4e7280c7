namespace ProcessKit.Benchmarks.Compare;

/// <summary>How one engine's warm-up on one scenario went.</summary>
/// <param name="Engine">The engine's column name.</param>
/// <param name="Scenario">The scenario.</param>
/// <param name="InstancesPerRound">Instances per round.</param>
/// <param name="Rates">Each round's rate (instances through all its phases ÷ their seconds), in order.</param>
/// <param name="Seconds">The warm-up's wall-clock time.</param>
/// <param name="Steady">Whether the rate stopped rising before the time budget ran out.</param>
/// <param name="MethodsCompiled">Methods the JIT compiled (any thread) during each round and its pause, in order.</param>
internal sealed record WarmUpRecord(string Engine, Scenario Scenario, int InstancesPerRound, IReadOnlyList<double> Rates, double Seconds, bool Steady, IReadOnlyList<long> MethodsCompiled)
{
    /// <summary>Whether this was the engine's first scenario, warmed up by <see cref="WarmUpPolicy.First"/> when the run's rule has one.</summary>
    public bool FirstScenario { get; init; }

    /// <summary>The rates of the unmeasured runs at the line's size after the rounds (<see cref="WarmUpPolicy.SettlingRuns"/>), in order.</summary>
    public IReadOnlyList<double> SettlingRates { get; init; } = [];

    /// <summary>How many rounds ran.</summary>
    public int Rounds => Rates.Count;
}
