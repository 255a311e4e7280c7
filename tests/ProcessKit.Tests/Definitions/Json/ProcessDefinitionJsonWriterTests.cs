using System.Buffers;
using System.Text;
using System.Text.Json;
using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;

namespace ProcessKit.Tests.Definitions.Json;

public sealed class ProcessDefinitionJsonWriterTests
{
    private static readonly ProcessDefinition Minimal = new("p", "P")
    {
        Roles = [new RoleDefinition("clerk", "Clerk")],
        Steps = [new HumanTaskStep("t", "T") { Role = "clerk", Flows = [new FlowDefinition("e")] }, new EndStep("e", "E")],
    };

    [Fact]
    public void Write_leaves_out_values_equal_to_the_defaults()
    {
        var json = ProcessDefinitionJson.Write(Minimal);

        Assert.Equal(
            """
            {
              "$schema": "https://processkit.dev/schemas/processkit.schema.json",
              "id": "p",
              "version": 1,
              "name": "P",
              "roles": [
                {
                  "id": "clerk",
                  "name": "Clerk"
                }
              ],
              "steps": [
                {
                  "id": "t",
                  "name": "T",
                  "kind": "HumanTask",
                  "role": "clerk",
                  "next": [
                    {
                      "to": "e"
                    }
                  ]
                },
                {
                  "id": "e",
                  "name": "E",
                  "kind": "End"
                }
              ]
            }
            """,
            json);
    }

    [Fact]
    public void Write_without_indentation_gives_one_line()
    {
        var json = ProcessDefinitionJson.Write(Minimal, indented: false);

        Assert.DoesNotContain('\n', json);
        Assert.StartsWith("{\"$schema\":\"https://processkit.dev/schemas/processkit.schema.json\",\"id\":\"p\",\"version\":1,", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_keeps_expressions_and_names_readable()
    {
        var definition = JsonSamples.EveryPropertyDefinition with { Name = "Café «deal» & co" };

        var json = ProcessDefinitionJson.Write(definition);

        Assert.Contains("\"when\": \"amount > 100\"", json, StringComparison.Ordinal);
        Assert.Contains("\"name\": \"Café «deal» & co\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_maps_the_model_as_the_spec_says()
    {
        using var document = JsonDocument.Parse(ProcessDefinitionJson.Write(JsonSamples.EveryPropertyDefinition));
        var root = document.RootElement;

        Assert.Equal("Supporting", root.GetProperty("kind").GetString());
        Assert.Equal("review", root.GetProperty("start").GetString());
        var review = root.GetProperty("steps")[0];
        Assert.Equal("PT5M", review.GetProperty("workTime").GetString());
        Assert.Equal(2.5m, review.GetProperty("fixedCost").GetDecimal());
        Assert.Equal("PT15M", review.GetProperty("deadline").GetProperty("after").GetString());
        Assert.Equal("addHours(dueAt, 1)", review.GetProperty("escalations")[1].GetProperty("at").GetProperty("at").GetString());
        Assert.Equal("Expression", review.GetProperty("allocation").GetProperty("strategy").GetString());
        Assert.Equal("existing", review.GetProperty("next")[0].GetProperty("outcome").GetString());
        Assert.False(review.GetProperty("next")[1].TryGetProperty("path", out _));
        var decision = root.GetProperty("steps")[2];
        Assert.True(decision.GetProperty("next")[1].GetProperty("default").GetBoolean());
        var call = root.GetProperty("steps")[5];
        Assert.Equal("calls.outbound", call.GetProperty("process").GetString());
        Assert.Equal("P1D", root.GetProperty("triggers")[2].GetProperty("every").GetString());
        Assert.Equal("contact.received", root.GetProperty("triggers")[1].GetProperty("message").GetString());
        Assert.Equal("PT1H30M", root.GetProperty("steps")[11].GetProperty("wait").GetProperty("after").GetString());
    }

    [Fact]
    public void A_retry_policy_with_only_defaults_is_an_empty_object()
    {
        var definition = Minimal with
        {
            Steps = [new AutomatedStep("a", "A", "h") { Retry = new RetryPolicy(), Flows = [new FlowDefinition("e")] }, new EndStep("e", "E")],
        };

        var json = ProcessDefinitionJson.Write(definition, indented: false);

        Assert.Contains("\"retry\":{}", json, StringComparison.Ordinal);
        Assert.Equal(definition, ProcessDefinitionJson.Read(json));
    }

    [Fact]
    public void Write_refuses_lambdas_with_one_problem_each()
    {
        var definition = Minimal with
        {
            Steps =
            [
                new DecisionStep("d", "D")
                {
                    Flows =
                    [
                        new FlowDefinition("e") { When = ProcessExpression.FromLambda(static data => data.Count > 1) },
                        new FlowDefinition("e") { IsDefault = true },
                    ],
                },
                new TimerStep("t", "T", DueTime.AtExpression(ProcessExpression.FromLambda(static _ => DateTimeOffset.UnixEpoch))) { Flows = [new FlowDefinition("e")] },
                new EndStep("e", "E"),
            ],
        };

        var exception = Assert.Throws<DefinitionException>(() => ProcessDefinitionJson.Write(definition));

        Assert.Equal(["/steps/0/next/0/when", "/steps/1/wait/at"], exception.Problems.Select(static p => p.Path));
        Assert.All(exception.Problems, static p => Assert.Equal(DefinitionProblemCodes.LambdaNotExportable, p.Code));
        Assert.All(exception.Problems, static p => Assert.Contains("expression text", p.Hint, StringComparison.Ordinal));
        Assert.Contains("data.Count > 1", exception.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_and_the_buffer_writer_give_the_same_bytes_as_Write()
    {
        var expected = ProcessDefinitionJson.Write(JsonSamples.EveryPropertyDefinition);
        var buffer = new ArrayBufferWriter<byte>();
        using var stream = new MemoryStream();

        ProcessDefinitionJson.Write(JsonSamples.EveryPropertyDefinition, buffer);
        await ProcessDefinitionJson.WriteAsync(JsonSamples.EveryPropertyDefinition, stream, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(expected, Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Equal(expected, Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Write_refuses_a_backoff_multiplier_json_cannot_hold()
    {
        var definition = Minimal with
        {
            Steps = [new AutomatedStep("a", "A", "h") { Retry = new RetryPolicy { BackoffMultiplier = double.NaN }, Flows = [new FlowDefinition("e")] }, new EndStep("e", "E")],
        };

        var exception = Assert.Throws<DefinitionException>(() => ProcessDefinitionJson.Write(definition));

        Assert.Equal("/steps/0/retry/backoffMultiplier", Assert.Single(exception.Problems).Path);
    }

    [Fact]
    public void Write_checks_its_arguments()
    {
        Assert.Throws<ArgumentNullException>(() => ProcessDefinitionJson.Write(null!));
        Assert.Throws<ArgumentNullException>(() => ProcessDefinitionJson.Write(Minimal, (IBufferWriter<byte>)null!));
    }
}
