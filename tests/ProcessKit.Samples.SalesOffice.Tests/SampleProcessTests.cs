using ProcessKit.Processes;

namespace ProcessKit.Samples.SalesOffice.Tests;

/// <summary>
/// The sample started as a separate process, as a user starts it: <c>dotnet SalesOffice.dll ...</c> from
/// this project's output folder, in a temporary working directory.
/// </summary>
public sealed class SampleProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<(int ExitCode, string Output, string Error)> SalesOfficeAsync(string workingDirectory, params string[] args) =>
        // A generous bound against a hung child on a loaded machine, not a timing assertion.
        ChildProcess.RunToEndAsync(
            "the sales-office app", Path.Combine(AppContext.BaseDirectory, "SalesOffice.dll"), workingDirectory, args, input: null, TimeSpan.FromMinutes(5), Ct);

    [Fact]
    public async Task Run_plays_the_day_prints_the_report_and_the_database_path_then_report_and_diagram_read_that_database()
    {
        using var folder = new TempFolder();

        var run = await SalesOfficeAsync(folder.Path, "run");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Error}");
        var database = folder.File("sales-office.db");
        Assert.True(File.Exists(database));
        Assert.Contains("Data: " + database, run.Output, StringComparison.Ordinal);
        Assert.Contains("time to first reaction", run.Output, StringComparison.Ordinal);
        Assert.Contains("leads became deals", run.Output, StringComparison.Ordinal);
        Assert.Contains("deadline breaches by role", run.Output, StringComparison.Ordinal);

        var report = await SalesOfficeAsync(folder.Path, "report");
        Assert.True(report.ExitCode == 0, $"exit {report.ExitCode}: {report.Error}");
        // The stored history gives the same figures as the day's own report.
        var figures = run.Output[(run.Output.IndexOf("\nleads ", StringComparison.Ordinal) + 1)..run.Output.IndexOf("Data: ", StringComparison.Ordinal)];
        Assert.Contains(figures, report.Output, StringComparison.Ordinal);

        var diagram = await SalesOfficeAsync(folder.Path, "diagram", "--instance", "1");
        Assert.True(diagram.ExitCode == 0, $"exit {diagram.ExitCode}: {diagram.Error}");
        Assert.Contains("flowchart", diagram.Output, StringComparison.Ordinal);
        Assert.Contains("%% instance 1: Completed", diagram.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Running_twice_starts_the_day_over_and_gives_the_same_report()
    {
        using var folder = new TempFolder();

        var first = await SalesOfficeAsync(folder.Path, "run", "--db", "day.db");
        var second = await SalesOfficeAsync(folder.Path, "run", "--db", "day.db");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(first.Output, second.Output);
    }

    [Fact]
    public async Task Help_prints_the_commands_and_exits_zero()
    {
        using var folder = new TempFolder();

        var help = await SalesOfficeAsync(folder.Path, "--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("run ", help.Output, StringComparison.Ordinal);
        Assert.Contains("play", help.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dance")]
    [InlineData("run", "--speed", "2")]
    public async Task An_unknown_command_or_option_is_one_line_on_standard_error_and_exit_code_2(params string[] args)
    {
        using var folder = new TempFolder();

        var result = await SalesOfficeAsync(folder.Path, args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("sales-office: error: unknown ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public async Task Report_without_a_database_says_to_run_first_and_creates_nothing()
    {
        using var folder = new TempFolder();

        var result = await SalesOfficeAsync(folder.Path, "report");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("run `run` first", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }
}
