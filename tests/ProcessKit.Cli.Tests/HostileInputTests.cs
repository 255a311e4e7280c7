using System.Text.RegularExpressions;
using ProcessKit.Tests.Shared;

namespace ProcessKit.Cli.Tests;

/// <summary>
/// Every case of the shared hostile-input corpus (<see cref="HostileInputs"/>) through
/// <c>processkit validate FILE</c>, with the real reader: exit code 1, no stack trace, and the
/// case's problem printed as <c>FILE:LINE:COL: error: POINTER: message (hint)</c>. Each run returns
/// (a 50 MB file, a 10,000-deep nesting, ...); there is no timing assert.
/// </summary>
public sealed partial class HostileInputTests
{
    public static TheoryData<string> Cases => [.. HostileInputs.All.Select(static c => c.Name)];

    [Fact]
    public void At_least_30_hostile_inputs_go_through_the_tool()
    {
        Assert.True(HostileInputs.All.Count >= 30, $"only {HostileInputs.All.Count} cases");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_reports_a_hostile_file_as_its_problem_and_exits_1(string name)
    {
        var input = HostileInputs.Get(name);
        using var folder = new TempFolder();
        var file = folder.File("input.json", input.Create());

        var result = CliRunner.Run("validate", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stderr);
        AssertNoStackTrace(result);
        Assert.StartsWith("1 file, 1 invalid, ", result.StdoutLines[^1], StringComparison.Ordinal);
        AssertReported(input, file, result.StdoutLines[..^1]);
    }

    [Fact]
    public void Validate_of_every_hostile_file_at_once_reports_each_and_sums_up()
    {
        using var folder = new TempFolder();
        var files = HostileInputs.All.Select((input, i) => (Input: input, File: folder.File($"case{i:D2}.json", input.Create()))).ToList();

        var result = CliRunner.Run(["validate", .. files.Select(static f => f.File)]);

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stderr);
        AssertNoStackTrace(result);
        Assert.StartsWith($"{files.Count} files, {files.Count} invalid, ", result.StdoutLines[^1], StringComparison.Ordinal);
        foreach (var (input, file) in files)
        {
            AssertReported(input, file, result.StdoutLines.Where(line => line.StartsWith(file + ":", StringComparison.Ordinal)).ToArray());
        }
    }

    /// <summary>
    /// Every line of <paramref name="file"/> is in the documented form, and one is the case's
    /// error: its pointer (<c>/</c> for the whole document) and a message holding the fragment.
    /// </summary>
    private static void AssertReported(HostileInput input, string file, string[] lines)
    {
        Assert.NotEmpty(lines);
        var problems = lines.Select(line => Parse(file, line)).ToList();
        var pointer = input.Pointer.Length == 0 ? "/" : input.Pointer;
        Assert.Contains(
            problems,
            p => p.Severity == "error"
                && p.Pointer == pointer
                && p.Message.Contains(input.MessageFragment, StringComparison.OrdinalIgnoreCase)
                && p.Hint.Length > 0);
    }

    /// <summary>Splits <c>FILE:LINE:COL: SEVERITY: POINTER: message (hint)</c>; fails when the line is not in that form.</summary>
    private static PrintedProblem Parse(string file, string line)
    {
        Assert.StartsWith(file + ":", line, StringComparison.Ordinal);
        var match = ProblemLine().Match(line[(file.Length + 1)..]);
        Assert.True(match.Success, $"not in the documented form: {line}");
        Assert.True(int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 1, line);
        Assert.True(int.Parse(match.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 1, line);
        var (message, hint) = SplitHint(match.Groups["text"].Value);
        return new PrintedProblem(match.Groups["severity"].Value, match.Groups["pointer"].Value, message, hint);
    }

    /// <summary>The hint is the last parenthesised group at the end of the line.</summary>
    private static (string Message, string Hint) SplitHint(string text)
    {
        if (!text.EndsWith(')'))
        {
            return (text, string.Empty);
        }

        var depth = 0;
        for (var i = text.Length - 1; i > 0; i--)
        {
            depth += text[i] switch { ')' => 1, '(' => -1, _ => 0 };
            if (depth == 0 && text[i - 1] == ' ')
            {
                return (text[..(i - 1)], text[(i + 1)..^1]);
            }
        }

        return (text, string.Empty);
    }

    private static void AssertNoStackTrace(CliResult result)
    {
        var output = result.Stdout + result.Stderr;
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotMatch(StackFrame(), output);
    }

    private readonly record struct PrintedProblem(string Severity, string Pointer, string Message, string Hint);

    [GeneratedRegex(@"^(?<line>\d+):(?<column>\d+): (?<severity>error|warning): (?<pointer>/.*?): (?<text>.+)$")]
    private static partial Regex ProblemLine();

    [GeneratedRegex(@"\bat [A-Z][\w.`]*\.[\w<>`]+\(")]
    private static partial Regex StackFrame();
}
