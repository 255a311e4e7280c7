using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ProcessKit.Cli.Tests;

/// <summary>Every JSON example of docs/run-scripts.md is a valid script or a valid action.</summary>
public sealed partial class RunScriptDocsTests
{
    public static TheoryData<int, string> Examples()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "run-scripts.md"));
        var data = new TheoryData<int, string>();
        var i = 0;
        foreach (Match match in JsonBlock().Matches(text))
        {
            data.Add(i++, match.Groups[1].Value);
        }

        return data;
    }

    [Fact]
    public void The_reference_shows_an_example_of_every_action()
    {
        var examples = Examples().Select(static row => row.Data.Item2).ToList();

        foreach (var action in new[] { "complete", "claim", "release", "delegate", "publish", "advance", "cancel", "expect" })
        {
            Assert.Contains(examples, e => e.TrimStart().StartsWith("{ \"" + action + "\"", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Each_example_reads_as_a_script_or_as_one_action(int index, string json)
    {
        using var document = JsonDocument.Parse(json);
        var script = document.RootElement.TryGetProperty("steps", out _) ? json : "{ \"steps\": [ " + json + " ] }";

        var read = RunScriptReader.Read(Encoding.UTF8.GetBytes(script));

        Assert.True(read.Actions.Count > 0 || json.Contains("\"steps\": []", StringComparison.Ordinal), $"example {index} lost its actions");
    }

    [GeneratedRegex("```json\\n(.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
