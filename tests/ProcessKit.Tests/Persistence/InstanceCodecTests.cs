using System.Text;
using System.Text.Json;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.Tests.Execution;
using ProcessKit.Tests.Scenarios;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Persistence;

/// <summary>The state document durable stores keep per instance: what is written comes back the same, and what cannot be read is refused clearly.</summary>
public sealed class InstanceCodecTests
{
    private static readonly DateTimeOffset When = new(2026, 5, 4, 13, 30, 15, TimeSpan.FromHours(2));

    private static ProcessDefinition AllTypes()
    {
        var p = ProcessBuilder.Create("codec.types", "Every data type");
        p.Supplier("s", "S").Inputs(
            Field.String("text"),
            Field.Number("number"),
            Field.Boolean("flag"),
            Field.DateTime("when"),
            Field.Duration("span"),
            Field.Object("thing"),
            Field.List("items"));
        var role = p.Role("clerk", "Clerk");
        var task = p.HumanTask("look", "Look", role);
        task.Then(p.End("done", "Done"));
        return p.Build();
    }

    private static InstanceRecord Stored(EngineTestKit kit, InstanceId id) => kit.Store.FindInstance(id)!;

    private static InstanceRecord RoundTrip(InstanceRecord record)
    {
        var header = new InstanceHeader(record.Id, record.Version, record.State, record.BusinessKey, record.StartedTicks, record.EndedTicks, record.HistoryCount);
        return InstanceCodec.Read(InstanceCodec.Write(record), header, record.Model);
    }

