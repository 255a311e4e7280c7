using System.Text;
using System.Text.RegularExpressions;

namespace ProcessKit.Cli.Tests;

/// <summary>
/// Hostile files through the real reader: each gives error lines in the documented form and exit
/// 1, never a stack trace. (Before the JSON reader lands, the placeholder reader returns an invalid
/// result without problems, which the tool reports as one error line too.)
/// </summary>
public sealed partial class HostileInputTests
{
    public static TheoryData<string, byte[]> Inputs() => new()
    {
        { "empty", [] },
        { "whitespace", "  \n\t  "u8.ToArray() },
        { "invalid-utf8", [0x7B, 0x22, 0x69, 0x64, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x7D] },
        { "binary", [0x00, 0x01, 0x02, 0x7F, 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00] },
        { "utf16-bom", [0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00] },
        { "deep-arrays", Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)) },
        { "deep-objects", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000)) },
        { "unclosed", "{\"id\": \"p\", \"steps\": ["u8.ToArray() },
        { "not-an-object", "[1, 2, 3]"u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Hostile_file_gives_error_lines_and_exit_1(string name, byte[] content)
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, name + ".json");
        File.WriteAllBytes(file, content);

        var result = CliRunner.Run("validate", "--quiet", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stderr);
        Assert.NotEmpty(result.StdoutLines);
        Assert.All(result.StdoutLines, line => Assert.Matches(ProblemLine(), line));
        Assert.All(result.StdoutLines, line => Assert.StartsWith(file + ":", line, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_50_MB_file_gives_one_line_through_the_real_reader()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "huge.json");
        using (var stream = File.Create(file))
        {
            stream.SetLength(50L * 1024 * 1024);
        }

        var result = CliRunner.Run("validate", "--quiet", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(FileLine(), result.StdoutLines.Single());
    }

    [GeneratedRegex(@"^.+:\d+:\d+: error: /\S*: .+$")]
    private static partial Regex ProblemLine();

    [GeneratedRegex(@"^.+: error: .+$")]
    private static partial Regex FileLine();
}
