using ProcessKit.Persistence;
using ProcessKit.StoreContract;

namespace ProcessKit.Tests.Persistence;

/// <summary>The fault-injection contract run against the in-memory store.</summary>
public sealed class InMemoryFaultInjectionTests : FaultInjectionContract
{
    /// <inheritdoc />
    protected override ValueTask<IProcessStore> CreateStoreAsync() => ValueTask.FromResult<IProcessStore>(new InMemoryProcessStore());
}
