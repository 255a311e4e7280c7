using System.Text.Json;

namespace ProcessKit.Cli.Tests;

public sealed class SchemaTests
{
    [Fact]
    public void Schema_prints_the_embedded_schema_as_valid_json()
    {
        var result = CliRunner.Run(new StubLoader(), "schema");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        using var document = JsonDocument.Parse(result.Stdout);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        Assert.EndsWith("\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_is_the_file_shipped_in_the_repository()
    {
        var shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schema", "processkit.schema.json"));

        var result = CliRunner.Run(new StubLoader(), "schema");

        Assert.Equal(shipped.TrimEnd('\n'), result.Stdout.TrimEnd('\n'));
    }
}
