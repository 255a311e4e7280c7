using ProcessKit.Definitions.Json;

namespace ProcessKit.Cli;

/// <summary>
/// Reads a definition document: <see cref="ProcessDefinitionJson.Load"/> in the tool. Tests pass a
/// stub to check how the tool prints problems the reader does not give for any file (a problem
/// without a position, a message with line breaks, a reader that throws).
/// </summary>
/// <param name="utf8Json">The document bytes.</param>
/// <param name="options">The reader's limits.</param>
/// <returns>The definition when valid, and every problem found.</returns>
internal delegate DefinitionLoadResult DefinitionLoader(ReadOnlySpan<byte> utf8Json, DefinitionReaderOptions options);
