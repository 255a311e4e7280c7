using System.Text;
using System.Text.Json;

namespace ProcessKit.Cli.Tests;

public sealed class SchemaTests
{
    private static string ShippedSchemaPath => Path.Combine(AppContext.BaseDirectory, "schema", "processkit.schema.json");

    [Fact]
    public void Schema_prints_the_embedded_schema_as_valid_json()
    {
        var result = CliRunner.Run(new StubLoader(), "schema");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
        using var document = JsonDocument.Parse(result.Stdout);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
    }

    [Fact]
    public void Schema_output_is_byte_for_byte_the_file_in_the_repository()
    {
        // CI compares `processkit schema` with schemas/processkit.schema.json using cmp: no line
        // break may be added or dropped, no byte order mark written.
        var shipped = File.ReadAllBytes(ShippedSchemaPath);

        var result = CliRunner.Run(new StubLoader(), "schema");

        Assert.Equal(shipped, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(result.Stdout));
    }
}
