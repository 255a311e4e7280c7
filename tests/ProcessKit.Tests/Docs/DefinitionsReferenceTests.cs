using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;

namespace ProcessKit.Tests.Docs;

/// <summary>
/// The JSON examples of <c>docs/definitions.md</c> follow the schema: each example (a step, steps,
/// document properties or task properties) is placed in a small document and read; no schema or
/// syntax problem may come back. Semantic problems (for example flows to steps the example does
/// not show) are expected and ignored.
/// </summary>
public sealed partial class DefinitionsReferenceTests
{
    private static readonly HashSet<string> DocumentProperties =
        ["suppliers", "clients", "roles", "targets", "deadlines", "triggers", "start", "kind", "category", "goal", "ownerRole", "description"];

    private static readonly HashSet<string> TaskProperties =
        ["outcomes", "reads", "writes", "goalTime", "deadline", "escalations", "allocation", "multiInstance"];

    [Fact]
    public void Every_json_example_in_the_reference_follows_the_schema()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "definitions.md"));
        var checkedExamples = 0;

        foreach (Match block in JsonBlock().Matches(text))
        {
            var example = block.Groups[1].Value;
            if (Document(example) is not { } document)
            {
                continue; // an abridged example with "..." in it
            }

            var result = ProcessDefinitionJson.Load(Encoding.UTF8.GetBytes(document.ToJsonString()));
            var formatProblems = result.Problems
                .Where(static p => p.Code is DefinitionProblemCodes.JsonSchema or DefinitionProblemCodes.JsonSyntax)
                .ToList();
            Assert.True(formatProblems.Count == 0, $"Example:\n{example}\nProblems:\n{string.Join("\n", formatProblems)}");
            checkedExamples++;
        }

        Assert.True(checkedExamples >= 14, $"Only {checkedExamples} examples could be checked.");
    }

    private static JsonObject? Document(string example)
    {
        var node = Parse(example) ?? Parse("{" + example + "}") ?? Parse("[" + example + "]");
        var document = new JsonObject { ["id"] = "doc", ["name"] = "Doc" };
        var task = new JsonObject { ["id"] = "task", ["name"] = "Task", ["kind"] = "HumanTask", ["role"] = "clerk" };
        switch (node)
        {
            case JsonObject { Count: > 0 } o when o.ContainsKey("steps"):
                return o;
            case JsonObject o when o.ContainsKey("kind") && o.ContainsKey("id"):
                document["steps"] = new JsonArray(o.DeepClone());
                return document;
            case JsonArray a when a.All(static s => s is JsonObject step && step.ContainsKey("kind")):
                document["steps"] = a.DeepClone();
                return document;
            case JsonObject o when o.All(static p => DocumentProperties.Contains(p.Key)):
                foreach (var (name, value) in o)
                {
                    document[name] = value?.DeepClone();
                }

                document["steps"] ??= new JsonArray(new JsonObject { ["id"] = "done", ["name"] = "Done", ["kind"] = "End" });
                return document;
            case JsonObject o when o.All(static p => TaskProperties.Contains(p.Key)):
                foreach (var (name, value) in o)
                {
                    task[name] = value?.DeepClone();
                }

                document["steps"] = new JsonArray(task);
                return document;
            default:
                return null;
        }
    }

    private static JsonNode? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
