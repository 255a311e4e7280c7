using Microsoft.Extensions.Time.Testing;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Tasks;

namespace ProcessKit.Scenarios;

/// <summary>
/// What the engine test kits share: an engine on fake time over some store, and the helpers the scenario tests act
/// and look with. The in-memory kit (<c>EngineTestKit</c>) and the SQLite kit (<c>SqliteEngineKit</c>, which can
/// restart on the same file) derive from it; the file is linked into both test projects.
/// </summary>
internal abstract class EngineKit
{
    /// <summary>The start of fake time in every kit.</summary>
    public static readonly DateTimeOffset StartOfTime = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The fake clock the engine reads, starting at <see cref="StartOfTime"/>.</summary>
    public FakeTimeProvider Time { get; } = new(StartOfTime);

    /// <summary>The engine now (a kit that restarts gives a new one each time).</summary>
    public abstract ProcessEngine Engine { get; }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Deploys a definition.</summary>
    public virtual async Task DeployAsync(ProcessDefinition definition) => await Engine.DeployAsync(definition, Token);

    public async Task<InstanceId> DeployAndStartAsync(ProcessDefinition definition, IReadOnlyDictionary<string, object?>? data = null)
    {
        await DeployAsync(definition);
        return await Engine.StartAsync(definition.Id, data, cancellationToken: Token);
    }

    public async Task<InstanceSnapshot> InstanceAsync(InstanceId id) => await Engine.GetInstanceAsync(id, Token);

    public async Task<IReadOnlyList<HistoryEvent>> HistoryAsync(InstanceId id) => await Engine.GetHistoryAsync(id, Token);

    public async Task<IReadOnlyList<HumanTaskInfo>> OpenTasksAsync(InstanceId id)
    {
        var tasks = await Engine.QueryTasksAsync(new TaskQuery { Instance = id }, Token);
        return [.. tasks.Where(static t => t.IsOpen)];
    }

    public async Task<HumanTaskInfo> OpenTaskAsync(InstanceId id, string stepId) =>
        Assert.Single(await OpenTasksAsync(id), t => t.StepId == stepId);

    /// <summary>Completes the only open task of the step as a user holding the task's role.</summary>
    public async Task CompleteAsync(InstanceId id, string stepId, string? outcome = null, IReadOnlyDictionary<string, object?>? data = null, string? userId = null)
    {
        var task = await OpenTaskAsync(id, stepId);
        await Engine.CompleteTaskAsync(task.TaskId, new ProcessUser(userId ?? task.AssignedTo ?? task.ClaimedBy ?? "u-" + task.Role, [task.Role]), outcome, data, Token);
    }

    /// <summary>Claims the only open task of the step as a user of its role, works on it for <paramref name="work"/> of fake time, and completes it.</summary>
    public async Task WorkAsync(InstanceId id, string step, TimeSpan work, string? outcome = null, Dictionary<string, object?>? data = null)
    {
        var task = await OpenTaskAsync(id, step);
        var user = new ProcessUser("u-" + task.Role, [task.Role]);
        await Engine.ClaimTaskAsync(task.TaskId, user, Token);
        Time.Advance(work);
        await Engine.CompleteTaskAsync(task.TaskId, user, outcome, data, Token);
    }

    /// <summary>Moves fake time on and fires what fell due.</summary>
    public async Task<int> AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        return await Engine.RunDueAsync(Token);
    }
}
