using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;

namespace ProcessKit.Cli.Tests;

/// <summary>What one in-process run of the tool gave.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => Lines(Stdout);

    public string[] StderrLines => Lines(Stderr);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => l.TrimEnd('\r')).ToArray();
}

/// <summary>Runs the tool in-process, with the real JSON reader or a stub.</summary>
internal static class CliRunner
{
    /// <summary>Runs with the real reader (<see cref="ProcessDefinitionJson.Load"/>).</summary>
    public static CliResult Run(params string[] args) => Run(ProcessDefinitionJson.Load, args);

    /// <summary>Runs with <paramref name="loader"/>.</summary>
    public static CliResult Run(DefinitionLoader loader, params string[] args) =>
        Run(loader, TestContext.Current.CancellationToken, args);

    public static CliResult Run(DefinitionLoader loader, CancellationToken cancellationToken, params string[] args)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        // The synchronous commands complete at once; blocking here keeps the many existing tests simple.
        var code = new CliApp(loader).ExecuteAsync(args, stdout, stderr, cancellationToken).GetAwaiter().GetResult();
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs with the real reader, asynchronously (for <c>run</c>).</summary>
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var code = await new CliApp(ProcessDefinitionJson.Load).ExecuteAsync(args, stdout, stderr, TestContext.Current.CancellationToken);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>A reader stub: the file's text (trimmed) picks the result.</summary>
internal sealed class StubLoader
{
    private readonly Dictionary<string, DefinitionLoadResult> _results = new(StringComparer.Ordinal);

    public int Calls { get; private set; }

    public StubLoader With(string content, DefinitionLoadResult result)
    {
        _results[content] = result;
        return this;
    }

    public DefinitionLoadResult Load(ReadOnlySpan<byte> utf8Json, DefinitionReaderOptions options)
    {
        Calls++;
        var text = System.Text.Encoding.UTF8.GetString(utf8Json).Trim();
        return _results.TryGetValue(text, out var result)
            ? result
            : new DefinitionLoadResult(null, [new DefinitionProblem(ProblemSeverity.Error, DefinitionProblemCodes.JsonSyntax, string.Empty, "stub: unknown content") { Line = 1, Column = 1 }]);
    }

    public static implicit operator DefinitionLoader(StubLoader stub) => stub.Load;
}

/// <summary>A temporary folder, deleted at the end of the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "processkit-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public string File(string name, byte[] content)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder does not fail a test.
        }
    }
}

/// <summary>Small definitions built with the model records.</summary>
internal static class Definitions
{
    public static ProcessDefinition Simple() => new("p", "Simple")
    {
        Roles = [new RoleDefinition("clerk", "Clerk")],
        Steps =
        [
            new HumanTaskStep("review", "Review") { Role = "clerk", Flows = [new FlowDefinition("done")] },
            new EndStep("done", "Done"),
        ],
    };

    public static DefinitionLoadResult Valid(params DefinitionProblem[] warnings) => new(Simple(), [.. warnings]);

    public static DefinitionLoadResult Invalid(params DefinitionProblem[] problems) => new(null, [.. problems]);

    public static DefinitionProblem Error(string path, string message, int? line = null, int? column = null, string? hint = null) =>
        new(ProblemSeverity.Error, DefinitionProblemCodes.UnknownStep, path, message) { Line = line, Column = column, Hint = hint };

    public static DefinitionProblem Warning(string path, string message, int? line = null, int? column = null) =>
        new(ProblemSeverity.Warning, DefinitionProblemCodes.AutomatedLoop, path, message) { Line = line, Column = column };
}
