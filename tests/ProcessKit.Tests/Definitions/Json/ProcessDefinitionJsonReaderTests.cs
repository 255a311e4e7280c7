using System.Text;
using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;

namespace ProcessKit.Tests.Definitions.Json;

public sealed class ProcessDefinitionJsonReaderTests
{
    private const string Roles = "\"roles\": [{ \"id\": \"clerk\", \"name\": \"Clerk\" }]";

    [Fact]
    public void Read_maps_every_property_of_the_format()
    {
        var definition = ProcessDefinitionJson.Read(JsonSamples.EveryProperty);

        Assert.Equal(JsonSamples.EveryPropertyDefinition, definition);
    }

    [Fact]
    public void Read_maps_every_step_kind_to_its_model_type()
    {
        var definition = ProcessDefinitionJson.Read(JsonSamples.EveryProperty);

        var kinds = definition.Steps.Select(static s => s.Kind).Distinct().Order().ToArray();
        Assert.Equal(Enum.GetValues<StepKind>().Order().ToArray(), kinds);
        Assert.All(definition.Steps, static s => Assert.Equal(s.Kind + "Step", s.GetType().Name));
    }

    [Fact]
    public void Omitted_properties_take_the_model_defaults()
    {
        const string json = $$"""
            {
              "id": "p", "name": "P", {{Roles}},
              "steps": [
                { "id": "t", "name": "T", "kind": "HumanTask", "role": "clerk", "next": [{ "to": "a" }] },
                { "id": "a", "name": "A", "kind": "Automated", "handler": "h", "retry": {}, "next": [{ "to": "w" }] },
                { "id": "w", "name": "W", "kind": "WaitMessage", "message": "m", "timeout": { "after": { "after": "PT1H" }, "to": "e" }, "next": [{ "to": "e" }] },
                { "id": "e", "name": "E", "kind": "End" }
              ]
            }
            """;

        var definition = ProcessDefinitionJson.Read(json);

        Assert.Equal(1, definition.Version);
        Assert.Equal(ProcessKind.Core, definition.Kind);
        Assert.Null(definition.StartStep);
        Assert.Equal("t", definition.GetStartStepId());
        Assert.True(definition.Suppliers.IsEmpty);
        Assert.Equal(0m, definition.Roles[0].HourlyCost);
        var task = Assert.IsType<HumanTaskStep>(definition.Steps[0]);
        Assert.Equal(new Allocation(), task.Allocation);
        Assert.Null(task.MultiInstance);
        Assert.Equal(PathKind.Happy, task.Flows[0].Path);
        Assert.False(task.Flows[0].IsDefault);
        var automated = Assert.IsType<AutomatedStep>(definition.Steps[1]);
        Assert.Equal(new RetryPolicy(), automated.Retry);
        Assert.False(automated.Asynchronous);
        var wait = Assert.IsType<WaitMessageStep>(definition.Steps[2]);
        Assert.Equal(PathKind.Exception, wait.Timeout!.Path);
        var end = Assert.IsType<EndStep>(definition.Steps[3]);
        Assert.False(end.Terminate);
        Assert.Null(end.Outcome);
    }

    [Fact]
    public void Default_values_written_out_are_accepted()
    {
        const string json = $$"""
            {
              "id": "p", "version": 1, "name": "P", "kind": "Core", {{Roles}}, "suppliers": [], "deadlines": [], "triggers": [],
              "steps": [
                {
                  "id": "t", "name": "T", "kind": "HumanTask", "role": "clerk", "outcomes": [], "escalations": [],
                  "allocation": { "strategy": "OfferToRole", "separateFrom": [] },
                  "next": [{ "to": "e", "default": false, "path": "Happy" }]
                },
                { "id": "e", "name": "E", "kind": "End", "terminate": false, "next": [] }
              ]
            }
            """;
        var expected = new ProcessDefinition("p", "P")
        {
            Roles = [new RoleDefinition("clerk", "Clerk")],
            Steps = [new HumanTaskStep("t", "T") { Role = "clerk", Flows = [new FlowDefinition("e")] }, new EndStep("e", "E")],
        };

        Assert.Equal(expected, ProcessDefinitionJson.Read(json));
    }

    [Theory]
    [InlineData("PT15M", 0, 15, 0)]
    [InlineData("PT1H30M", 1, 30, 0)]
    [InlineData("P2D", 48, 0, 0)]
    [InlineData("PT0.5S", 0, 0, 0.5)]
    [InlineData("P1DT2H3M4S", 26, 3, 4)]
    public void Durations_are_ISO_8601(string text, int hours, int minutes, double seconds)
    {
        var json = $$"""{ "id": "p", "name": "P", "steps": [{ "id": "t", "name": "T", "kind": "Timer", "wait": { "after": "{{text}}" }, "next": [{ "to": "e" }] }, { "id": "e", "name": "E", "kind": "End" }] }""";

        var timer = Assert.IsType<TimerStep>(ProcessDefinitionJson.Read(json).Steps[0]);

        Assert.Equal(TimeSpan.FromHours(hours) + TimeSpan.FromMinutes(minutes) + TimeSpan.FromSeconds(seconds), timer.Wait.After);
    }

