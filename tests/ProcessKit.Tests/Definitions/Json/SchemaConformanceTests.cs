using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;
using ProcessKit.Tests.Generators;
using ProcessKit.Tests.Shared;

namespace ProcessKit.Tests.Definitions.Json;

/// <summary>The fast schema check must never accept what the general JSON Schema evaluator refuses.</summary>
public sealed class SchemaConformanceTests
{
    private static readonly JsonNode?[] Replacements =
    [
        null, true, 0, -1, 1.5, 1e30, 2147483648, "", " ", "PT5Q", "-PT5M", "P1M", "1abc", "HumanTask", "End", "Expression",
        new JsonArray(), new JsonObject(), new JsonObject { ["after"] = "PT1H", ["at"] = "x" }, new JsonArray("a", 1),
    ];

    [Property(Arbitrary = [typeof(DefinitionArbitraries)], MaxTest = 300)]
    public void The_fast_check_agrees_with_the_evaluator_on_mutated_documents(ProcessDefinition definition, int seed)
    {
        var node = JsonNode.Parse(ProcessDefinitionJson.Write(definition))!;
        Mutate(node, new Random(seed));
        using var document = JsonDocument.Parse(node.ToJsonString());

        var fast = DefinitionSchema.ConformsByFastCheck(document.RootElement);
        var full = DefinitionSchema.IsValidByEvaluator(document.RootElement);

        // The fast check may refuse more (the evaluator then decides), never accept more.
        Assert.False(fast && !full, node.ToJsonString());
    }

    [Property(Arbitrary = [typeof(DefinitionArbitraries)])]
    public void The_fast_check_accepts_every_valid_written_definition(ProcessDefinition definition)
    {
        using var document = JsonDocument.Parse(ProcessDefinitionJson.Write(definition));

        Assert.True(DefinitionSchema.ConformsByFastCheck(document.RootElement));
    }

    [Fact]
    public void The_fast_check_agrees_with_the_evaluator_on_the_hostile_inputs()
    {
        foreach (var input in HostileInputs.All)
        {
            var bytes = input.Create();
            if (bytes.Length > 1_000_000 || JsonTextScanner.CheckText(bytes) is not null || JsonTextScanner.CheckStructure(bytes, 32) is not null)
            {
                continue;
            }

            using var document = JsonDocument.Parse(bytes);
            Assert.Equal(DefinitionSchema.IsValidByEvaluator(document.RootElement), DefinitionSchema.ConformsByFastCheck(document.RootElement));
        }
    }

    private static void Mutate(JsonNode root, Random random)
    {
        var containers = new List<JsonNode>();
        Collect(root, containers);
        var target = containers[random.Next(containers.Count)];
        switch (target)
        {
            case JsonObject obj when obj.Count > 0 && random.Next(3) == 0:
                obj.Remove(obj.ElementAt(random.Next(obj.Count)).Key);
                break;
            case JsonObject obj when random.Next(2) == 0:
                obj[random.Next(2) == 0 ? "$type" : "handler"] = JsonValue.Create("x");
                break;
            case JsonObject obj when obj.Count > 0:
                obj[obj.ElementAt(random.Next(obj.Count)).Key] = Replacements[random.Next(Replacements.Length)]?.DeepClone();
                break;
            case JsonArray array when array.Count > 0:
                array[random.Next(array.Count)] = Replacements[random.Next(Replacements.Length)]?.DeepClone();
                break;
            case JsonArray array:
                array.Add(Replacements[random.Next(Replacements.Length)]?.DeepClone());
                break;
        }
    }

    private static void Collect(JsonNode node, List<JsonNode> containers)
    {
        switch (node)
        {
            case JsonObject obj:
                containers.Add(obj);
                foreach (var property in obj)
                {
                    if (property.Value is { } child)
                    {
                        Collect(child, containers);
                    }
                }

                break;
            case JsonArray array:
                containers.Add(array);
                foreach (var item in array)
                {
                    if (item is { } child)
                    {
                        Collect(child, containers);
                    }
                }

                break;
        }
    }
}
