using ProcessKit.Execution;

namespace ProcessKit.Benchmarks.Compare.ProcessKit;

/// <summary>
/// ProcessKit's column: the <see cref="ProcessEngine"/> over its <c>InMemoryProcessStore</c>,
/// system clock, handlers registered by name, one command per start or message on the calling
/// thread (the in-memory store's commands complete synchronously).
/// </summary>
internal sealed class ProcessKitEngine : IEngineUnderTest
{
    /// <inheritdoc />
    public string Name => "ProcessKit";

    /// <inheritdoc />
    public string Description =>
        $"ProcessKit {PackageVersion.Of(typeof(ProcessEngine))}, ProcessEngine over InMemoryProcessStore, inline automated steps, history kept";

    /// <summary>The one place the engine plugs in: a driver per scenario, the memory line being the wait parked only.</summary>
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
