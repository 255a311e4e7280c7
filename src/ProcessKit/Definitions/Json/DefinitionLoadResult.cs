namespace ProcessKit.Definitions.Json;

/// <summary>The result of reading a definition document without throwing: the definition when it is valid, and every problem found.</summary>
/// <param name="Definition">The definition, or <see langword="null"/> when the document has errors.</param>
/// <param name="Problems">Every problem found (errors and warnings), with JSON pointer, line and column.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record DefinitionLoadResult(ProcessDefinition? Definition, ValueArray<DefinitionProblem> Problems)
{
    /// <summary>Whether the document was read and has no error (it may have warnings).</summary>
    public bool IsValid => Definition is not null;
}
