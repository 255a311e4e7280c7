namespace ProcessKit.Benchmarks.Compare.WorkflowCore;

/// <summary>The in-memory store Workflow Core runs on in the comparison (<c>--workflowcore-store</c>).</summary>
internal enum WorkflowCoreStore
{
    /// <summary>Its memory provider's behaviour, found through dictionaries (<see cref="IndexedMemoryPersistence"/>); the default.</summary>
    Indexed,

    /// <summary>Its own <c>MemoryPersistenceProvider</c>: lists scanned on every look-up, so the cost per step grows with N.</summary>
    List,
}
