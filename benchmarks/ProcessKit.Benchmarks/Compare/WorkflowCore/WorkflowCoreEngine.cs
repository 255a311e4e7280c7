namespace ProcessKit.Benchmarks.Compare.WorkflowCore;

/// <summary>Workflow Core 3.22.0 on an in-memory store (<paramref name="store"/>).</summary>
internal sealed class WorkflowCoreEngine(WorkflowCoreStore store = WorkflowCoreStore.Indexed) : IEngineUnderTest
{
    /// <inheritdoc />
    public string Name => "Workflow Core";

    /// <inheritdoc />
    public string Description =>
        $"WorkflowCore {PackageVersion.Of(typeof(global::WorkflowCore.Interface.IWorkflowHost))}, "
        + (store == WorkflowCoreStore.List ? "its MemoryPersistenceProvider (lists)" : "its memory provider's behaviour with dictionary look-ups")
        + $", idle time 1 ms, max concurrent workflows {4 * Environment.ProcessorCount} (4 × cores), life-cycle events off";

    /// <inheritdoc />
    public ScenarioDriver? CreateDriver(Scenario scenario) => scenario switch
    {
        Scenario.Sequential => new SequentialDriver { StoreKind = store },
        Scenario.Decision => new DecisionDriver { StoreKind = store },
        Scenario.Wait or Scenario.Memory => new WaitDriver { StoreKind = store },
        Scenario.Parallel => new ParallelDriver { StoreKind = store },
        _ => null,
    };

    /// <inheritdoc />
    public string NotAvailableReason(Scenario scenario) => scenario == Scenario.HumanTask
        ? "no human tasks in Workflow Core itself (its user-task steps ship in the separate WorkflowCore.Users package, not among the packages this repository may use); its nearest construct, waiting for an event, is the wait scenario"
        : Description;
}
