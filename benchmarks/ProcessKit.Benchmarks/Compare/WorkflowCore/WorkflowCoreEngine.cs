namespace ProcessKit.Benchmarks.Compare.WorkflowCore;

/// <summary>
/// Workflow Core 3.22.0 on an in-memory store (<paramref name="store"/>): its own provider is the
/// "Workflow Core" column issue 6 asks for, the indexed store of ours a second, labelled column.
/// </summary>
/// <param name="store">The in-memory store Workflow Core runs on.</param>
/// <param name="maxCount">The largest N this column runs (lines above it show "capped"), or <c>null</c> for no limit.</param>
internal sealed class WorkflowCoreEngine(WorkflowCoreStore store = WorkflowCoreStore.List, int? maxCount = null) : IEngineUnderTest
{
    /// <summary>The column name of Workflow Core on its own provider.</summary>
    public const string OwnStoreName = "Workflow Core";

    /// <summary>The column name of Workflow Core on the indexed store of ours.</summary>
    public const string IndexedStoreName = "Workflow Core (indexed store, ours)";

    /// <summary>The store this column runs on.</summary>
    public WorkflowCoreStore Store => store;

    /// <inheritdoc />
    public string Name => store == WorkflowCoreStore.List ? OwnStoreName : IndexedStoreName;

    /// <inheritdoc />
    public string Family => "Workflow Core";

    /// <inheritdoc />
    public int? MaxCount => maxCount;

    /// <inheritdoc />
    public string Description =>
        $"WorkflowCore {PackageVersion.Of(typeof(global::WorkflowCore.Interface.IWorkflowHost))}, "
        + (store == WorkflowCoreStore.List
            ? "its own in-memory MemoryPersistenceProvider (lists walked on every load and save: a run of N costs about N²)"
            : "IndexedMemoryPersistence, ours: its memory provider's behaviour with dictionary look-ups by id and by event key")
        + $", idle time 1 ms, max concurrent workflows {4 * Environment.ProcessorCount} (4 × cores), life-cycle events off"
        + (maxCount is { } cap ? $"; run at N ≤ {cap:N0} only" : "");

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
    public string NotAvailableReason(Scenario scenario) => scenario is Scenario.HumanTask or Scenario.TaskMemory
        ? "no human tasks in Workflow Core itself (its user-task steps ship in the separate WorkflowCore.Users package, not among the packages this repository may use); its nearest construct, waiting for an event, is the wait scenario"
        : Description;
}
