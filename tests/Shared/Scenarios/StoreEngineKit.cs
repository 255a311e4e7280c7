using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Persistence;

namespace ProcessKit.Scenarios;

/// <summary>
/// An engine on fake time over a store that can be closed and opened again as a restarted application: the store
/// is opened and closed by the delegates the kit is given (the in-memory store opens as itself and is never
/// closed; a durable store opens a new connection on the same data). The helpers to act and look are
/// <see cref="EngineKit"/>'s.
/// </summary>
internal sealed class StoreEngineKit : EngineKit, IAsyncDisposable
{
    private readonly Func<ValueTask<IProcessStore>> _open;
    private readonly Func<IProcessStore, ValueTask> _close;
    private readonly Action<ProcessEngineOptions>? _configure;
    private readonly List<ProcessDefinition> _deployed = [];
    private ProcessEngine _engine = null!;

    private StoreEngineKit(Func<ValueTask<IProcessStore>> open, Func<IProcessStore, ValueTask> close, Action<ProcessEngineOptions>? configure)
    {
        _open = open;
        _close = close;
        _configure = configure;
    }

    /// <summary>The store the engine runs on now (a new one after each restart of a durable store).</summary>
    public IProcessStore Store { get; private set; } = null!;

    public override ProcessEngine Engine => _engine;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Opens the store with <paramref name="open"/> and starts an engine on it.</summary>
    public static async Task<StoreEngineKit> OpenAsync(Func<ValueTask<IProcessStore>> open, Func<IProcessStore, ValueTask> close, Action<ProcessEngineOptions>? configure = null)
    {
        var kit = new StoreEngineKit(open, close, configure);
        await kit.StartAsync();
        return kit;
    }

    /// <summary>An in-memory store for the whole life of the kit; a restart starts a new engine on the same store.</summary>
    public static Task<StoreEngineKit> InMemoryAsync(Action<ProcessEngineOptions>? configure = null)
    {
        var store = new InMemoryProcessStore();
        return OpenAsync(() => ValueTask.FromResult<IProcessStore>(store), static _ => ValueTask.CompletedTask, configure);
    }

    /// <summary>Closes the store, opens it again with a new engine that deploys the same definitions (as an application does at every start).</summary>
    public async Task RestartAsync()
    {
        await _close(Store);
        await StartAsync();
        foreach (var definition in _deployed)
        {
            await Engine.DeployAsync(definition, Token);
        }
    }

    /// <summary>Deploys a definition, and again after every restart.</summary>
    public override async Task DeployAsync(ProcessDefinition definition)
    {
        _deployed.Add(definition);
        await Engine.DeployAsync(definition, Token);
    }

    public async ValueTask DisposeAsync() => await _close(Store);

    private async Task StartAsync()
    {
        Store = await _open();
        var options = new ProcessEngineOptions { TimeProvider = Time, Store = Store };
        _configure?.Invoke(options);
        _engine = new ProcessEngine(options);
    }
}