    private static void AssertSameState(InstanceRecord expected, InstanceRecord actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.State, actual.State);
        Assert.Equal(expected.BusinessKey, actual.BusinessKey);
        Assert.Equal(expected.StartedTicks, actual.StartedTicks);
        Assert.Equal(expected.EndedTicks, actual.EndedTicks);
        Assert.Equal(expected.EndOutcome, actual.EndOutcome);
        Assert.Equal(expected.StepCounter, actual.StepCounter);
        Assert.Equal(expected.Tokens.Take(expected.TokenCount), actual.Tokens.Take(actual.TokenCount));
        Assert.Equal(expected.Joins, actual.Joins);
        Assert.Equal(expected.Spans, actual.Spans);
        Assert.Equal(expected.Performers, actual.Performers);
        Assert.Equal(expected.Parent, actual.Parent);
        Assert.Equal(expected.HistoryCount, actual.HistoryBase);
        Assert.Equal(expected.Slots.Length, actual.Slots.Length);
        for (var i = 0; i < expected.Slots.Length; i++)
        {
            Assert.Equal(Canonical(expected.Slots[i]), Canonical(actual.Slots[i]));
        }
    }

    /// <summary>A value as JSON text, so that a list and the JSON array it became compare equal.</summary>
    private static string Canonical(object? value)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            InstanceCodec.WriteValue(json, value, "test");
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task Every_data_type_comes_back_in_the_form_the_engine_keeps()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(AllTypes(), new Dictionary<string, object?>
        {
            ["text"] = "grüße \"quoted\"",
            ["number"] = 12345.6789m,
            ["flag"] = true,
            ["when"] = When,
            ["span"] = TimeSpan.FromMinutes(95),
            ["thing"] = new Dictionary<string, object?> { ["a"] = 1, ["b"] = new List<object?> { "x", null, false } },
            ["items"] = new List<object?> { 1.5m, "two", new Dictionary<string, object?> { ["three"] = 3 } },
        });
        var stored = Stored(kit, id);

        var back = RoundTrip(stored);

        AssertSameState(stored, back);
        var model = stored.Model;
        Assert.Equal("grüße \"quoted\"", back.Slots[model.FieldIndex["text"]]);
        Assert.Equal(12345.6789m, back.Slots[model.FieldIndex["number"]]);
        Assert.Equal(true, back.Slots[model.FieldIndex["flag"]]);
        Assert.Equal(When, back.Slots[model.FieldIndex["when"]]);
        Assert.Equal(TimeSpan.FromMinutes(95), back.Slots[model.FieldIndex["span"]]);
        Assert.Equal(JsonValueKind.Object, Assert.IsType<JsonElement>(back.Slots[model.FieldIndex["thing"]]).ValueKind);
        Assert.Equal(JsonValueKind.Array, Assert.IsType<JsonElement>(back.Slots[model.FieldIndex["items"]]).ValueKind);
    }

    [Fact]
    public async Task Unset_fields_stay_unset()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(AllTypes(), new Dictionary<string, object?> { ["number"] = 1 });
        var back = RoundTrip(Stored(kit, id));
        Assert.Single(back.Slots, static s => s is not null);
    }

    [Fact]
    public async Task Cafe_instances_round_trip_at_every_wait_with_tokens_joins_spans_and_performers()
    {
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(CafeProcess.Definition, Ct);
        var id = await kit.Engine.StartAsync(CafeProcess.Definition.Id, new Dictionary<string, object?> { ["partySize"] = 2 }, "table-7", Ct);
        AssertSameState(Stored(kit, id), RoundTrip(Stored(kit, id)));

        kit.Time.Advance(TimeSpan.FromMinutes(2));
        await kit.CompleteAsync(id, "greetGuest", data: new Dictionary<string, object?> { ["table"] = 7 });
        var order = await kit.OpenTaskAsync(id, "takeOrder");
        var waiter = User("wendy", order.Role);
        await kit.Engine.CompleteTaskAsync(order.TaskId, waiter, "ordered", new Dictionary<string, object?> { ["dishes"] = new List<string> { "soup", "steak" }, ["drinks"] = new List<string> { "tea" } }, Ct);

        var record = Stored(kit, id);
        Assert.True(record.TokenCount > 1, "the cafe waits at several steps once the order is taken");
        Assert.NotNull(record.Performers);
        Assert.NotNull(record.Spans);
        AssertSameState(record, RoundTrip(record));
    }

    [Fact]
    public async Task Sales_office_instances_round_trip_while_waiting_and_after_ending()
    {
        var kit = new EngineTestKit(static o =>
        {
            foreach (var handler in new[] { "sales.registerLead", "sales.convertLeadToDeal", "sales.createDeal", "sales.assignDispatcher" })
            {
                o.AddHandler(handler, static _ => { });
            }
        });
        await kit.Engine.DeployAsync(SalesOfficeProcess.Definition, Ct);
        var starts = SalesOfficeProcess.Definition.Suppliers.SelectMany(static s => s.Inputs).Where(static f => f.Required)
            .ToDictionary(static f => f.Name, static f => SampleValue(f.Type));
        var id = await kit.Engine.StartAsync(SalesOfficeProcess.Definition.Id, starts, "lead-1", Ct);
        AssertSameState(Stored(kit, id), RoundTrip(Stored(kit, id)));

        await kit.Engine.CancelInstanceAsync(id, "test", Ct);
        var ended = Stored(kit, id);
        Assert.True(ended.IsEnded);
        AssertSameState(ended, RoundTrip(ended));
    }

    [Fact]
    public async Task A_document_of_a_newer_format_is_refused_with_a_store_error()
    {
        var (record, header) = await SampleAsync();
        var newer = Encoding.UTF8.GetBytes("{\"v\":99,\"data\":{},\"steps\":0}");

        var error = Assert.Throws<ProcessStoreException>(() => InstanceCodec.Read(newer, header, record.Model));

        Assert.Equal(ProcessErrorCodes.StoreFormatUnsupported, error.ErrorCode);
        Assert.Contains("99", error.Message, StringComparison.Ordinal);
        Assert.Contains("Upgrade", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"v\":1}")]
    [InlineData("{\"v\":1,\"data\":{\"nosuchfield\":1},\"steps\":0}")]
    [InlineData("{\"v\":1,\"data\":{\"number\":\"text\"},\"steps\":0}")]
    [InlineData("{\"v\":1,\"data\":{},\"steps\":0,\"tokens\":[[1]]}")]
    public async Task A_damaged_document_is_refused_with_a_store_error_naming_the_instance(string document)
    {
        var (record, header) = await SampleAsync();

        var error = Assert.Throws<ProcessStoreException>(() => InstanceCodec.Read(Encoding.UTF8.GetBytes(document), header, record.Model));

        Assert.Equal(ProcessErrorCodes.StoreFormatUnsupported, error.ErrorCode);
        Assert.Contains(record.Id.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_of_a_type_the_engine_never_keeps_is_refused_naming_the_field()
    {
        var (record, _) = await SampleAsync();
        record.Slots[record.Model.FieldIndex["thing"]] = new Uri("https://example.org");

        var error = Assert.Throws<InvalidOperationException>(() => InstanceCodec.Write(record));

        Assert.Contains("'thing'", error.Message, StringComparison.Ordinal);
    }

    private static async Task<(InstanceRecord Record, InstanceHeader Header)> SampleAsync()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(AllTypes(), new Dictionary<string, object?> { ["number"] = 1 });
        var record = Stored(kit, id);
        return (record, new InstanceHeader(record.Id, record.Version, record.State, null, record.StartedTicks, 0, record.HistoryCount));
    }

    private static object? SampleValue(DataType type) => type switch
    {
        DataType.Number => 3m,
        DataType.Boolean => true,
        DataType.DateTime => When,
        DataType.Duration => TimeSpan.FromHours(1),
        DataType.Object => new Dictionary<string, object?> { ["k"] = "v" },
        DataType.List => new List<object?> { "a" },
        _ => "sample",
    };
}
