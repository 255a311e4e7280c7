using System.Globalization;
using System.Text;
using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;
using ProcessKit.Export;
using ProcessKit.Testing;
using ProcessKit.Testing.Simulation;

namespace ProcessKit.Cli;

/// <summary>
/// The <c>processkit</c> tool, runnable in-process: parses the arguments, runs one command and
/// returns the exit code (see <see cref="HelpText.Main"/>). Never throws and never prints a stack
/// trace: an unexpected failure is one line <c>processkit: error: ...</c> and exit code 1.
/// </summary>
internal sealed class CliApp
{
    /// <summary>Every file is valid; the command succeeded.</summary>
    public const int ExitOk = 0;

    /// <summary>A file is invalid or unreadable, an output could not be written, or an unexpected error.</summary>
    public const int ExitInvalid = 1;

    /// <summary>The command line is wrong.</summary>
    public const int ExitUsage = 2;

    /// <summary>Cancelled (Ctrl+C), as shells report SIGINT.</summary>
    public const int ExitCancelled = 130;

    /// <summary>The largest <c>--max-bytes</c> accepted: 1 GiB.</summary>
    public const int MaxBytesLimit = 1024 * 1024 * 1024;

    private static readonly CliOption Help = new("help", 'h');
    private static readonly CliOption MaxBytes = new("max-bytes", TakesValue: true);
    private static readonly CliOption[] ValidateOptions = [Help, MaxBytes, new("quiet", 'q')];
    private static readonly CliOption[] DiagramOptions =
    [
        Help,
        MaxBytes,
        new("format", 'f', TakesValue: true),
        new("output", 'o', TakesValue: true),
        new("direction", TakesValue: true),
        new("highlight", TakesValue: true, Repeatable: true),
    ];

    private static readonly CliOption[] SchemaOptions = [Help];
    private static readonly CliOption[] RunOptions = [Help, MaxBytes, new("script", 's', TakesValue: true), new("stub-handlers")];
    private static readonly CliOption[] SimulateOptions =
    [
        Help,
        MaxBytes,
        new("staff", TakesValue: true, Repeatable: true),
        new("arrivals", TakesValue: true),
        new("arrivals-file", TakesValue: true),
        new("count", 'n', TakesValue: true),
        new("seed", TakesValue: true),
        new("format", 'f', TakesValue: true),
        new("stub-handlers"),
    ];

    private readonly DefinitionLoader _loader;

    /// <summary>Creates the tool with the given definition reader.</summary>
    /// <param name="loader">Reads a document; the tool uses <see cref="ProcessDefinitionJson.Load"/>.</param>
    public CliApp(DefinitionLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        _loader = loader;
    }

    /// <summary>Whether standard error is a terminal: only then does <c>simulate</c> draw a progress bar on it. Default <see langword="false"/>.</summary>
    public bool StderrIsTerminal { get; init; }

    /// <summary>Runs the tool with the real JSON reader.</summary>
    /// <param name="args">The command-line arguments, without the tool name.</param>
    /// <param name="stdout">Where results go (diagram, schema, help, validation report).</param>
    /// <param name="stderr">Where usage errors, a diagram's problems and fatal errors go.</param>
    /// <param name="cancellationToken">Cancels between files and while reading (Ctrl+C).</param>
    /// <param name="stderrIsTerminal">Whether standard error is a terminal (see <see cref="StderrIsTerminal"/>).</param>
    /// <returns>The exit code.</returns>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken, bool stderrIsTerminal = false) =>
        new CliApp(ProcessDefinitionJson.Load) { StderrIsTerminal = stderrIsTerminal }.ExecuteAsync(args, stdout, stderr, cancellationToken);

