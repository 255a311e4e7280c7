using ProcessKit.Persistence;
using ProcessKit.Scenarios;

namespace ProcessKit.Tests.Scenarios;

/// <summary>The sample scenarios run against the in-memory store: one store per test; a restart starts a new engine on it.</summary>
public sealed class InMemorySampleScenarioTests : SampleScenarioContract
{
    private readonly InMemoryProcessStore _store = new();

    /// <inheritdoc />
    protected override ValueTask<IProcessStore> OpenStoreAsync() => ValueTask.FromResult<IProcessStore>(_store);

    /// <inheritdoc />
    protected override ValueTask CloseStoreAsync(IProcessStore store) => ValueTask.CompletedTask;
}
