namespace ProcessKit.Definitions.Validation;

/// <summary>
/// Checks a process definition against every rule of the format and reports all problems at once,
/// errors and warnings apart, each with its JSON pointer path.
/// </summary>
/// <remarks>
/// Stateless and thread-safe. The rules: structure and ids, duplicate ids, references to steps and
/// roles, the flows each step kind allows, reachability and a path to an end, splits and joins,
/// expressions (syntax, fields, functions), values (durations, costs, counts), targets, recursive
/// sub-processes, and (as a warning) loops that never wait. Lambda expressions are not checked.
/// </remarks>
public static class ProcessDefinitionValidator
{
    /// <summary>Checks <paramref name="definition"/> and returns every problem found.</summary>
    /// <param name="definition">The definition to check.</param>
    /// <returns>
    /// The problems in document order (by their JSON pointer <see cref="DefinitionProblem.Path"/>);
    /// empty when the definition is valid and has no warning. Never throws for a bad definition.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    public static ValueArray<DefinitionProblem> Validate(ProcessDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new ValidationRun(definition).Run();
    }
}