    /// <summary>Runs the tool.</summary>
    /// <param name="args">The command-line arguments, without the tool name.</param>
    /// <param name="stdout">Where results go (diagram, schema, help, validation report).</param>
    /// <param name="stderr">Where usage errors, a diagram's problems and fatal errors go.</param>
    /// <param name="cancellationToken">Cancels between files and while reading (Ctrl+C).</param>
    /// <returns>The exit code.</returns>
    public async Task<int> ExecuteAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return await DispatchAsync(args, stdout, stderr, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            TryWriteLine(stderr, "processkit: cancelled");
            return ExitCancelled;
        }
        catch (CliUsageException ex)
        {
            TryWriteLine(stderr, "processkit: error: " + ex.Message);
            TryWriteLine(stderr, HelpText.UsageLines(ex.Command));
            TryWriteLine(stderr, ex.Command is null ? "Run 'processkit --help' for more." : $"Run 'processkit {ex.Command} --help' for more.");
            return ExitUsage;
        }
#pragma warning disable CA1031 // The tool's boundary: any failure becomes one line and exit code 1, never a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            TryWriteLine(stderr, "processkit: error: " + CliText.OneLine(ex.Message));
            return ExitInvalid;
        }
    }

    private async Task<int> DispatchAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (args.Count == 0)
        {
            throw new CliUsageException("no command given", null);
        }

        var command = args[0];
        var rest = args.Skip(1).ToList();
        switch (command)
        {
            case "-h" or "--help" or "help":
                stdout.Write(HelpText.For(rest.Count > 0 ? rest[0] : null));
                stdout.WriteLine();
                return ExitOk;
            case "--version":
                stdout.WriteLine("processkit " + HelpText.Version());
                return ExitOk;
            case "validate" or "diagram" or "schema" or "run" or "simulate" when WantsHelp(rest):
                stdout.Write(HelpText.For(command));
                stdout.WriteLine();
                return ExitOk;
            case "validate":
                return Validate(CliArguments.Parse(command, rest, ValidateOptions), stdout, cancellationToken);
            case "diagram":
                return Diagram(CliArguments.Parse(command, rest, DiagramOptions), stdout, stderr, cancellationToken);
            case "schema":
                return Schema(CliArguments.Parse(command, rest, SchemaOptions), stdout);
            case "run":
                return await RunScriptAsync(CliArguments.Parse(command, rest, RunOptions), stdout, stderr, cancellationToken).ConfigureAwait(false);
            case "simulate":
                return await SimulateAsync(CliArguments.Parse(command, rest, SimulateOptions), stdout, stderr, cancellationToken).ConfigureAwait(false);
            default:
                throw new CliUsageException(
                    command.StartsWith('-') ? $"unknown option '{CliText.OneLine(command)}'" : $"unknown command '{CliText.OneLine(command)}'",
                    null);
        }
    }

    private static bool WantsHelp(List<string> args)
    {
        foreach (var arg in args)
        {
            if (arg == "--")
            {
                return false;
            }

            if (arg is "-h" or "--help")
            {
                return true;
            }
        }

        return false;
    }

    private int Validate(CliArguments arguments, TextWriter stdout, CancellationToken cancellationToken)
    {
        if (arguments.Positionals.Count == 0)
        {
            throw new CliUsageException("no FILE given", "validate");
        }

        var options = ReaderOptions(arguments, "validate");
        var quiet = arguments.Has("quiet");
        int invalid = 0, errors = 0, warnings = 0;
        foreach (var path in arguments.Positionals)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var report = Check(path, options, cancellationToken);
            foreach (var line in report.Lines)
            {
                if (!quiet || !line.IsWarning)
                {
                    stdout.WriteLine(line.Text);
                }
            }

            if (!quiet && report.Definition is { } definition)
            {
                var details = CliText.Count(definition.Steps.Count, "step", "steps")
                    + (report.Warnings > 0 ? ", " + CliText.Count(report.Warnings, "warning", "warnings") : string.Empty);
                stdout.WriteLine($"{CliText.FileName(path)}: valid ({details})");
            }

            invalid += report.Definition is null ? 1 : 0;
            errors += report.Errors;
            warnings += report.Warnings;
        }

        if (!quiet)
        {
            stdout.WriteLine(string.Join(
                ", ",
                CliText.Count(arguments.Positionals.Count, "file", "files"),
                invalid.ToString(CultureInfo.InvariantCulture) + " invalid",
                CliText.Count(errors, "error", "errors"),
                CliText.Count(warnings, "warning", "warnings")));
        }

        return invalid == 0 ? ExitOk : ExitInvalid;
    }

    private int Diagram(CliArguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (arguments.Positionals.Count != 1)
        {
            throw new CliUsageException(arguments.Positionals.Count == 0 ? "no FILE given" : "diagram takes exactly one FILE", "diagram");
        }

        var format = arguments.Value("format") ?? "mermaid";
        var svg = string.Equals(format, "svg", StringComparison.OrdinalIgnoreCase);
        if (!svg && !string.Equals(format, "mermaid", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliUsageException($"unknown format '{CliText.OneLine(format)}'; allowed: mermaid, svg", "diagram");
        }

        if (svg && arguments.Value("direction") is not null)
        {
            throw new CliUsageException("option '--direction' applies to the mermaid format only (svg is drawn left to right)", "diagram");
        }

        var direction = (arguments.Value("direction") ?? "LR").ToUpperInvariant() switch
        {
            "LR" => MermaidDirection.LeftRight,
            "TD" or "TB" => MermaidDirection.TopDown,
            "RL" => MermaidDirection.RightLeft,
            "BT" => MermaidDirection.BottomUp,
            _ => throw new CliUsageException($"unknown direction '{CliText.OneLine(arguments.Value("direction")!)}'; allowed: LR, TD, RL, BT", "diagram"),
        };
        var highlight = arguments.Values("highlight")
            .SelectMany(static v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToArray();
        var output = arguments.Value("output");
        if (output is { Length: 0 })
        {
            throw new CliUsageException("option '--output' needs a file name", "diagram");
        }

        var options = ReaderOptions(arguments, "diagram");
        var report = Check(arguments.Positionals[0], options, cancellationToken);
        foreach (var line in report.Lines)
        {
            stderr.WriteLine(line.Text);
        }

        if (report.Definition is null)
        {
            return ExitInvalid;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var text = svg
            ? SvgExporter.Export(report.Definition, new SvgOptions { HighlightSteps = [.. highlight] })
            : MermaidExporter.Export(report.Definition, new MermaidOptions { Direction = direction, HighlightSteps = [.. highlight] });
        if (output is null)
        {
            stdout.Write(text);
            return ExitOk;
        }

        try
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(output));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            File.WriteAllText(output, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return ExitOk;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"{CliText.FileName(output)}: error: cannot write the diagram: {CliText.OneLine(ex.Message)}");
            return ExitInvalid;
        }
    }

    private static int Schema(CliArguments arguments, TextWriter stdout)
    {
        if (arguments.Positionals.Count > 0)
        {
            throw new CliUsageException($"schema takes no argument, got '{CliText.OneLine(arguments.Positionals[0])}'", "schema");
        }

        // Exactly the text of schemas/processkit.schema.json (which ends with a line break):
        // nothing added, so that the output compares equal to the file byte for byte.
        stdout.Write(ProcessDefinitionJson.SchemaText);
        return ExitOk;
    }

    /// <summary>
    /// <c>run DEFINITION --script SCRIPT [--stub-handlers]</c>: runs one instance against the script
    /// on fake time; the report goes to standard output, problems and the first failure to
    /// standard error.
    /// </summary>
    private async Task<int> RunScriptAsync(CliArguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (arguments.Positionals.Count != 1)
        {
            throw new CliUsageException(arguments.Positionals.Count == 0 ? "no DEFINITION given" : "run takes exactly one DEFINITION", "run");
        }

        if (arguments.Value("script") is not { Length: > 0 } scriptPath)
        {
            throw new CliUsageException("option '--script SCRIPT' is required", "run");
        }

        var options = ReaderOptions(arguments, "run");
        var report = Check(arguments.Positionals[0], options, cancellationToken);
        foreach (var line in report.Lines)
        {
            stderr.WriteLine(line.Text);
        }

        if (report.Definition is not { } definition)
        {
            return ExitInvalid;
        }

        var scriptName = CliText.FileName(scriptPath);
        var file = DefinitionFile.Read(scriptPath, options.MaxBytes, cancellationToken);
        if (file.Error is { } readError)
        {
            stderr.WriteLine($"{scriptName}: error: {readError}");
            return ExitInvalid;
        }

        if (file.TooLarge is { } tooLarge)
        {
            stderr.WriteLine($"{scriptName}: error: /: {CliText.OneLine(tooLarge.Message)}");
            return ExitInvalid;
        }

        RunScript script;
        try
        {
            script = RunScriptReader.Read(file.Content);
        }
        catch (ScriptException ex)
        {
            stderr.WriteLine($"{scriptName}: error: {ex.Pointer}: {CliText.OneLine(ex.Message)}");
            return ExitInvalid;
        }

        var missing = ScriptRunner.MissingHandlers(definition, script);
        if (missing.Count > 0 && !arguments.Has("stub-handlers"))
        {
            stderr.WriteLine(
                $"{CliText.FileName(arguments.Positionals[0])}: error: the definition uses handlers the tool does not have: {string.Join(", ", missing)} "
                + "(pass --stub-handlers to run them as no-ops that return no data, or give the data they return under \"handlers\" in the script)");
            return ExitInvalid;
        }

        var run = await ScriptRunner.RunAsync(definition, script, arguments.Has("stub-handlers"), cancellationToken).ConfigureAwait(false);
        stdout.WriteLine(await RunReport.WriteAsync(definition, run, script, cancellationToken).ConfigureAwait(false));
        if (run.Failure is { } failure)
        {
            stderr.WriteLine($"{scriptName}: failed: {failure.Pointer}: {CliText.OneLine(failure.Message)}");
            return ExitInvalid;
        }

        return ExitOk;
    }

    /// <summary>
    /// <c>simulate DEFINITION [options]</c>: simulates many instances with simulated staff on
    /// simulated time; the report goes to standard output, problems to standard error.
    /// </summary>
    private async Task<int> SimulateAsync(CliArguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (arguments.Positionals.Count != 1)
        {
            throw new CliUsageException(arguments.Positionals.Count == 0 ? "no DEFINITION given" : "simulate takes exactly one DEFINITION", "simulate");
        }

        var format = arguments.Value("format") ?? "table";
        if (format is not ("table" or "json"))
        {
            throw new CliUsageException($"unknown format '{CliText.OneLine(format)}'; allowed: table, json", "simulate");
        }

        if (arguments.Has("arrivals") && arguments.Has("arrivals-file"))
        {
            throw new CliUsageException("give either --arrivals or --arrivals-file, not both", "simulate");
        }

        if (arguments.Value("arrivals-file") is { Length: 0 })
        {
            throw new CliUsageException("option '--arrivals-file' needs a file name", "simulate");
        }

        var options = ReaderOptions(arguments, "simulate");
        var report = Check(arguments.Positionals[0], options, cancellationToken);
        foreach (var line in report.Lines)
        {
            stderr.WriteLine(line.Text);
        }

        if (report.Definition is not { } definition)
        {
            return ExitInvalid;
        }

        List<TimeSpan>? arrivals = null;
        if (arguments.Value("arrivals-file") is { } arrivalsPath)
        {
            var name = CliText.FileName(arrivalsPath);
            var file = DefinitionFile.Read(arrivalsPath, options.MaxBytes, cancellationToken);
            if (file.Error is { } readError)
            {
                stderr.WriteLine($"{name}: error: {readError}");
                return ExitInvalid;
            }

            if (file.TooLarge is { } tooLarge)
            {
                stderr.WriteLine($"{name}: error: {CliText.OneLine(tooLarge.Message)}");
                return ExitInvalid;
            }

            (arrivals, var error) = SimulateCommand.ReadArrivals(Encoding.UTF8.GetString(file.Content));
            if (error is not null)
            {
                stderr.WriteLine($"{name}:{error}");
                return ExitInvalid;
            }
        }

        var simulation = SimulateCommand.Options(definition, arguments, arrivals);
        var missing = ProcessTestHarness.MissingHandlers([definition], static _ => false);
        if (missing.Count > 0 && !simulation.StubMissingHandlers)
        {
            stderr.WriteLine(
                $"{CliText.FileName(arguments.Positionals[0])}: error: the definition uses handlers the tool does not have: {string.Join(", ", missing)} "
                + "(pass --stub-handlers to run them as stubs that write generated values for the fields they must write)");
            return ExitInvalid;
        }

        var progress = StderrIsTerminal ? new SimulateCommand.ProgressBar(stderr) : null;
        simulation.Progress = progress;
        SimulationReport result;
        try
        {
            result = await ProcessSimulator.RunAsync(simulation, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            progress?.Clear();
        }

        stdout.Write(format == "json" ? SimulateCommand.Json(result) + "\n" : result.ToTable());
        return ExitOk;
    }

    private static DefinitionReaderOptions ReaderOptions(CliArguments arguments, string command)
    {
        if (arguments.Value("max-bytes") is not { } text)
        {
            return DefinitionReaderOptions.Default;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var maxBytes) || maxBytes < 1 || maxBytes > MaxBytesLimit)
        {
            throw new CliUsageException(
                $"--max-bytes needs a whole number from 1 to {MaxBytesLimit.ToString(CultureInfo.InvariantCulture)}, got '{CliText.OneLine(text)}'",
                command);
        }

        return DefinitionReaderOptions.Default with { MaxBytes = maxBytes };
    }

    /// <summary>Reads and checks one file, and formats what was found.</summary>
    private FileReport Check(string path, DefinitionReaderOptions options, CancellationToken cancellationToken)
    {
        var name = CliText.FileName(path);
        var file = DefinitionFile.Read(path, options.MaxBytes, cancellationToken);
        if (file.Error is { } readError)
        {
            return new FileReport(null, [new ReportLine($"{name}: error: {readError}", false)], 1, 0);
        }

        cancellationToken.ThrowIfCancellationRequested();
        DefinitionLoadResult result;
        if (file.TooLarge is { } tooLarge)
        {
            result = new DefinitionLoadResult(null, [tooLarge]);
        }
        else
        {
            try
            {
                result = _loader(file.Content, options);
            }
#pragma warning disable CA1031 // A reader failure on one file (a bug: Load never throws for bad input) is reported on that file's line, never as a stack trace.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                return new FileReport(null, [new ReportLine($"{name}: error: the definition could not be read: {CliText.OneLine(ex.Message)}", false)], 1, 0);
            }
        }

        var lines = new List<ReportLine>(result.Problems.Count + 1);
        int errors = 0, warnings = 0;
        foreach (var problem in result.Problems)
        {
            var isWarning = problem.Severity == ProblemSeverity.Warning;
            if (isWarning)
            {
                warnings++;
            }
            else
            {
                errors++;
            }

            lines.Add(new ReportLine(FormatProblem(name, problem), isWarning));
        }

        return new FileReport(result.Definition, lines, errors, warnings);
    }

    /// <summary>Formats a problem as <c>FILE:LINE:COL: error|warning: POINTER: message (hint)</c>.</summary>
    internal static string FormatProblem(string file, DefinitionProblem problem)
    {
        var line = problem.Line ?? 1;
        var column = problem.Line is null ? 1 : problem.Column ?? 1;
        var severity = problem.Severity == ProblemSeverity.Warning ? "warning" : "error";
        var pointer = string.IsNullOrEmpty(problem.Path) ? "/" : CliText.OneLine(problem.Path);
        var hint = string.IsNullOrWhiteSpace(problem.Hint) ? string.Empty : $" ({CliText.OneLine(problem.Hint)})";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{file}:{line}:{column}: {severity}: {pointer}: {CliText.OneLine(problem.Message)}{hint}");
    }

    private static void TryWriteLine(TextWriter writer, string text)
    {
        try
        {
            writer.WriteLine(text);
        }
        catch (IOException)
        {
            // The stream is gone (a closed pipe): the exit code still tells.
        }
    }

    private readonly record struct ReportLine(string Text, bool IsWarning);

    private sealed record FileReport(ProcessDefinition? Definition, List<ReportLine> Lines, int Errors, int Warnings);
}
