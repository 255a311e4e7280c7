using ProcessKit.Definitions.Json;
using ProcessKit.Export;

namespace ProcessKit.Cli.Tests;

public sealed class DiagramTests
{
    private static StubLoader Stub() => new StubLoader()
        .With("valid", Definitions.Valid())
        .With("warn", Definitions.Valid(Definitions.Warning("/steps/0", "Careful.", 3, 5)))
        .With("bad", Definitions.Invalid(Definitions.Error("/steps/0/next/0/to", "No such step.", 7, 11)));

    [Fact]
    public void Diagram_prints_the_mermaid_text_to_stdout()
    {
        using var folder = new TempFolder();
        var file = folder.File("p.json", "valid");

        var result = CliRunner.Run(Stub(), "diagram", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        Assert.Equal(MermaidExporter.Export(Definitions.Simple()), result.Stdout);
    }

    [Theory]
    [InlineData("cafe.json")]
    [InlineData("sales-office.json")]
    public void Diagram_of_a_shipped_sample_is_the_exporters_text_with_a_lane_per_role(string sample)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "definitions", sample);
        var definition = ProcessDefinitionJson.Read(File.ReadAllBytes(file));

        var result = CliRunner.Run("diagram", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        Assert.Equal(MermaidExporter.Export(definition), result.Stdout);
        Assert.All(definition.Roles, role => Assert.Contains($"subgraph lane_{role.Id}[\"{role.Name}\"]", result.Stdout, StringComparison.Ordinal));
    }

    [Fact]
    public void Diagram_format_mermaid_is_accepted_in_any_case()
    {
        using var folder = new TempFolder();
        var file = folder.File("p.json", "valid");

        var result = CliRunner.Run(Stub(), "diagram", "--format", "Mermaid", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("flowchart LR\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagram_output_writes_the_file_and_creates_its_folders()
    {
        using var folder = new TempFolder();
        var file = folder.File("p.json", "valid");
        var output = Path.Combine(folder.Path, "out", "nested", "p.mmd");

        var result = CliRunner.Run(Stub(), "diagram", file, "-o", output);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Empty(result.Stderr);
        var bytes = File.ReadAllBytes(output);
        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Equal(MermaidExporter.Export(Definitions.Simple()), System.Text.Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Diagram_output_that_cannot_be_written_is_one_error_line()
    {
        using var folder = new TempFolder();
        var file = folder.File("p.json", "valid");

        var result = CliRunner.Run(Stub(), "diagram", file, "--output", folder.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"{folder.Path}: error: cannot write the diagram: ", result.StderrLines.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Diagram_of_an_invalid_definition_prints_problems_to_stderr_and_exits_1()
    {
        using var folder = new TempFolder();
        var file = folder.File("p.json", "bad");
        var output = Path.Combine(folder.Path, "p.mmd");

        var result = CliRunner.Run(Stub(), "diagram", file, "-o", output);

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal([$"{file}:7:11: error: /steps/0/next/0/to: No such step."], result.StderrLines);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Diagram_of_a_missing_file_exits_1()
    {
        var result = CliRunner.Run(Stub(), "diagram", "missing.json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["missing.json: error: file not found"], result.StderrLines);
    }

    [Fact]
    public void Diagram_with_warnings_draws_and_reports_them_on_stderr()
    {
        using var folder = new TempFolder();
        var file = folder.File("p.json", "warn");

        var result = CliRunner.Run(Stub(), "diagram", file);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("%% ProcessKit process p v1", result.Stdout, StringComparison.Ordinal);
        Assert.Equal([$"{file}:3:5: warning: /steps/0: Careful."], result.StderrLines);
    }

    [Fact]
    public void Diagram_direction_and_highlight_reach_the_exporter()
    {
        using var folder = new TempFolder();
        var file = folder.File("p.json", "valid");

        var result = CliRunner.Run(Stub(), "diagram", file, "--direction", "td", "--highlight", "done, review", "--highlight", "ghost");

        Assert.Equal(0, result.ExitCode);
        var expected = MermaidExporter.Export(
            Definitions.Simple(),
            new MermaidOptions { Direction = MermaidDirection.TopDown, HighlightSteps = ["done", "review", "ghost"] });
        Assert.Equal(expected, result.Stdout);
        Assert.Contains("class s_review,s_done current", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("svg")]
    [InlineData("SVG")]
    public void Diagram_format_svg_prints_the_svg_exporters_image_to_stdout(string format)
    {
        using var folder = new TempFolder();
        var file = folder.File("p.json", "valid");

        var result = CliRunner.Run(Stub(), "diagram", file, "--format", format);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        Assert.Equal(SvgExporter.Export(Definitions.Simple()), result.Stdout);
        Assert.Equal("svg", System.Xml.Linq.XDocument.Parse(result.Stdout).Root!.Name.LocalName);
    }

    [Theory]
    [InlineData("cafe.json")]
    [InlineData("sales-office.json")]
    public void Diagram_svg_of_a_shipped_sample_is_the_exporters_image(string sample)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "definitions", sample);
        var definition = ProcessDefinitionJson.Read(File.ReadAllBytes(file));

        var result = CliRunner.Run("diagram", file, "-f", "svg");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        Assert.Equal(SvgExporter.Export(definition), result.Stdout);
    }

    [Fact]
    public void Diagram_svg_highlight_marks_the_steps_as_current()
    {
        using var folder = new TempFolder();
        var file = folder.File("p.json", "valid");

        var result = CliRunner.Run(Stub(), "diagram", file, "--format", "svg", "--highlight", "review, ghost");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(SvgExporter.Export(Definitions.Simple(), new SvgOptions { HighlightSteps = ["review", "ghost"] }), result.Stdout);
        var current = System.Xml.Linq.XDocument.Parse(result.Stdout).Descendants()
            .Where(static e => ((string?)e.Attribute("class") ?? string.Empty).Split(' ').Contains("pk-current"))
            .Select(static e => (string?)e.Attribute("data-step"))
            .ToList();
        Assert.Equal(["review"], current);
    }

    [Fact]
    public void Diagram_svg_output_writes_the_file_without_a_byte_order_mark()
    {
        using var folder = new TempFolder();
        var file = folder.File("p.json", "valid");
        var output = Path.Combine(folder.Path, "out", "p.svg");

        var result = CliRunner.Run(Stub(), "diagram", file, "--format", "svg", "-o", output, "--highlight", "review");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Empty(result.Stderr);
        var bytes = File.ReadAllBytes(output);
        Assert.Equal((byte)'<', bytes[0]);
        Assert.Equal(SvgExporter.Export(Definitions.Simple(), new SvgOptions { HighlightSteps = ["review"] }), System.Text.Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Diagram_svg_of_an_invalid_definition_writes_nothing_and_exits_1()
    {
        using var folder = new TempFolder();
        var file = folder.File("p.json", "bad");
        var output = Path.Combine(folder.Path, "p.svg");

        var result = CliRunner.Run(Stub(), "diagram", file, "--format", "svg", "-o", output);

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Equal([$"{file}:7:11: error: /steps/0/next/0/to: No such step."], result.StderrLines);
        Assert.False(File.Exists(output));
    }
}
