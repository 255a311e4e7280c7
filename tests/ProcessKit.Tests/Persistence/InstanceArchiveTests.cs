using FsCheck;
using FsCheck.Xunit;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Persistence;
using ProcessKit.Tests.Execution;
using ProcessKit.Tests.Scenarios;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Persistence;

/// <summary>The in-memory store packs ended instances into bytes: what it reads back is the record it was given.</summary>
public sealed class InstanceArchiveTests
{
    private static readonly string[] Letters = ["a", "ü", "€", "😀"];

    private static ProcessDefinition Scalars()
    {
        var p = ProcessBuilder.Create("archive.scalars", "Scalars");
        p.Supplier("s", "S").Inputs(
            Field.String("text"),
            Field.Number("number"),
            Field.Number("whole"),
            Field.Number("big"),
            Field.Boolean("flag"),
            Field.DateTime("when"),
            Field.Duration("span"),
            Field.List("items"));
        var role = p.Role("clerk", "Clerk");
        var task = p.HumanTask("look", "Look", role);
        task.Then(p.End("done", "Done").Outcome("looked"));
        return p.Build();
    }

    /// <summary>A copy of a running record, ended as a command would end it.</summary>
    private static InstanceRecord Ended(InstanceRecord running)
    {
        var record = running.CopyForCommand();
        while (record.TokenCount > 0)
        {
            record.RemoveTokenAt(0);
        }

        record.State = InstanceState.Cancelled;
        record.EndedTicks = record.StartedTicks + TimeSpan.FromHours(3).Ticks;
        record.EndOutcome = "gave up";
        record.Performers ??= new string?[record.Model.Nodes.Length];
        record.Performers[0] = "ann";
        record.Joins = [0, 3, -1];
        record.Spans = [7];
        ref var r = ref record.Append();
        r.UtcTicks = record.EndedTicks;
        r.Type = HistoryEventType.InstanceCancelled;
        r.Node = -1;
        r.Role = -1;
        record.AddNote(ref r, new HistoryNote("bob", "grüße", -12_345, true));
        return record;
    }

    private static InstanceRecord PackAndRead(InstanceRecord record, long version)
    {
        Assert.True(InstanceArchive.TryEncode(record, version, out var packed));
        var archive = new InstanceArchive();
        archive.Append(record.Model, new byte[3]); // another instance before it
        var at = archive.Append(record.Model, packed);
        Assert.Equal(version, archive.VersionAt(at));
        return archive.Read(record.Id, at);
    }

