using ProcessKit.Definitions;

namespace ProcessKit.Cli;

/// <summary>The JSON Schema of the definition format, as embedded in the ProcessKit assembly.</summary>
internal static class SchemaText
{
    /// <summary>The name of the embedded resource that holds the schema.</summary>
    public const string ResourceName = "ProcessKit.processkit.schema.json";

    /// <summary>Reads the schema text, or returns <see langword="null"/> when the resource is missing.</summary>
    public static string? Read()
    {
        using var stream = typeof(ProcessDefinition).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
