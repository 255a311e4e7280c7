using System.Text.RegularExpressions;

namespace ProcessKit.Cli.Tests;

/// <summary>
/// Tests that need the real JSON reader (<c>ProcessDefinitionJson.Load</c>): they fail until the
/// JSON work is merged, while the reader is a placeholder.
/// </summary>
public sealed partial class AfterMergeJsonReaderTests
{
    private const string ValidDocument = """
        {
          "id": "minimal",
          "name": "Minimal",
          "roles": [ { "id": "clerk", "name": "Clerk" } ],
          "steps": [
            { "id": "review", "name": "Review", "kind": "HumanTask", "role": "clerk", "next": [ { "to": "done" } ] },
            { "id": "done", "name": "Done", "kind": "End" }
          ]
        }
        """;

    private const string DanglingFlow = """
        {
          "id": "dangling",
          "name": "Dangling",
          "roles": [ { "id": "clerk", "name": "Clerk" } ],
          "steps": [
            { "id": "review", "name": "Review", "kind": "HumanTask", "role": "clerk", "next": [ { "to": "nowhere" } ] },
            { "id": "done", "name": "Done", "kind": "End" }
          ]
        }
        """;

    [Fact]
    public void NeedsJsonReader_validate_of_a_valid_document_exits_0()
    {
        using var folder = new TempFolder();
        var file = folder.File("minimal.json", ValidDocument);

        var result = CliRunner.Run("validate", file);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("1 file, 0 invalid, 0 errors, ", result.StdoutLines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void NeedsJsonReader_validate_points_at_the_line_of_a_bad_flow()
    {
        using var folder = new TempFolder();
        var file = folder.File("dangling.json", DanglingFlow);

        var result = CliRunner.Run("validate", "--quiet", file);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StdoutLines, static l => l.Contains("/steps/0/next/0/to", StringComparison.Ordinal));
        Assert.Matches(DanglingLine(), line);
    }

    [Fact]
    public void NeedsJsonReader_diagram_draws_a_valid_document()
    {
        using var folder = new TempFolder();
        var file = folder.File("minimal.json", ValidDocument);

        var result = CliRunner.Run("diagram", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("subgraph lane_clerk[\"Clerk\"]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("s_review --> s_done", result.Stdout, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^.+dangling\.json:6:\d+: error: /steps/0/next/0/to: .+$")]
    private static partial Regex DanglingLine();
}
