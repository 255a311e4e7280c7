using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace ProcessKit.Benchmarks.Compare.WorkflowCore;

/// <summary>A store Workflow Core runs on in the comparison, whose writes are counted by <see cref="StoreCounters"/>.</summary>
internal interface ICountedStore : IPersistenceProvider
{
    /// <summary>Every instance of the workflow <paramref name="definitionId"/>, for the check after a run.</summary>
    Task<IReadOnlyList<WorkflowInstance>> InstancesOfAsync(string definitionId);
}