    [Fact]
    public async Task An_ended_instance_comes_back_with_every_field_history_record_and_note()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Scalars(), new Dictionary<string, object?>
        {
            ["text"] = "grüße \"quoted\"",
            ["number"] = 1.50m,
            ["whole"] = -42,
            ["big"] = decimal.MaxValue,
            ["flag"] = false,
            ["when"] = new DateTimeOffset(2026, 5, 4, 13, 30, 15, TimeSpan.FromHours(-5.5)),
            ["span"] = TimeSpan.FromMinutes(95),
        });
        var expected = Ended(kit.Store.FindInstance(id)!);

        var back = PackAndRead(expected, 9);

        Assert.Equal(expected.Id, back.Id);
        Assert.Same(expected.Model, back.Model);
        Assert.Equal(9, back.Version);
        Assert.Equal(expected.State, back.State);
        Assert.Equal(expected.BusinessKey, back.BusinessKey);
        Assert.Equal(expected.EndOutcome, back.EndOutcome);
        Assert.Equal(expected.StartedTicks, back.StartedTicks);
        Assert.Equal(expected.EndedTicks, back.EndedTicks);
        Assert.Equal(expected.StepCounter, back.StepCounter);
        Assert.Equal(expected.Joins, back.Joins);
        Assert.Equal(expected.Spans, back.Spans);
        Assert.Equal(expected.Performers, back.Performers);
        Assert.Equal(expected.Parent, back.Parent);
        Assert.Equal(0, back.TokenCount);
        Assert.Equal(expected.Slots, back.Slots);
        Assert.Equal("1.50", ((decimal)back.Slots[expected.Model.FieldIndex["number"]]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.FromHours(-5.5), ((DateTimeOffset)back.Slots[expected.Model.FieldIndex["when"]]!).Offset);
        Assert.Equal(expected.HistoryCount, back.HistoryCount);
        Assert.Equal(expected.History.Take(expected.HistoryCount), back.History.Take(back.HistoryCount));
        Assert.Equal(expected.NoteCount, back.NoteCount);
        Assert.Equal(expected.Notes!.Take(expected.NoteCount), back.Notes!.Take(back.NoteCount));
    }

    [Fact]
    public async Task A_sub_process_instance_keeps_its_parent()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Scalars());
        var running = kit.Store.FindInstance(id)!;
        var child = new InstanceRecord
        {
            Id = new InstanceId(99),
            Model = running.Model,
            Slots = new object?[running.Slots.Length],
            History = new HistoryRecord[2],
            Parent = (id, 3, 4),
            State = InstanceState.Completed,
        };

        Assert.Equal((id, 3, 4), PackAndRead(child, 1).Parent);
    }

    [Fact]
    public async Task A_waiting_instance_comes_back_with_its_paths()
    {
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(CafeProcess.Definition, Ct);
        var id = await kit.Engine.StartAsync(CafeProcess.Definition.Id, new Dictionary<string, object?> { ["partySize"] = 2 }, "table-7", Ct);
        var running = kit.Store.FindInstance(id)!;
        Assert.True(running.TokenCount > 0);

        var back = PackAndRead(running, running.Version);

        Assert.Equal(running.Tokens.Take(running.TokenCount), back.Tokens.Take(back.TokenCount));
        Assert.Equal(running.TokenCount, back.TokenCount);
        Assert.Equal(running.History.Take(running.HistoryCount), back.History.Take(back.HistoryCount));
    }

    [Fact]
    public async Task An_instance_holding_an_object_or_list_is_not_packed()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Scalars(), new Dictionary<string, object?> { ["items"] = new List<object?> { 1 } });
        var running = kit.Store.FindInstance(id)!;

        Assert.False(InstanceArchive.TryEncode(running, 2, out _));
        Assert.False(InstanceArchive.TryEncode(Ended(running), 2, out _));
    }

    [Fact]
    public async Task Compacting_keeps_every_instance_of_the_index_and_drops_the_unused_bytes()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Scalars(), new Dictionary<string, object?> { ["text"] = "kept" });
        var record = kit.Store.FindInstance(id)!;
        var archive = new InstanceArchive();
        var index = new IdMap();
        for (var i = 1; i <= 50; i++)
        {
            Assert.True(InstanceArchive.TryEncode(record, i, out var packed));
            if (index.TryGetValue(i % 10, out var old))
            {
                archive.Release(old);
            }

            index.Set(i % 10, archive.Append(record.Model, packed));
        }

        Assert.True(archive.Unused > archive.Bytes / 2);

        archive.Compact(index);

        Assert.Equal(0, archive.Unused);
        Assert.Equal(10, index.Count);
        foreach (var (key, at) in index.Entries())
        {
            var back = archive.Read(new InstanceId(key), at);
            Assert.Equal(key == 0 ? 50 : 40 + key, back.Version);
            Assert.Equal("kept", back.Slots[record.Model.FieldIndex["text"]]);
        }
    }

    [Fact]
    public async Task A_list_value_stays_as_given_once_its_instance_has_ended()
    {
        var kit = new EngineTestKit();
        var items = new List<object?> { 1, "two" };
        var id = await kit.DeployAndStartAsync(Scalars(), new Dictionary<string, object?> { ["items"] = items });
        await kit.CompleteAsync(id, "look");

        var snapshot = await kit.InstanceAsync(id);

        Assert.Equal(InstanceState.Completed, snapshot.State);
        Assert.Same(items, snapshot.Data["items"]);
    }

    [Fact]
    public async Task Ended_instances_read_back_through_the_engine_as_they_ended()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Scalars(), new Dictionary<string, object?> { ["text"] = "t", ["number"] = 0.25m });
        var before = await kit.HistoryAsync(id);
        await kit.CompleteAsync(id, "look", userId: "ann");

        var snapshot = await kit.InstanceAsync(id);
        var history = await kit.HistoryAsync(id);

        Assert.Equal(InstanceState.Completed, snapshot.State);
        Assert.Equal("looked", snapshot.EndOutcome);
        Assert.Equal(0.25m, snapshot.Data["number"]);
        Assert.Equal("t", snapshot.Data["text"]);
        Assert.Equal(before, history.Take(before.Count));
        Assert.Equal("ann", Assert.Single(history, e => e.Type == HistoryEventType.StepCompleted && e.StepId == "look").UserId);
        Assert.Equal(HistoryEventType.InstanceCompleted, history[^1].Type);
        await kit.Engine.StartAsync("archive.scalars", cancellationToken: Ct);
        Assert.Equal(2, kit.Store.InstanceCount);
        await Assert.ThrowsAsync<InvalidCommandException>(async () => await kit.Engine.CancelInstanceAsync(id, cancellationToken: Ct));
    }

    [Fact]
    public async Task The_cafe_scenario_ends_the_same_with_ended_instances_packed()
    {
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(CafeProcess.Definition, Ct);
        var id = await kit.Engine.StartAsync(CafeProcess.Definition.Id, new Dictionary<string, object?> { ["partySize"] = 2 }, "table-7", Ct);
        await kit.Engine.CancelInstanceAsync(id, "closed early", Ct);

        var snapshot = await kit.InstanceAsync(id);
        var history = await kit.HistoryAsync(id);

        Assert.Equal(InstanceState.Cancelled, snapshot.State);
        Assert.Equal("table-7", snapshot.BusinessKey);
        Assert.Equal("closed early", history[^1].Detail);
        Assert.Equal(HistoryEventType.InstanceCancelled, history[^1].Type);
    }

    /// <summary>A text of <paramref name="length"/> UTF-16 units or one more (a pair is never split) made of one-, two-, three- and four-byte UTF-8 letters.</summary>
    private static string Text(int length, int seed)
    {
        var text = new System.Text.StringBuilder();
        var random = new Random(seed);
        while (text.Length < length)
        {
            text.Append(Letters[random.Next(Letters.Length)]);
        }

        return text.ToString();
    }

    [Theory]
    [InlineData("€", 20)]
    [InlineData("€", 21)]
    [InlineData("😀", 10)]
    [InlineData("😀", 11)]
    [InlineData("a", 20)]
    [InlineData("a", 64)]
    [InlineData("ü", 200)]
    public async Task Texts_at_and_past_the_short_text_length_come_back_whole(string letter, int count)
    {
        var kit = new EngineTestKit();
        var text = string.Concat(Enumerable.Repeat(letter, count));
        var id = await kit.DeployAndStartAsync(Scalars(), new Dictionary<string, object?> { ["text"] = text });
        var ended = Ended(kit.Store.FindInstance(id)!);
        ended.EndOutcome = text;
        ended.Performers![1] = text;

        var back = PackAndRead(ended, 3);

        Assert.Equal(text, back.Slots[back.Model.FieldIndex["text"]]);
        Assert.Equal(text, back.EndOutcome);
        Assert.Equal(text, back.Performers![1]);
    }

    [Property(MaxTest = 60)]
    public async Task Any_texts_numbers_and_history_events_come_back_as_they_were_packed(byte[] lengths, int seed, long[] numbers)
    {
        var kit = new EngineTestKit();
        var random = new Random(seed);
        var id = await kit.DeployAndStartAsync(Scalars(), new Dictionary<string, object?> { ["text"] = Text(lengths.Length > 0 ? lengths[0] % 48 : 0, seed) });
        var record = Ended(kit.Store.FindInstance(id)!);
        record.EndOutcome = lengths.Length > 1 ? Text(lengths[1] % 48, seed + 1) : null;
        for (var i = 0; i < record.Performers!.Length; i++)
        {
            record.Performers[i] = i < lengths.Length && lengths[i] % 3 != 0 ? Text(lengths[i] % 48, seed + i) : null;
        }

        var ticks = record.EndedTicks;
        foreach (var number in numbers)
        {
            // Events out of order in time too (a negative difference), with every field at its edges now and then.
            ticks += number % 1_000_000_007;
            ref var r = ref record.Append();
            r.UtcTicks = ticks;
            r.Node = (int)(number >> 3);
            r.StepInstance = (int)number;
            r.Role = (short)number;
            r.Type = (HistoryEventType)(byte)random.Next(0, 30);
            r.Path = (PathKind)(byte)random.Next(0, 3);
            if (number % 2 == 0)
            {
                record.AddNote(ref r, new HistoryNote(Text((int)(number & 31), seed), number % 3 == 0 ? null : Text((int)((number >> 5) & 63), seed + 7), number, number % 4 == 0));
            }
        }

        var back = PackAndRead(record, long.MaxValue - (seed & 0xFF));

        Assert.Equal(record.Slots, back.Slots);
        Assert.Equal(record.EndOutcome, back.EndOutcome);
        Assert.Equal(record.Performers, back.Performers);
        Assert.Equal(record.History.Take(record.HistoryCount), back.History.Take(back.HistoryCount));
        Assert.Equal(record.HistoryCount, back.HistoryCount);
        Assert.Equal(record.Notes!.Take(record.NoteCount), back.Notes!.Take(back.NoteCount));
        Assert.Equal(record.NoteCount, back.NoteCount);
    }

    [Fact]
    public async Task A_waiting_instance_read_back_has_room_for_the_notes_of_its_next_command()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Scalars(), new Dictionary<string, object?> { ["text"] = "t" });
        var running = kit.Store.FindInstance(id)!.CopyForCommand();
        ref var r = ref running.Append();
        r.UtcTicks = running.StartedTicks;
        r.Type = HistoryEventType.TaskClaimed;
        running.AddNote(ref r, new HistoryNote("ann", null, 0, false));

        var back = PackAndRead(running, 2);
        var notes = back.Notes;
        ref var next = ref back.Append();
        back.AddNote(ref next, new HistoryNote("bob", null, 0, false));

        Assert.Same(notes, back.Notes);
        Assert.Equal(["ann", "bob"], back.Notes!.Take(back.NoteCount).Select(static n => n.User));
    }
}
