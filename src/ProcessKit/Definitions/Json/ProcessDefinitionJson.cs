namespace ProcessKit.Definitions.Json;

/// <summary>
/// Reads and writes process definitions in ProcessKit's JSON format (one document per process,
/// described by the JSON Schema <c>processkit.schema.json</c>). Reading checks the document against the JSON Schema, then
/// every semantic rule; problems carry the JSON pointer, line and column.
/// </summary>
/// <remarks>Stateless and thread-safe. No CLR type is ever named or loaded from a document.</remarks>
public static partial class ProcessDefinitionJson
{
    /// <summary>Reads a definition and returns it with every problem found; never throws for bad input.</summary>
    /// <param name="utf8Json">The document as UTF-8 bytes.</param>
    /// <param name="options">The limits; <see cref="DefinitionReaderOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>The definition (when valid) and the problems.</returns>
    public static DefinitionLoadResult Load(ReadOnlySpan<byte> utf8Json, DefinitionReaderOptions? options = null)
    {
        _ = utf8Json;
        _ = options;
        return new DefinitionLoadResult(null, []); // PLACEHOLDER: the reader lands with the JSON work.
    }
}
