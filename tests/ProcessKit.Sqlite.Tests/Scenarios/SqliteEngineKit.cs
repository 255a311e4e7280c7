using Microsoft.Extensions.Time.Testing;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Tasks;

namespace ProcessKit.Sqlite.Tests.Scenarios;

/// <summary>An engine on fake time and a SQLite store in a temp file, which can be closed and opened again as a restarted process.</summary>
internal sealed class SqliteEngineKit : IAsyncDisposable
{
    public static readonly DateTimeOffset Epoch = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly TempDatabase _db = new();
    private readonly Action<ProcessEngineOptions>? _configure;
    private readonly List<ProcessDefinition> _deployed = [];

    private SqliteEngineKit(Action<ProcessEngineOptions>? configure)
    {
        _configure = configure;
    }

    public FakeTimeProvider Time { get; } = new(Epoch);

    public SqliteProcessStore Store { get; private set; } = null!;

    public ProcessEngine Engine { get; private set; } = null!;

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

    public async Task DeployAsync(ProcessDefinition definition)
    {
        _deployed.Add(definition);
        await Engine.DeployAsync(definition, Ct);
    }

    public async Task<InstanceId> DeployAndStartAsync(ProcessDefinition definition, IReadOnlyDictionary<string, object?>? data = null)
    {
        await DeployAsync(definition);
        return await Engine.StartAsync(definition.Id, data, cancellationToken: Ct);
    }

    public async Task<InstanceSnapshot> InstanceAsync(InstanceId id) => await Engine.GetInstanceAsync(id, Ct);

    public async Task<IReadOnlyList<HistoryEvent>> HistoryAsync(InstanceId id) => await Engine.GetHistoryAsync(id, Ct);

    public async Task<IReadOnlyList<HumanTaskInfo>> OpenTasksAsync(InstanceId id)
    {
        var tasks = await Engine.QueryTasksAsync(new TaskQuery { Instance = id }, Ct);
        return [.. tasks.Where(static t => t.IsOpen)];
    }

    public async Task<HumanTaskInfo> OpenTaskAsync(InstanceId id, string stepId) =>
        Assert.Single(await OpenTasksAsync(id), t => t.StepId == stepId);

    /// <summary>Completes the only open task of the step as a user holding the task's role.</summary>
    public async Task CompleteAsync(InstanceId id, string stepId, string? outcome = null, IReadOnlyDictionary<string, object?>? data = null, string? userId = null)
    {
        var task = await OpenTaskAsync(id, stepId);
        await Engine.CompleteTaskAsync(task.TaskId, User(userId ?? task.AssignedTo ?? task.ClaimedBy ?? "u-" + task.Role, task.Role), outcome, data, Ct);
    }

    /// <summary>Moves fake time on and fires what fell due.</summary>
    public async Task<int> AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        return await Engine.RunDueAsync(Ct);
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
        Engine = new ProcessEngine(options);
    }
}
