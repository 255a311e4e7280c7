using Microsoft.Extensions.Time.Testing;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Persistence;
using ProcessKit.Tasks;

namespace ProcessKit.Tests.Execution;

/// <summary>An engine on fake time and an in-memory store, with helpers to act and look.</summary>
internal sealed class EngineTestKit
{
    public static readonly DateTimeOffset Epoch = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public EngineTestKit(Action<ProcessEngineOptions>? configure = null)
    {
        var options = new ProcessEngineOptions { TimeProvider = Time, Store = Store };
        configure?.Invoke(options);
        Engine = new ProcessEngine(options);
    }

    public FakeTimeProvider Time { get; } = new(Epoch);

    public InMemoryProcessStore Store { get; } = new();

    public ProcessEngine Engine { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static ProcessUser User(string id, params string[] roles) => new(id, roles);

    public async Task<InstanceId> DeployAndStartAsync(ProcessDefinition definition, IReadOnlyDictionary<string, object?>? data = null)
    {
        await Engine.DeployAsync(definition, Ct);
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

    public static IEnumerable<string> Steps(IEnumerable<HistoryEvent> history, HistoryEventType type) =>
        history.Where(e => e.Type == type).Select(static e => e.StepId!);
}
