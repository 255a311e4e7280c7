namespace ProcessKit.Benchmarks.Compare.Stateless;

/// <summary>
/// Stateless 5.20.1, the bare-transition lower bound: one configured state machine per instance,
/// its state in a plain object, fired synchronously (<c>FiringMode.Immediate</c>), no history, no
/// persistence. Correlation for the wait is a dictionary from key to instance.
/// </summary>
internal sealed class StatelessEngine : IEngineUnderTest
{
    /// <inheritdoc />
    public string Name => "Stateless";

    /// <inheritdoc />
    public string Description =>
        $"Stateless {PackageVersion.Of(typeof(global::Stateless.StateMachine<int, int>))}, a state machine per instance, FiringMode.Immediate, no history";

    /// <inheritdoc />
    public ScenarioDriver? CreateDriver(Scenario scenario) => scenario switch
    {
        Scenario.Sequential => new SequentialDriver(),
        Scenario.Decision => new DecisionDriver(),
        Scenario.Wait or Scenario.Memory => new WaitDriver(),
        Scenario.Parallel => new ParallelDriver(),
        Scenario.HumanTask => new HumanTaskDriver(),
        Scenario.TaskMemory => new HumanTaskDriver { ParkOnly = true },
        _ => null,
    };
}
