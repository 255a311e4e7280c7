using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.Tasks;

namespace ProcessKit.AspNetCore.Tests;

/// <summary>What a refused request must leave as it was: the instances, their versions, histories and tasks.</summary>
internal static class Fingerprint
{
    public static async Task<string> OfAsync(TestApp app)
    {
        var ct = TestContext.Current.CancellationToken;
        var count = ((InMemoryProcessStore)app.Engine.Store).InstanceCount;
        var parts = new List<string> { $"instances={count}" };
        for (var id = 1L; id <= count; id++)
        {
            var instance = await app.Engine.GetInstanceAsync(new InstanceId(id), ct);
            var history = await app.Engine.GetHistoryAsync(instance.Id, ct);
            parts.Add($"{id}:v{instance.Version}:{instance.State}:h{history.Count}:[{string.Join(',', instance.ActiveSteps)}]");
        }

        var tasks = await app.Engine.QueryTasksAsync(new TaskQuery(), ct);
        parts.AddRange(tasks.Select(static t => $"t{t.TaskId}:{t.State}:{t.ClaimedBy}:{t.AssignedTo}"));
        return string.Join(' ', parts);
    }
}
