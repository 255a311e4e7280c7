using System.Text;
using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;

namespace ProcessKit.Tests.Definitions.Json;

public sealed class PositionTests
{
    private static DefinitionProblem OnlyProblem(string json) => Assert.Single(ProcessDefinitionJson.Load(Encoding.UTF8.GetBytes(json)).Problems);

    [Fact]
    public void A_property_that_is_not_allowed_is_reported_at_its_name()
    {
        var json = "{\n  \"id\": \"p\",\n  \"name\": \"P\",\n  \"steps\": [\n    { \"id\": \"e\", \"name\": \"E\", \"kind\": \"End\", \"handler\": \"x\" }\n  ]\n}";

        var problem = OnlyProblem(json);

        Assert.Equal("/steps/0/handler", problem.Path);
        Assert.Equal((5, 46), (problem.Line, problem.Column));
    }

    [Fact]
    public void Columns_count_characters_not_bytes()
    {
        var json = "{ \"name\": \"Café 🍽\", \"id\": \"p\", \"colour\": 1, \"steps\": [{ \"id\": \"e\", \"name\": \"E\", \"kind\": \"End\" }] }";
        var before = json[..json.IndexOf("\"colour\"", StringComparison.Ordinal)];

        var problem = OnlyProblem(json);

        Assert.Equal("/colour", problem.Path);
        Assert.Equal(1, problem.Line);
        Assert.Equal(before.EnumerateRunes().Count() + 1, problem.Column);
        Assert.NotEqual(Encoding.UTF8.GetByteCount(before) + 1, problem.Column);
    }

    [Fact]
    public void A_missing_required_property_is_reported_at_its_object()
    {
        var json = "{\n  \"id\": \"p\",\n  \"name\": \"P\",\n  \"steps\": [\n    { \"id\": \"e\", \"name\": \"E\", \"kind\": \"End\" },\n    { \"id\": \"a\", \"name\": \"A\", \"kind\": \"Automated\" }\n  ]\n}";

        var problem = OnlyProblem(json);

        Assert.Equal("/steps/1", problem.Path);
        Assert.Equal((6, 5), (problem.Line, problem.Column));
    }

    [Fact]
    public void A_syntax_error_is_reported_where_the_parser_stopped()
    {
        var json = "{\n  \"id\": \"p\"\n  \"name\": \"P\"\n}";

        var problem = OnlyProblem(json);

        Assert.Equal(DefinitionProblemCodes.JsonSyntax, problem.Code);
        Assert.Equal((3, 3), (problem.Line, problem.Column));
    }

    [Fact]
    public void Invalid_UTF8_is_reported_at_the_first_bad_byte()
    {
        byte[] bytes = [.. "{\n  \"id\": \"é"u8, 0xFF, .. "\"\n}"u8];

        var problem = Assert.Single(ProcessDefinitionJson.Load(bytes).Problems);

        Assert.Equal((2, 11), (problem.Line, problem.Column));
        Assert.Contains("0xFF", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_key_is_reported_at_its_second_occurrence()
    {
        var json = "{\n  \"id\": \"p\",\n  \"id\": \"q\"\n}";

        var problem = OnlyProblem(json);

        Assert.Equal("/id", problem.Path);
        Assert.Equal((3, 3), (problem.Line, problem.Column));
    }

    [Fact]
    public void A_pointer_without_a_token_takes_the_position_of_its_nearest_ancestor()
    {
        var json = "{\n  \"steps\": [\n    { \"id\": \"t\", \"kind\": \"HumanTask\" }\n  ]\n}"u8;

        var positions = JsonTextScanner.MapPositions(json, 32);

        Assert.Equal((3, 5), positions.Locate("/steps/0/allocation/assignee"));
        Assert.Equal((3, 18), positions.Locate("/steps/0/kind"));
        Assert.Equal((2, 3), positions.Locate("/steps/7"));
        Assert.Equal((1, 1), positions.Locate("/nothing"));
    }

    [Fact]
    public void Pointers_escape_slashes_and_tildes_in_property_names()
    {
        var json = "{ \"a/b\": { \"c~d\": 1 } }"u8;

        var positions = JsonTextScanner.MapPositions(json, 32);

        Assert.Equal((1, 12), positions.Locate("/a~1b/c~0d"));
    }

    [Fact]
    public void Schema_problems_are_listed_in_document_order()
    {
        var json = """{ "steps": [{ "id": "1", "name": "A", "kind": "End" }], "name": 5, "id": "?" }""";

        var paths = ProcessDefinitionJson.Load(Encoding.UTF8.GetBytes(json)).Problems.Select(static p => p.Path);

        Assert.Equal(["/steps/0/id", "/name", "/id"], paths);
    }
}
