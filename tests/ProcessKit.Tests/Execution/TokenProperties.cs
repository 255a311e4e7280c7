using FsCheck;
using FsCheck.Xunit;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Tasks;
using ProcessKit.Tests.Generators;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Execution;

/// <summary>Invariants of token flow over random valid process graphs driven by random outcomes.</summary>
public sealed class TokenProperties
{
    [Property(Arbitrary = [typeof(DefinitionArbitraries)], MaxTest = 60)]
    public async Task Random_graphs_with_random_outcomes_always_end_or_wait_and_never_lose_or_duplicate_a_token(ProcessDefinition definition, int seed) =>
        await DriveAsync(definition, seed, check: true);

    [Property(Arbitrary = [typeof(DefinitionArbitraries)], MaxTest = 30)]
    public async Task Replaying_the_same_commands_on_a_fresh_engine_gives_the_same_history(ProcessDefinition definition, int seed)
    {
        var first = await DriveAsync(definition, seed, check: false);
        var second = await DriveAsync(definition, seed, check: false);

        Assert.Equal(first, second);
    }

    /// <summary>Starts one instance and drives it with random outcomes and time; returns its history.</summary>
    private static async Task<IReadOnlyList<History.HistoryEvent>> DriveAsync(ProcessDefinition definition, int seed, bool check)
    {
        var random = new Random(seed);
        var kit = new EngineTestKit(o =>
        {
            foreach (var handler in definition.Steps.OfType<AutomatedStep>().Select(s => s.Handler).Distinct())
            {
                o.AddHandler(handler, static _ => { });
            }
        });
        await kit.Engine.DeployAsync(definition, Ct);
        var inputs = definition.Suppliers.SelectMany(s => s.Inputs).Where(i => i.Required).DistinctBy(i => i.Name);
        var id = await kit.Engine.StartAsync(definition.Id, inputs.ToDictionary(i => i.Name, Sample), cancellationToken: Ct);
        if (check)
        {
            await CheckAsync(kit, id, definition);
        }

        for (var round = 0; round < 40; round++)
        {
            var open = await kit.OpenTasksAsync(id);
            if (open.Count > 0)
            {
                var task = open[random.Next(open.Count)];
                var step = (HumanTaskStep)definition.Steps.Single(s => s.Id == task.StepId);
                var outcome = task.Outcomes.Count == 0 ? null : task.Outcomes[random.Next(task.Outcomes.Count)];
                var data = step.Writes.Where(w => w.Required).ToDictionary(w => w.Name, Sample);
                kit.Time.Advance(TimeSpan.FromMinutes(random.Next(1, 120)));
                // One user per step (unless the task is assigned), so that separation of duties between steps never bars the driver.
                await kit.Engine.CompleteTaskAsync(task.TaskId, User(task.AssignedTo ?? "u-" + task.StepId, task.Role), outcome, data, Ct);
            }
            else if (kit.Engine.NextDueTime is null || await kit.AdvanceAsync(TimeSpan.FromDays(30)) == 0 && kit.Engine.NextDueTime is null)
            {
                break;
            }

            if (check)
            {
                await CheckAsync(kit, id, definition);
            }
        }

        return await kit.HistoryAsync(id);
    }

    private static async Task CheckAsync(EngineTestKit kit, InstanceId id, ProcessDefinition definition)
    {
        var instance = await kit.InstanceAsync(id);
        var open = await kit.OpenTasksAsync(id);
        if (instance.State == InstanceState.Running)
        {
            Assert.NotEmpty(instance.ActiveSteps);
        }
        else
        {
            Assert.Empty(instance.ActiveSteps);
            Assert.Empty(open);
        }

        var incidents = (await kit.HistoryAsync(id)).Where(e => e.Type == History.HistoryEventType.IncidentRaised).Select(e => e.StepId).ToHashSet();
        foreach (var step in definition.Steps.OfType<HumanTaskStep>())
        {
            var waiting = instance.ActiveSteps.Count(s => s == step.Id);
            var tasks = open.Count(t => t.StepId == step.Id);
            Assert.True(incidents.Contains(step.Id) ? tasks <= waiting : tasks == waiting, $"step '{step.Id}': {waiting} waiting path(s), {tasks} open task(s)");
        }

        Assert.Equal(open.Count, open.Select(t => t.TaskId).Distinct().Count());
    }

    private static object? Sample(DataField field) => field.Type switch
    {
        DataType.String => "x",
        DataType.Number => field.Minimum ?? field.Maximum ?? 1m,
        DataType.Boolean => true,
        DataType.DateTime => Epoch,
        DataType.Duration => TimeSpan.FromHours(1),
        DataType.Object => new Dictionary<string, object?>(),
        _ => new List<object?>(),
    };
}
