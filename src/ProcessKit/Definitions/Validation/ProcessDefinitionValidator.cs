namespace ProcessKit.Definitions.Validation;

/// <summary>
/// Checks a process definition against every rule of the format and reports all problems at once,
/// errors and warnings apart, each with its JSON pointer path.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class ProcessDefinitionValidator
{
    /// <summary>Checks <paramref name="definition"/> and returns every problem found.</summary>
    /// <param name="definition">The definition to check.</param>
    /// <returns>The problems, in document order; empty when the definition is valid and has no warning.</returns>
    public static ValueArray<DefinitionProblem> Validate(ProcessDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return ValueArray<DefinitionProblem>.Empty; // PLACEHOLDER: the rules land with the validation work.
    }
}