    [Fact]
    public void Negative_and_zero_durations_pass_the_schema_for_the_validator_to_report()
    {
        var json = """{ "id": "p", "name": "P", "steps": [{ "id": "t", "name": "T", "kind": "Timer", "wait": { "after": "-PT5M" }, "workTime": "PT0S", "next": [{ "to": "e" }] }, { "id": "e", "name": "E", "kind": "End" }] }""";

        var result = ProcessDefinitionJson.Load(Encoding.UTF8.GetBytes(json));

        Assert.DoesNotContain(result.Problems, static p => p.Code == DefinitionProblemCodes.JsonSchema);
    }

    [Fact]
    public void Integers_written_with_a_fraction_part_of_zero_are_read()
    {
        var json = """{ "id": "p", "name": "P", "version": 2.0, "steps": [{ "id": "e", "name": "E", "kind": "End" }] }""";

        Assert.Equal(2, ProcessDefinitionJson.Read(json).Version);
    }

    [Fact]
    public void Read_throws_a_DefinitionException_listing_every_problem()
    {
        var json = """{ "id": "1p", "name": 5, "steps": [{ "id": "a", "name": "A", "kind": "HumanTask", "handler": "x" }] }""";

        var exception = Assert.Throws<DefinitionException>(() => ProcessDefinitionJson.Read(json));

        Assert.Equal(["/id", "/name", "/steps/0/handler"], exception.Problems.Select(static p => p.Path));
        Assert.All(exception.Problems, static p => Assert.Equal(DefinitionProblemCodes.JsonSchema, p.Code));
        Assert.All(exception.Problems, static p => Assert.NotNull(p.Line));
    }

    [Fact]
    public void Schema_errors_carry_readable_messages_and_hints()
    {
        var json = """{ "id": "p", "name": "P", "kind": "Big", "steps": [{ "id": "a", "name": "A", "kind": "HumanTask", "handler": "x" }, { "id": "b", "name": "B", "kind": "Automated" }] }""";

        var problems = ProcessDefinitionJson.Load(Encoding.UTF8.GetBytes(json)).Problems;

        var kind = Assert.Single(problems, static p => p.Path == "/kind");
        Assert.Equal("'Big' is not an allowed value for 'kind'.", kind.Message);
        Assert.Equal("Use one of: Core, Supporting, Management.", kind.Hint);
        var handler = Assert.Single(problems, static p => p.Path == "/steps/0/handler");
        Assert.Equal("'handler' is not a property of a HumanTask step.", handler.Message);
        Assert.Contains("outcomes", handler.Hint, StringComparison.Ordinal);
        Assert.DoesNotContain("handler", handler.Hint, StringComparison.Ordinal);
        var missing = Assert.Single(problems, static p => p.Path == "/steps/1");
        Assert.Equal("The required property 'handler' is missing.", missing.Message);
        Assert.Contains("registered", missing.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_reads_a_definition_from_a_stream()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(JsonSamples.EveryProperty));

        var definition = await ProcessDefinitionJson.ReadAsync(stream, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(JsonSamples.EveryPropertyDefinition, definition);
    }

    [Fact]
    public async Task ReadAsync_stops_reading_past_the_size_limit()
    {
        using var stream = new CountingStream(length: 10 * 1024 * 1024);
        var options = new DefinitionReaderOptions { MaxBytes = 1024 };

        var exception = await Assert.ThrowsAsync<DefinitionException>(() => ProcessDefinitionJson.ReadAsync(stream, options, TestContext.Current.CancellationToken));

        Assert.Equal(DefinitionProblemCodes.Limit, Assert.Single(exception.Problems).Code);
        Assert.Equal(1025, stream.BytesRead);
    }

    [Fact]
    public void Read_is_safe_to_call_from_many_threads()
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSamples.EveryProperty);

        var results = new ProcessDefinition[16];
        Parallel.For(0, results.Length, i => results[i] = ProcessDefinitionJson.Read(bytes));

        Assert.All(results, static d => Assert.Equal(JsonSamples.EveryPropertyDefinition, d));
    }

    /// <summary>A stream of spaces that counts what was read from it.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - BytesRead);
            buffer.AsSpan(offset, n).Fill((byte)' ');
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
