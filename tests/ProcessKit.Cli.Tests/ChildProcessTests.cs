using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ProcessKit.Cli.Tests;

/// <summary>Runs the built tool as a real child process (<c>dotnet ProcessKit.Cli.dll ...</c>) to prove exit codes and output end to end.</summary>
public sealed partial class ChildProcessTests
{
    [Fact]
    public async Task Built_tool_reports_exit_codes_and_lines_end_to_end()
    {
        using var folder = new TempFolder();
        var missing = Path.Combine(folder.Path, "missing.json");
        var empty = folder.File("empty.json", string.Empty);
        var sample = Path.Combine(AppContext.BaseDirectory, "definitions", "cafe.json");

        var help = await RunToolAsync("--help");
        var usage = await RunToolAsync("frobnicate");
        var validate = await RunToolAsync("validate", missing, empty);
        var valid = await RunToolAsync("validate", sample);
        var schema = await RunToolAsync("schema");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Exit codes:", help.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, usage.ExitCode);
        Assert.StartsWith("processkit: error: unknown command 'frobnicate'", usage.Stderr, StringComparison.Ordinal);
        Assert.Empty(usage.Stdout);
        Assert.Equal(1, validate.ExitCode);
        Assert.Equal($"{missing}: error: file not found", validate.StdoutLines[0]);
        Assert.StartsWith($"{empty}:1:1: error: /: The document is empty. (", validate.StdoutLines[1], StringComparison.Ordinal);
        Assert.Equal("2 files, 2 invalid, 2 errors, 0 warnings", validate.StdoutLines[^1]);
        Assert.Equal(3, validate.StdoutLines.Length);
        Assert.Empty(validate.Stderr);
        Assert.Equal(0, valid.ExitCode);
        Assert.Matches(ValidSampleLine(), valid.StdoutLines[0]);
        Assert.Equal("1 file, 0 invalid, 0 errors, 0 warnings", valid.StdoutLines[^1]);
        Assert.Equal(0, schema.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schema", "processkit.schema.json")), schema.Stdout);
    }

    [Fact]
    public async Task Built_tool_runs_a_sample_script_and_reports_a_failed_expectation_end_to_end()
    {
        using var folder = new TempFolder();
        var sample = Path.Combine(AppContext.BaseDirectory, "definitions", "cafe.json");
        var script = Path.Combine(AppContext.BaseDirectory, "scripts", "cafe-happy-path.json");
        var failing = folder.File("failing.json", """{ "start": { "data": { "partySize": 2 } }, "steps": [ { "expect": { "state": "Completed" } } ] }""");

        var passed = await RunToolAsync("run", sample, "--script", script);
        var failed = await RunToolAsync("run", sample, "-s", failing);

        Assert.Equal(0, passed.ExitCode);
        Assert.Empty(passed.Stderr);
        Assert.Contains("\"endOutcome\": \"GuestServed\"", passed.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, failed.ExitCode);
        Assert.Equal([$"{failing}: failed: /steps/0/expect/state: expected the instance to be Completed, but it is Running"], failed.StderrLines);
        Assert.Contains("\"passed\": false", failed.Stdout, StringComparison.Ordinal);
    }

    private static async Task<CliResult> RunToolAsync(params string[] args)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "ProcessKit.Cli.dll");
        Assert.True(File.Exists(tool), $"The built tool is not beside the tests: {tool}");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(tool);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root)
        {
            var candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return "dotnet";
    }

    [GeneratedRegex(@"cafe\.json: valid \([1-9][0-9]* steps\)$")]
    private static partial Regex ValidSampleLine();
}
