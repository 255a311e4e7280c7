using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using ProcessKit.AspNetCore.Contracts;
using ProcessKit.AspNetCore.Http;

namespace ProcessKit.AspNetCore.Tests;

/// <summary>
/// The exact bytes of every response body the endpoints send, written the way they write them (<see cref="JsonBody"/>):
/// a change to the serializer's set-up or to a converter must leave the wire format as it is.
/// </summary>
public sealed class JsonWireTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 9, 30, 15, TimeSpan.Zero);

    private static readonly FieldDto Amount = new("amount", "Number", true, "The sum, in <EUR> & \"cents\"", 0m, 1000.5m);

    [Fact]
    public async Task A_task_is_written_with_every_member_in_declaration_order()
    {
        var task = new TaskDto(7, 3, "test.expense", 2, "approve", "Approve it", "head", "Claimed", null, "ann", At, At.AddHours(4), false, ["approve", "reject"], [Amount], ["employee"]);

        Assert.Equal(
            """{"id":7,"instance":3,"processId":"test.expense","processVersion":2,"stepId":"approve","stepName":"Approve it","role":"head","state":"Claimed","assignedTo":null,"claimedBy":"ann","createdAt":"2026-11-28T09:30:15+00:00","dueAt":"2026-11-28T13:30:15+00:00","overdue":false,"outcomes":["approve","reject"],"fields":[{"name":"amount","type":"Number","required":true,"description":"The sum, in \u003CEUR\u003E \u0026 \u0022cents\u0022","minimum":0,"maximum":1000.5}],"reads":["employee"]}""",
            await WireAsync(task, ProcessKitJsonContext.Default.TaskDto));
    }

    [Fact]
    public async Task A_task_page_is_written_with_its_items_and_clock_reading()
    {
        var task = new TaskDto(1, 1, "p", 1, "s", "S", "r", "Offered", "bo", null, At, null, true, [], [], []);
        var page = new TaskPageDto([task], 2, 1, 5, true, At);

        Assert.Equal(
            """{"items":[{"id":1,"instance":1,"processId":"p","processVersion":1,"stepId":"s","stepName":"S","role":"r","state":"Offered","assignedTo":"bo","claimedBy":null,"createdAt":"2026-11-28T09:30:15+00:00","dueAt":null,"overdue":true,"outcomes":[],"fields":[],"reads":[]}],"page":2,"pageSize":1,"total":5,"hasMore":true,"asOf":"2026-11-28T09:30:15+00:00"}""",
            await WireAsync(page, ProcessKitJsonContext.Default.TaskPageDto));
    }

    [Fact]
    public async Task Instance_data_of_every_kind_is_written_by_field_name_in_ordinal_order()
    {
        using var document = JsonDocument.Parse("""{ "o": { "b": 1.50, "a": "\u00e9x" }, "l": [1, "two", null], "s": "<s>", "n": 1e3, "t": true, "z": null }""");
        var root = document.RootElement;
        var data = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["text"] = "Café <b> & 'q' \"d\" \u2028",
            ["flag"] = true,
            ["amount"] = 42.50m,
            ["count"] = 7,
            ["big"] = 9_007_199_254_740_993L,
            ["ratio"] = 0.1,
            ["at"] = At.ToOffset(TimeSpan.FromHours(2)),
            ["local"] = new DateTime(2026, 1, 2, 3, 4, 5, 600, DateTimeKind.Utc),
            ["wait"] = TimeSpan.FromMinutes(90) + TimeSpan.FromTicks(5),
            ["elementObject"] = root.GetProperty("o"),
            ["elementArray"] = root.GetProperty("l"),
            ["elementString"] = root.GetProperty("s"),
            ["elementNumber"] = root.GetProperty("n"),
            ["elementBool"] = root.GetProperty("t"),
            ["elementNull"] = root.GetProperty("z"),
            ["node"] = new JsonObject { ["k"] = 1, ["j"] = new JsonArray(1, "x") },
            ["map"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["z"] = 1, ["a"] = new[] { "x", "y" }, ["m"] = null },
            ["list"] = new List<object?> { 1, "two", null, 2.5m, new Dictionary<string, object?> { ["b"] = false, ["B"] = true } },
            ["single"] = 1.25f,
            ["small"] = (short)3,
            ["id"] = new Guid("6f9619ff-8b86-d011-b42d-00c04fc964ff"),
            ["pair"] = new Dictionary<string, int> { ["x"] = 1 },
            ["other"] = new Uri("https://example.org/a b"),
            ["nothing"] = null,
            ["Ärger"] = "umlaut key",
            ["Zebra"] = "upper case sorts first",
        };

        Assert.Equal(
            """{"Zebra":"upper case sorts first","amount":42.50,"at":"2026-11-28T11:30:15+02:00","big":9007199254740993,"count":7,"elementArray":[1,"two",null],"elementBool":true,"elementNull":null,"elementNumber":1e3,"elementObject":{"b":1.50,"a":"\u00E9x"},"elementString":"\u003Cs\u003E","flag":true,"id":"6f9619ff-8b86-d011-b42d-00c04fc964ff","list":[1,"two",null,2.5,{"B":true,"b":false}],"local":"2026-01-02T03:04:05.6Z","map":{"a":["x","y"],"m":null,"z":1},"node":{"k":1,"j":[1,"x"]},"nothing":null,"other":"https://example.org/a b","pair":["[x, 1]"],"ratio":0.1,"single":"1.25","small":"3","text":"Caf\u00E9 \u003Cb\u003E \u0026 \u0027q\u0027 \u0022d\u0022 \u2028","wait":"PT1H30M0.0000005S","\u00C4rger":"umlaut key"}""",
            await WireAsync(Instance(data), ProcessKitJsonContext.Default.InstanceDto, "data"));
    }

    [Fact]
    public async Task An_instance_is_written_with_every_member_in_declaration_order()
    {
        var instance = Instance(new Dictionary<string, object?> { ["employee"] = "eve" });

        Assert.Equal(
            """{"id":3,"processId":"test.expense","processVersion":1,"version":4,"state":"Completed","businessKey":"EXP-1","endOutcome":"paid","startedAt":"2026-11-28T09:30:15+00:00","endedAt":"2026-11-28T10:30:15+00:00","activeSteps":["a","b"],"data":{"employee":"eve"}}""",
            await WireAsync(instance, ProcessKitJsonContext.Default.InstanceDto));
    }

    [Fact]
    public async Task An_instance_without_data_has_an_empty_object()
    {
        var instance = Instance(new Dictionary<string, object?>());

        Assert.EndsWith("""
            "activeSteps":["a","b"],"data":{}}
            """, await WireAsync(instance, ProcessKitJsonContext.Default.InstanceDto), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_instance_list_is_written_with_its_continuation()
    {
        var list = new InstanceListDto([new InstanceSummaryDto(1, "p", 1, "Running", null, At, null)], 1);

        Assert.Equal(
            """{"items":[{"id":1,"processId":"p","processVersion":1,"state":"Running","businessKey":null,"startedAt":"2026-11-28T09:30:15+00:00","endedAt":null}],"continueAfter":1}""",
            await WireAsync(list, ProcessKitJsonContext.Default.InstanceListDto));
    }

    [Fact]
    public async Task History_events_are_written_in_order()
    {
        HistoryEventDto[] events = [new(1, "InstanceStarted", At, null, 0, "ann", null, 0m, null, null), new(2, "TaskCompleted", At.AddSeconds(1.5), "approve", 1, "bo", "head", 12.345m, 3m, "approve")];

        Assert.Equal(
            """[{"sequence":1,"type":"InstanceStarted","time":"2026-11-28T09:30:15+00:00","stepId":null,"stepInstance":0,"userId":"ann","roleId":null,"cost":0,"value":null,"detail":null},{"sequence":2,"type":"TaskCompleted","time":"2026-11-28T09:30:16.5+00:00","stepId":"approve","stepInstance":1,"userId":"bo","roleId":"head","cost":12.345,"value":3,"detail":"approve"}]""",
            await WireAsync(events, ProcessKitJsonContext.Default.HistoryEventDtoArray));
    }

    [Fact]
    public async Task Characteristics_write_durations_as_iso_8601()
    {
        var characteristics = new CharacteristicsDto(
            3, "p", 1, "Running", At, null, null, At.AddDays(1), null, TimeSpan.FromDays(1.5), TimeSpan.Zero, -TimeSpan.FromSeconds(1.25), TimeSpan.FromMilliseconds(1),
            10.5m, null, true, false, true, false,
            [new StepFiguresDto("s", 2, TimeSpan.FromHours(25), TimeSpan.FromTicks(1), TimeSpan.MaxValue, 1m)],
            [new BreachDto("d", "s", 1, "r", At), new BreachDto(null, null, 0, null, At)],
            [new PathEntryDto("s", 1, At, "ok"), new PathEntryDto("t", 2, At, null)]);

        Assert.Equal(
            """{"instance":3,"processId":"p","processVersion":1,"state":"Running","startedAt":"2026-11-28T09:30:15+00:00","endedAt":null,"endOutcome":null,"asOf":"2026-11-29T09:30:15+00:00","cycleTime":null,"workTime":"P1DT12H","waitTime":"PT0S","eventWaitTime":"-PT1.25S","timeToFirstReaction":"PT0.001S","cost":10.5,"satisfaction":null,"stayedOnHappyPath":true,"tookAlternatePath":false,"tookExceptionPath":true,"tookReworkPath":false,"steps":[{"stepId":"s","runs":2,"workTime":"P1DT1H","waitTime":"PT0.0000001S","eventWaitTime":"P10675199DT2H48M5.4775807S","cost":1}],"breaches":[{"deadline":"d","stepId":"s","stepInstance":1,"roleId":"r","time":"2026-11-28T09:30:15+00:00"},{"deadline":null,"stepId":null,"stepInstance":0,"roleId":null,"time":"2026-11-28T09:30:15+00:00"}],"path":[{"stepId":"s","stepInstance":1,"enteredAt":"2026-11-28T09:30:15+00:00","outcome":"ok"},{"stepId":"t","stepInstance":2,"enteredAt":"2026-11-28T09:30:15+00:00","outcome":null}]}""",
            await WireAsync(characteristics, ProcessKitJsonContext.Default.CharacteristicsDto));
    }

    [Fact]
    public async Task A_report_writes_its_counts_steps_and_optional_durations()
    {
        var step = new StepSummaryDto("s", "S", null, 2, 3, TimeSpan.FromMinutes(3), TimeSpan.Zero, TimeSpan.MinValue, TimeSpan.FromSeconds(61), TimeSpan.FromDays(-2), TimeSpan.FromHours(1), 2m, 0.6667m);
        var report = new ReportDto(
            "p", "P", 1, 4, 1, 2, 1, 0, 0.5, TimeSpan.FromHours(2), null, TimeSpan.FromMinutes(150), null, 3, 12m, 4m, null, 0, 1, 1, 0.25,
            [new CountDto("approve", 2)], [], [new CountDto("soon", 1)], [step], []);

        Assert.Equal(
            """{"processId":"p","processName":"P","processVersion":1,"instances":4,"running":1,"completed":2,"cancelled":1,"failed":0,"completionRate":0.5,"cycleTimeMean":"PT2H","cycleTimeMedian":null,"cycleTime90thPercentile":"PT2H30M","meanTimeToFirstReaction":null,"reactedInstances":3,"totalCost":12,"meanCost":4,"meanSatisfaction":null,"ratedInstances":0,"breaches":1,"breachedInstances":1,"breachRate":0.25,"outcomes":[{"name":"approve","count":2}],"breachesByRole":[],"breachesByDeadline":[{"name":"soon","count":1}],"steps":[{"stepId":"s","stepName":"S","roleId":null,"instances":2,"runs":3,"totalWorkTime":"PT3M","totalWaitTime":"PT0S","totalEventWaitTime":"-P10675199DT2H48M5.4775808S","meanWorkTime":"PT1M1S","meanWaitTime":"-P2D","meanEventWaitTime":"PT1H","totalCost":2,"meanCost":0.6667}],"longestWaits":[]}""",
            await WireAsync(report, ProcessKitJsonContext.Default.ReportDto));
    }

    [Fact]
    public async Task Processes_and_a_process_version_are_written_with_their_roles_inputs_and_steps()
    {
        ProcessSummaryDto[] summaries = [new("p", "P", null, "HR", 2, [1, 2])];
        var definition = new ProcessDefinitionDto("p", 2, "P", "Does p", null, "Pay", "head", [new RoleDto("head", "Head", null)], [Amount], [new StepDto("s", "S", "HumanTask", "head", null)], [1, 2]);

        Assert.Equal(
            """[{"id":"p","name":"P","description":null,"category":"HR","newestVersion":2,"versions":[1,2]}]""",
            await WireAsync(summaries, ProcessKitJsonContext.Default.ProcessSummaryDtoArray));
        Assert.Equal(
            """{"id":"p","version":2,"name":"P","description":"Does p","category":null,"goal":"Pay","ownerRole":"head","roles":[{"id":"head","name":"Head","description":null}],"inputs":[{"name":"amount","type":"Number","required":true,"description":"The sum, in \u003CEUR\u003E \u0026 \u0022cents\u0022","minimum":0,"maximum":1000.5}],"steps":[{"id":"s","name":"S","kind":"HumanTask","role":"head","description":null}],"versions":[1,2]}""",
            await WireAsync(definition, ProcessKitJsonContext.Default.ProcessDefinitionDto));
    }

    [Fact]
    public async Task A_message_result_is_written_as_its_outcome()
    {
        Assert.Equal("""{"outcome":"Delivered"}""", await WireAsync(new MessageResultDto("Delivered"), ProcessKitJsonContext.Default.MessageResultDto));
    }

    [Fact]
    public void The_serializer_options_carry_no_converter_so_the_generated_fast_path_writes_the_task_and_instance_responses()
    {
        var context = ProcessKitJsonContext.Default;

        Assert.Empty(context.Options.Converters);
        var slow = new (string Name, bool Fast)[]
        {
            (nameof(TaskDto), context.TaskDto.SerializeHandler is not null),
            (nameof(TaskPageDto), context.TaskPageDto.SerializeHandler is not null),
            (nameof(InstanceDto), context.InstanceDto.SerializeHandler is not null),
            (nameof(InstanceListDto), context.InstanceListDto.SerializeHandler is not null),
            (nameof(HistoryEventDto), context.HistoryEventDtoArray.SerializeHandler is not null),
            (nameof(CharacteristicsDto), context.CharacteristicsDto.SerializeHandler is not null),
            (nameof(ReportDto), context.ReportDto.SerializeHandler is not null),
            (nameof(ProcessDefinitionDto), context.ProcessDefinitionDto.SerializeHandler is not null),
            (nameof(ProcessSummaryDto), context.ProcessSummaryDtoArray.SerializeHandler is not null),
            (nameof(MessageResultDto), context.MessageResultDto.SerializeHandler is not null),
        }.Where(static t => !t.Fast).Select(static t => t.Name);

        // A member with a converter of its own keeps its type on the metadata path: only the two with durations.
        Assert.Equal([nameof(CharacteristicsDto), nameof(ReportDto)], slow);
    }

    [Fact]
    public void Instance_data_read_back_is_written_again_as_it_was_read()
    {
        const string Json = """{"amount":42.5,"list":[1,{"b":null}],"name":"eve"}""";

        var data = JsonSerializer.Deserialize(Json, ProcessKitJsonContext.Default.InstanceDto.Options.GetTypeInfo(typeof(InstanceData)) as JsonTypeInfo<InstanceData>
            ?? throw new InvalidOperationException("no type info"));

        Assert.Equal(Json, JsonSerializer.Serialize(data, ProcessKitJsonContext.Default.Options));
    }

    private static InstanceDto Instance(IReadOnlyDictionary<string, object?> data) =>
        new(3, "test.expense", 1, 4, "Completed", "EXP-1", "paid", At, At.AddHours(1), ["a", "b"], DataJson.ToObject(data));

    /// <summary>The body <see cref="JsonBody"/> sends for <paramref name="value"/>; with <paramref name="member"/>, that member's value alone.</summary>
    private static async Task<string> WireAsync<T>(T value, JsonTypeInfo<T> info, string? member = null)
    {
        var http = new DefaultHttpContext();
        using var body = new MemoryStream();
        http.Response.Body = body;
        await JsonBody.Of(value, info).ExecuteAsync(http);
        var text = Encoding.UTF8.GetString(body.ToArray());
        if (member is null)
        {
            return text;
        }

        using var document = JsonDocument.Parse(text);
        var start = text.IndexOf($"\"{member}\":", StringComparison.Ordinal) + member.Length + 3;
        return text[start..^1];
    }
}
