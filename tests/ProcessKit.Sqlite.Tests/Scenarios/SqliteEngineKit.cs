using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Scenarios;

namespace ProcessKit.Sqlite.Tests.Scenarios;

/// <summary>
/// An engine on fake time and a SQLite store in a temp file, which can be closed and opened again as a restarted
/// process; the helpers to act and look are the in-memory kit's (<see cref="EngineKit"/>).
/// </summary>
internal sealed class SqliteEngineKit : EngineKit, IAsyncDisposable
{
    public static readonly DateTimeOffset Epoch = StartOfTime;

    private readonly TempDatabase _db = new();
    private readonly Action<ProcessEngineOptions>? _configure;
    private readonly List<ProcessDefinition> _deployed = [];
    private ProcessEngine _engine = null!;

    private SqliteEngineKit(Action<ProcessEngineOptions>? configure)
    {
        _configure = configure;
    }

    public SqliteProcessStore Store { get; private set; } = null!;

    public override ProcessEngine Engine => _engine;

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<SqliteEngineKit> OpenAsync(Action<ProcessEngineOptions>? configure = null)
    {
        var kit = new SqliteEngineKit(configure);
        await kit.StartAsync();
        return kit;
    }

    public static ProcessUser User(string id, params string[] roles) => new(id, roles);

    /// <summary>Closes the store and the engine, then opens the file again with a new engine that deploys the same definitions (as an application does at every start).</summary>
    public async Task RestartAsync()
    {
        await Store.DisposeAsync();
        await StartAsync();
        foreach (var definition in _deployed)
        {
            await Engine.DeployAsync(definition, Ct);
        }
    }

    /// <summary>Deploys a definition, and again after every restart.</summary>
    public override async Task DeployAsync(ProcessDefinition definition)
    {
        _deployed.Add(definition);
        await Engine.DeployAsync(definition, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _db.Dispose();
    }

    private async Task StartAsync()
    {
        Store = await SqliteProcessStore.OpenAsync(_db.Options(), Ct);
        var options = new ProcessEngineOptions { TimeProvider = Time, Store = Store };
        _configure?.Invoke(options);
        _engine = new ProcessEngine(options);
    }
}
