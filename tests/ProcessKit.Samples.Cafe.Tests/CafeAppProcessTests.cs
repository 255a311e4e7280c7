using ProcessKit.Processes;

namespace ProcessKit.Samples.Cafe.Tests;

/// <summary>The built sample app started as a child process (<c>dotnet Cafe.dll ...</c>) in a temporary working directory.</summary>
public sealed class CafeAppProcessTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("processkit-cafe-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on some systems: leave the temporary folder.
        }
    }

    [Fact]
    public async Task Simulate_exits_0_and_prints_the_report()
    {
        var run = await RunAsync(null, "simulate", "--guests", "12", "--seed", "5");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Empty(run.Stderr);
        Assert.Contains("The cafe, one evening: 12 guests, seed 5", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("cycle time, median", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Staff (utilization", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("late, took the free dessert", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_compare_cooks_prints_one_column_per_number_of_cooks()
    {
        var run = await RunAsync(null, "simulate", "--guests", "12", "--compare-cooks", "1,3");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains(run.StdoutLines, l => l.StartsWith("figure", StringComparison.Ordinal) && l.Contains("1 cook", StringComparison.Ordinal) && l.EndsWith("3 cooks", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Play_driven_through_standard_input_exits_0_and_keeps_its_state_in_cafe_db_in_the_working_directory()
    {
        var first = await RunAsync("role host\nstart partySize=3\ncomplete 1 table=2\n+10m\nquit\n", "play");
        var second = await RunAsync("role waiter\ninbox\nshow 1\n", "play");

        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("Started guest 1 (Serve a guest) at 18:00.", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("Clock: 2026-06-05 18:10 (+10m).", first.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_folder, "cafe.db")));
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Contains("Clock: 2026-06-05 18:10", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("Take the order", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("table = 2", second.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Play_takes_another_database_file_with_db()
    {
        var run = await RunAsync("quit\n", "play", "--db", "evening.db");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.True(File.Exists(Path.Combine(_folder, "evening.db")));
        Assert.False(File.Exists(Path.Combine(_folder, "cafe.db")));
    }

    [Fact]
    public async Task No_argument_prints_the_usage_and_an_unknown_command_is_one_line_and_exit_code_2()
    {
        var usage = await RunAsync(null);
        var unknown = await RunAsync(null, "bake");
        var badOption = await RunAsync(null, "simulate", "--cooks", "none");

        Assert.Equal(0, usage.ExitCode);
        Assert.Contains("Cafe simulate", usage.Stdout, StringComparison.Ordinal);
        Assert.Contains("Cafe play [--db PATH]", usage.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal(["cafe: error: unknown command 'bake'; commands: simulate, play (Cafe --help for usage)"], unknown.StderrLines);
        Assert.Empty(unknown.Stdout);
        Assert.Equal(2, badOption.ExitCode);
        Assert.Equal(["cafe: error: --cooks takes a whole number from 1 (got 'none') (Cafe --help for usage)"], badOption.StderrLines);
    }

    private sealed record Run(int ExitCode, string Stdout, string Stderr)
    {
        public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => l.TrimEnd('\r')).ToArray();

        public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => l.TrimEnd('\r')).ToArray();
    }

    private async Task<Run> RunAsync(string? stdin, params string[] args)
    {
        // A generous bound against a hung child on a loaded machine, not a timing assertion.
        var (exitCode, output, errors) = await ChildProcess.RunToEndAsync(
            "the cafe app", Path.Combine(AppContext.BaseDirectory, "Cafe.dll"), _folder, args, stdin, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        return new Run(exitCode, output, errors);
    }
}
