using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Tests.Execution;

namespace ProcessKit.Tests.Persistence;

/// <summary>
/// A new instance's first command writes its history into a buffer its transition lends it; a record
/// the store keeps (one it cannot pack) gets an array of its own, untouched by later commands.
/// </summary>
public sealed class LentHistoryTests
{
    private static ProcessDefinition Listing()
    {
        var p = ProcessBuilder.Create("lent.listing", "Listing");
        p.Supplier("s", "S").Inputs(Field.List("items"), Field.String("name"));
        var role = p.Role("clerk", "Clerk");
        var note = p.Automated("note", "Note", "lent.note").Writes(Field.String("name"));
        var look = p.HumanTask("look", "Look", role);
        note.Then(look);
        look.Then(p.End("done", "Done"));
        return p.Build();
    }

    [Fact]
    public async Task A_kept_record_keeps_its_history_while_later_starts_on_the_same_thread_reuse_the_buffer()
    {
        var kit = new EngineTestKit(o => o.AddHandler("lent.note", c => c.Set("name", "noted " + c.Instance.Value)));
        var first = await kit.DeployAndStartAsync(Listing(), new Dictionary<string, object?> { ["items"] = new List<object?> { 1 } });
        var before = await kit.HistoryAsync(first);
        var kept = kit.Store.FindInstance(first)!;
        Assert.False(kept.HistoryLent);

        for (var i = 0; i < 3; i++)
        {
            await kit.Engine.StartAsync("lent.listing", new Dictionary<string, object?> { ["items"] = new List<object?> { i } }, cancellationToken: EngineTestKit.Ct);
        }

        var after = await kit.HistoryAsync(first);
        Assert.Equal(before, after);
        Assert.Contains(after, static e => e.Type == HistoryEventType.TaskCreated);
        Assert.All(after, e => Assert.Equal(first, e.Instance));
    }

    [Fact]
    public async Task Owning_a_full_history_keeps_every_event_and_leaves_the_room_asked_for()
    {
        var kit = new EngineTestKit(o => o.AddHandler("lent.note", static _ => { }));
        var id = await kit.DeployAndStartAsync(Listing(), new Dictionary<string, object?> { ["items"] = new List<object?>() });
        var model = kit.Store.FindInstance(id)!.Model;
        var record = new InstanceRecord { Id = new InstanceId(99), Model = model, Slots = new object?[model.FieldNames.Length], History = new HistoryRecord[3], HistoryLent = true };
        for (var i = 0; i < 3; i++)
        {
            record.Append().Node = i + 1;
        }

        record.OwnHistory(4);

        Assert.False(record.HistoryLent);
        Assert.Equal(7, record.History.Length);
        Assert.Equal([1, 2, 3], record.History.Take(record.HistoryCount).Select(static r => r.Node));
    }
}
