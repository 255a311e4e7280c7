namespace ProcessKit.Benchmarks.Compare.WorkflowCore;

/// <summary>Workflow Core 3.22.0 on its in-memory persistence.</summary>
internal sealed class WorkflowCoreEngine : IEngineUnderTest
{
    /// <inheritdoc />
    public string Name => "Workflow Core";

    /// <inheritdoc />
    public string Description =>
        $"WorkflowCore {PackageVersion.Of(typeof(global::WorkflowCore.Interface.IWorkflowHost))}, MemoryPersistenceProvider, idle time 1 ms, max concurrent workflows {4 * Environment.ProcessorCount} (4 × cores)";

    /// <inheritdoc />
    public ScenarioDriver? CreateDriver(Scenario scenario) => scenario switch
    {
        Scenario.Sequential => new SequentialDriver(),
        Scenario.Decision => new DecisionDriver(),
        Scenario.Wait or Scenario.Memory => new WaitDriver(),
        Scenario.Parallel => new ParallelDriver(),
        _ => null,
    };

    /// <inheritdoc />
    public string NotAvailableReason(Scenario scenario) => scenario == Scenario.HumanTask
        ? "no human tasks in Workflow Core itself (its user-task steps ship in the separate WorkflowCore.Users package, not among the packages this repository may use); its nearest construct, waiting for an event, is the wait scenario"
        : Description;
}
