using ProcessKit.Persistence;
using ProcessKit.StoreContract;

namespace ProcessKit.Tests.Persistence;

/// <summary>The store contract run against the in-memory store (reopening it is the same store: it lives as long as the process).</summary>
public sealed class InMemoryStoreContractTests : ProcessStoreContract
{
    /// <inheritdoc />
    protected override ValueTask<IProcessStore> CreateStoreAsync() => ValueTask.FromResult<IProcessStore>(new InMemoryProcessStore());

    /// <inheritdoc />
    protected override ValueTask<IProcessStore> ReopenAsync(IProcessStore store) => ValueTask.FromResult(store);
}
