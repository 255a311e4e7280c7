using System.Text.RegularExpressions;
using ProcessKit.Definitions.Json;

namespace ProcessKit.Cli.Tests;

public sealed partial class ValidateTests
{
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
    public void The_shipped_samples_are_each_confirmed_valid_with_their_step_count()
    {
        var samples = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "definitions"), "*.json").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(samples);

        var result = CliRunner.Run(["validate", .. samples]);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        Assert.Equal(
            [
                .. samples.Select(static s => $"{s}: valid ({ProcessDefinitionJson.Read(File.ReadAllBytes(s)).Steps.Count} steps)"),
                $"{samples.Length} files, 0 invalid, 0 errors, 0 warnings",
            ],
            result.StdoutLines);
    }

    [Fact]
    public void A_flow_to_an_unknown_step_is_reported_at_its_line_and_column()
    {
        using var folder = new TempFolder();
        var file = folder.File("dangling.json", DanglingFlow);

        var result = CliRunner.Run("validate", "--quiet", file);

        Assert.Equal(1, result.ExitCode);
        Assert.All(result.StdoutLines, line => Assert.StartsWith(file + ":", line, StringComparison.Ordinal));
        var line = Assert.Single(result.StdoutLines, static l => l.Contains(": /steps/0/next/0/to: ", StringComparison.Ordinal));
        Assert.Matches(DanglingLine(), line);
    }

    [Fact]
    public void Missing_file_is_one_error_line_and_exit_1()
    {
        using var folder = new TempFolder();
        var missing = Path.Combine(folder.Path, "missing.json");

        var result = CliRunner.Run(new StubLoader(), "validate", missing);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"{missing}: error: file not found", "1 file, 1 invalid, 1 error, 0 warnings"], result.StdoutLines);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public void Missing_folder_is_file_not_found_too()
    {
        var result = CliRunner.Run(new StubLoader(), "validate", Path.Combine("no-such-folder", "x.json"));

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith(": error: file not found", result.StdoutLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_is_not_a_file()
    {
        using var folder = new TempFolder();

        var result = CliRunner.Run(new StubLoader(), "validate", folder.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"{folder.Path}: error: is a directory, not a file", result.StdoutLines[0]);
    }

    [Fact]
    public void Valid_file_exits_0_with_a_summary()
    {
        using var folder = new TempFolder();
        var file = folder.File("ok.json", "valid");

        var result = CliRunner.Run(new StubLoader().With("valid", Definitions.Valid()), "validate", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([$"{file}: valid (2 steps)", "1 file, 0 invalid, 0 errors, 0 warnings"], result.StdoutLines);
    }

    [Fact]
    public void Problems_are_printed_as_file_line_column_severity_pointer_message_hint()
    {
        using var folder = new TempFolder();
        var file = folder.File("bad.json", "bad");
        var stub = new StubLoader().With("bad", Definitions.Invalid(
            Definitions.Error("/steps/3/next/0/to", "The flow goes to 'nowhere', which is not a step.", 12, 19, "Use one of: a, b."),
            Definitions.Error(string.Empty, "Something about the whole document."),
            Definitions.Warning("/steps/1", "This loop never waits.", 4, null)));

        var result = CliRunner.Run(stub, "validate", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                $"{file}:12:19: error: /steps/3/next/0/to: The flow goes to 'nowhere', which is not a step. (Use one of: a, b.)",
                $"{file}:1:1: error: /: Something about the whole document.",
                $"{file}:4:1: warning: /steps/1: This loop never waits.",
                "1 file, 1 invalid, 2 errors, 1 warning",
            ],
            result.StdoutLines);
    }

    [Fact]
    public void A_message_with_line_breaks_stays_on_one_line()
    {
        using var folder = new TempFolder();
        var file = folder.File("bad.json", "bad");
        var stub = new StubLoader().With("bad", Definitions.Invalid(Definitions.Error("/id", "first\r\nsecond\nthird", 2, 3, "hint\none")));

        var result = CliRunner.Run(stub, "validate", file, "--quiet");

        Assert.Equal([$"{file}:2:3: error: /id: first second third (hint one)"], result.StdoutLines);
    }

    [Fact]
    public void Warnings_alone_exit_0()
    {
        using var folder = new TempFolder();
        var file = folder.File("warn.json", "warn");
        var stub = new StubLoader().With("warn", Definitions.Valid(Definitions.Warning("/steps/0", "Careful.", 3, 5)));

        var result = CliRunner.Run(stub, "validate", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([$"{file}:3:5: warning: /steps/0: Careful.", $"{file}: valid (2 steps, 1 warning)", "1 file, 0 invalid, 0 errors, 1 warning"], result.StdoutLines);
    }

    [Fact]
    public void Quiet_prints_error_lines_only()
    {
        using var folder = new TempFolder();
        var warn = folder.File("warn.json", "warn");
        var bad = folder.File("bad.json", "bad");
        var stub = new StubLoader()
            .With("warn", Definitions.Valid(Definitions.Warning("/steps/0", "Careful.", 3, 5)))
            .With("bad", Definitions.Invalid(Definitions.Error("/name", "Required.", 1, 2)));

        var result = CliRunner.Run(stub, "validate", "-q", warn, bad);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"{bad}:1:2: error: /name: Required."], result.StdoutLines);
    }

    [Fact]
    public void Several_files_are_each_reported_and_summed_up()
    {
        using var folder = new TempFolder();
        var ok = folder.File("ok.json", "valid");
        var warn = folder.File("warn.json", "warn");
        var bad = folder.File("bad.json", "bad");
        var missing = Path.Combine(folder.Path, "missing.json");
        var stub = new StubLoader()
            .With("valid", Definitions.Valid())
            .With("warn", Definitions.Valid(Definitions.Warning("/steps/0", "Careful.", 3, 5)))
            .With("bad", Definitions.Invalid(Definitions.Error("/name", "Required.", 1, 2), Definitions.Error("/id", "Bad id.", 1, 9)));

        var result = CliRunner.Run(stub, "validate", ok, warn, bad, missing);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                $"{ok}: valid (2 steps)",
                $"{warn}:3:5: warning: /steps/0: Careful.",
                $"{warn}: valid (2 steps, 1 warning)",
                $"{bad}:1:2: error: /name: Required.",
                $"{bad}:1:9: error: /id: Bad id.",
                $"{missing}: error: file not found",
                "4 files, 2 invalid, 3 errors, 1 warning",
            ],
            result.StdoutLines);
        Assert.Equal(3, stub.Calls);
    }

    [Fact]
    public void A_file_over_max_bytes_is_refused_before_reading()
    {
        using var folder = new TempFolder();
        var file = folder.File("big.json", new string(' ', 100) + "valid");
        var stub = new StubLoader().With("valid", Definitions.Valid());

        var result = CliRunner.Run(stub, "validate", file, "--max-bytes", "100", "--quiet");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [$"{file}:1:1: error: /: The document is 105 bytes; the limit is 100 bytes. (A process definition is rarely more than a few hundred kilobytes; check that the right file was given, or raise the limit with --max-bytes if the file is trusted.)"],
            result.StdoutLines);
        Assert.Equal(0, stub.Calls);
    }

    [Fact]
    public void A_file_of_exactly_max_bytes_is_read()
    {
        using var folder = new TempFolder();
        var file = folder.File("ok.json", "valid");
        var stub = new StubLoader().With("valid", Definitions.Valid());

        var result = CliRunner.Run(stub, "validate", file, "--max-bytes=5");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1, stub.Calls);
    }

    [Fact]
    public void A_50_MB_file_is_one_error_line_without_being_read()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "huge.json");
        using (var stream = File.Create(file))
        {
            stream.SetLength(50L * 1024 * 1024);
        }

        var stub = new StubLoader();

        var result = CliRunner.Run(stub, "validate", file);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"{file}:1:1: error: /: The document is 52,428,800 bytes; the limit is 4,194,304 bytes. (", result.StdoutLines[0], StringComparison.Ordinal);
        Assert.Equal("1 file, 1 invalid, 1 error, 0 warnings", result.StdoutLines[^1]);
        Assert.Equal(0, stub.Calls);
    }

    [Fact]
    public void A_reader_that_throws_gives_one_line_for_that_file_and_goes_on()
    {
        using var folder = new TempFolder();
        var first = folder.File("a.json", "a");
        var second = folder.File("b.json", "valid");
        var stub = new StubLoader().With("valid", Definitions.Valid());
        DefinitionLoader loader = (bytes, options) =>
            bytes.Length == 1 ? throw new InvalidOperationException("boom\n   at Somewhere()") : stub.Load(bytes, options);

        var result = CliRunner.Run(loader, "validate", first, second);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [$"{first}: error: the definition could not be read: boom at Somewhere()", $"{second}: valid (2 steps)", "2 files, 1 invalid, 1 error, 0 warnings"],
            result.StdoutLines);
    }

    [Fact]
    public void The_reader_gets_the_max_bytes_limit()
    {
        using var folder = new TempFolder();
        var file = folder.File("ok.json", "valid");
        var seen = 0;
        DefinitionLoader loader = (_, options) =>
        {
            seen = options.MaxBytes;
            return Definitions.Valid();
        };

        CliRunner.Run(loader, "validate", "--max-bytes", "1234", file);

        Assert.Equal(1234, seen);
    }

    [GeneratedRegex(@"dangling\.json:6:\d+: error: /steps/0/next/0/to: .*'nowhere'.*$")]
    private static partial Regex DanglingLine();
}
