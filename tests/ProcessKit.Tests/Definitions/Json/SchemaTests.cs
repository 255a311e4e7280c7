using System.Text;
using System.Text.Json;
using ProcessKit.Definitions.Json;

namespace ProcessKit.Tests.Definitions.Json;

public sealed class SchemaTests
{
    [Fact]
    public void The_schema_is_draft_2020_12_with_the_published_id()
    {
        using var schema = JsonDocument.Parse(ProcessDefinitionJson.SchemaText);

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.RootElement.GetProperty("$schema").GetString());
        Assert.Equal("https://processkit.dev/schemas/processkit.schema.json", schema.RootElement.GetProperty("$id").GetString());
        Assert.Equal(ProcessDefinitionJson.SchemaId, schema.RootElement.GetProperty("$id").GetString());
    }

    [Fact]
    public void The_embedded_schema_is_the_one_in_the_repository()
    {
        var file = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schemas", "processkit.schema.json"));

        Assert.Equal(file, ProcessDefinitionJson.SchemaText);
    }

    [Fact]
    public void Every_object_schema_refuses_unknown_properties()
    {
        using var schema = JsonDocument.Parse(ProcessDefinitionJson.SchemaText);
        var open = new List<string>();

        Walk(schema.RootElement, "#", open);

        // The two kind discriminators hand over to one closed schema per kind.
        Assert.Equal(["#/$defs/step", "#/$defs/trigger"], open);
    }

    [Fact]
    public void Every_property_has_a_description_for_editors()
    {
        using var schema = JsonDocument.Parse(ProcessDefinitionJson.SchemaText);
        var defs = schema.RootElement.GetProperty("$defs");
        var undocumented = new List<string>();

        foreach (var (owner, properties) in PropertyLists(schema.RootElement))
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (property.Name != "kind" && !HasDescription(property.Value, defs))
                {
                    undocumented.Add($"{owner}/{property.Name}");
                }
            }
        }

        Assert.Empty(undocumented);
    }

    [Fact]
    public void Ids_and_durations_have_patterns()
    {
        using var schema = JsonDocument.Parse(ProcessDefinitionJson.SchemaText);
        var defs = schema.RootElement.GetProperty("$defs");

        Assert.Equal("^[A-Za-z][A-Za-z0-9_-]*$", defs.GetProperty("id").GetProperty("pattern").GetString());
        Assert.Equal("^[A-Za-z][A-Za-z0-9_.-]*$", defs.GetProperty("processId").GetProperty("pattern").GetString());
        Assert.Equal("^[A-Za-z_][A-Za-z0-9_]*$", defs.GetProperty("fieldName").GetProperty("pattern").GetString());
        Assert.True(defs.GetProperty("duration").TryGetProperty("pattern", out _));
    }

    [Theory]
    [InlineData("PT15M", true)]
    [InlineData("P2D", true)]
    [InlineData("PT1H30M", true)]
    [InlineData("PT0.5S", true)]
    [InlineData("P1DT2H", true)]
    [InlineData("-PT5M", true)]
    [InlineData("PT0S", true)]
    [InlineData("P", false)]
    [InlineData("PT", false)]
    [InlineData("P1Y", false)]
    [InlineData("P1M", false)]
    [InlineData("PT1.5M", false)]
    [InlineData("15 minutes", false)]
    [InlineData("pt15m", false)]
    public void The_duration_pattern_takes_days_hours_minutes_and_seconds_only(string duration, bool allowed)
    {
        var json = $$"""{ "id": "p", "name": "P", "steps": [{ "id": "t", "name": "T", "kind": "Timer", "wait": { "after": "{{duration}}" } }] }""";

        var problems = ProcessDefinitionJson.Load(Encoding.UTF8.GetBytes(json)).Problems;

        Assert.Equal(allowed, !problems.Any(static p => p.Path == "/steps/0/wait/after" && p.Code == "json-schema"));
    }

    private static void Walk(JsonElement node, string path, List<string> open)
    {
        if (node.ValueKind == JsonValueKind.Object)
        {
            if (node.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "object" &&
                !(node.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False))
            {
                open.Add(path);
            }

            foreach (var property in node.EnumerateObject())
            {
                Walk(property.Value, $"{path}/{property.Name}", open);
            }
        }
        else if (node.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in node.EnumerateArray())
            {
                Walk(item, $"{path}/{i++}", open);
            }
        }
    }

    private static IEnumerable<(string Owner, JsonElement Properties)> PropertyLists(JsonElement root)
    {
        yield return ("#", root.GetProperty("properties"));
        foreach (var def in root.GetProperty("$defs").EnumerateObject())
        {
            if (def.Value.TryGetProperty("properties", out var properties) && def.Value.TryGetProperty("additionalProperties", out _))
            {
                yield return ($"#/$defs/{def.Name}", properties);
            }
        }
    }

    private static bool HasDescription(JsonElement node, JsonElement defs)
    {
        for (var i = 0; i < 4; i++)
        {
            if (node.TryGetProperty("description", out _))
            {
                return true;
            }

            if (!node.TryGetProperty("$ref", out var reference))
            {
                return false;
            }

            node = defs.GetProperty(reference.GetString()!["#/$defs/".Length..]);
        }

        return false;
    }
}
