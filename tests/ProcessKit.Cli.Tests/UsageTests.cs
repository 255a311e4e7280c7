using System.Text.RegularExpressions;

namespace ProcessKit.Cli.Tests;

public sealed partial class UsageTests
{
    private static readonly StubLoader Stub = new();

    [Fact]
    public void No_arguments_is_a_usage_error_on_stderr()
    {
        var result = CliRunner.Run(Stub);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal("processkit: error: no command given", result.StderrLines[0]);
        Assert.Contains("Usage:", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public void Help_prints_every_command_and_the_exit_codes(string flag)
    {
        var result = CliRunner.Run(Stub, flag);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        Assert.Contains("processkit validate FILE...", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("processkit diagram FILE", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("processkit schema", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Exit codes:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("130", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate", "Usage: processkit validate")]
    [InlineData("diagram", "Usage: processkit diagram")]
    [InlineData("schema", "Usage: processkit schema")]
    public void Command_help_prints_that_commands_usage(string command, string expected)
    {
        var viaFlag = CliRunner.Run(Stub, command, "--help");
        var viaHelp = CliRunner.Run(Stub, "help", command);

        Assert.Equal(0, viaFlag.ExitCode);
        Assert.StartsWith(expected, viaFlag.Stdout, StringComparison.Ordinal);
        Assert.Equal(viaFlag.Stdout, viaHelp.Stdout);
    }

    [Fact]
    public void Version_prints_the_tool_version()
    {
        var result = CliRunner.Run(Stub, "--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(VersionPattern(), result.Stdout);
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, "processkit: error: unknown command 'frobnicate'")]
    [InlineData(new[] { "--frob" }, "processkit: error: unknown option '--frob'")]
    [InlineData(new[] { "validate" }, "processkit: error: no FILE given")]
    [InlineData(new[] { "validate", "--frob", "a.json" }, "processkit: error: unknown option '--frob' for 'validate'")]
    [InlineData(new[] { "validate", "-x", "a.json" }, "processkit: error: unknown option '-x' for 'validate'")]
    [InlineData(new[] { "validate", "a.json", "--max-bytes" }, "processkit: error: option '--max-bytes' needs a value")]
    [InlineData(new[] { "validate", "a.json", "--max-bytes", "lots" }, "processkit: error: --max-bytes needs a whole number from 1 to 1073741824, got 'lots'")]
    [InlineData(new[] { "validate", "a.json", "--max-bytes=0" }, "processkit: error: --max-bytes needs a whole number from 1 to 1073741824, got '0'")]
    [InlineData(new[] { "validate", "a.json", "--quiet=yes" }, "processkit: error: option '--quiet' takes no value")]
    [InlineData(new[] { "validate", "a.json", "-q", "--quiet" }, "processkit: error: option '--quiet' is given more than once")]
    [InlineData(new[] { "diagram" }, "processkit: error: no FILE given")]
    [InlineData(new[] { "diagram", "a.json", "b.json" }, "processkit: error: diagram takes exactly one FILE")]
    [InlineData(new[] { "diagram", "a.json", "--format", "png" }, "processkit: error: unknown format 'png'; allowed: mermaid, svg")]
    [InlineData(new[] { "diagram", "a.json", "--format", "svg", "--direction", "TD" }, "processkit: error: option '--direction' applies to the mermaid format only (svg is drawn left to right)")]
    [InlineData(new[] { "diagram", "a.json", "--direction", "up" }, "processkit: error: unknown direction 'up'; allowed: LR, TD, RL, BT")]
    [InlineData(new[] { "diagram", "a.json", "-o", "" }, "processkit: error: option '--output' needs a file name")]
    [InlineData(new[] { "schema", "extra" }, "processkit: error: schema takes no argument, got 'extra'")]
    public void Usage_errors_exit_2_with_one_error_line_and_the_usage(string[] args, string expected)
    {
        var stub = new StubLoader();

        var result = CliRunner.Run(stub, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal(expected, result.StderrLines[0]);
        Assert.Contains("Usage:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--help' for more.", result.StderrLines[^1], StringComparison.Ordinal);
        Assert.Equal(0, stub.Calls);
    }

    [Fact]
    public void Double_dash_ends_options_so_a_file_may_start_with_a_dash()
    {
        var result = CliRunner.Run(Stub, "validate", "--", "--help");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("--help: error: file not found", result.StdoutLines[0]);
    }

    [Fact]
    public void A_cancelled_run_exits_130()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        var result = CliRunner.Run(Stub, cancelled.Token, "validate", "a.json");

        Assert.Equal(130, result.ExitCode);
        Assert.Equal("processkit: cancelled", result.StderrLines.Single());
    }

    [GeneratedRegex(@"^processkit \d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\n$")]
    private static partial Regex VersionPattern();
}
