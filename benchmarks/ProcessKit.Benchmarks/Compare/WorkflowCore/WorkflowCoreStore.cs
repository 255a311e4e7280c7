namespace ProcessKit.Benchmarks.Compare.WorkflowCore;

/// <summary>The in-memory store Workflow Core runs on in the comparison (<c>--workflowcore-store</c>).</summary>
internal enum WorkflowCoreStore
{
    /// <summary>Its own <c>MemoryPersistenceProvider</c>, as issue 6 names it: lists scanned on every look-up, so the cost per step grows with N. The "Workflow Core" column.</summary>
    List,

    /// <summary>Its memory provider's behaviour, found through dictionaries (<see cref="IndexedMemoryPersistence"/>, ours). The "Workflow Core (indexed store, ours)" column.</summary>
    Indexed,
}
