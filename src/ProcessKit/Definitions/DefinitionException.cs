namespace ProcessKit.Definitions;

/// <summary>
/// Thrown when a process definition is not valid: by <see cref="ProcessBuilder.Build"/>, by the JSON
/// reader, and when a definition is used before it is fixed. <see cref="Problems"/> lists every
/// problem found, never only the first. Error code: <c>definition.invalid</c>.
/// </summary>
public sealed class DefinitionException : ProcessKitException
{
    /// <summary>The error code of this exception.</summary>
    public const string Code = "definition.invalid";

    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="problems">The problems; at least one.</param>
    /// <param name="source">What was being read or built (a file name, a process id), for the message. Optional.</param>
    public DefinitionException(IEnumerable<DefinitionProblem> problems, string? source = null)
        : this(new ValueArray<DefinitionProblem>(problems ?? throw new ArgumentNullException(nameof(problems))), source)
    {
    }

    private DefinitionException(ValueArray<DefinitionProblem> problems, string? source)
        : base(Code, FormatMessage(problems, source))
    {
        Problems = problems;
        Origin = source;
    }

    /// <summary>Every problem found, errors and warnings.</summary>
    public ValueArray<DefinitionProblem> Problems { get; }

    /// <summary>What was being read or built, when known.</summary>
    public string? Origin { get; }

    private static string FormatMessage(ValueArray<DefinitionProblem> problems, string? source)
    {
        var errors = problems.Count(static p => p.Severity == ProblemSeverity.Error);
        var header = $"The process definition{(source is null ? string.Empty : $" '{source}'")} is not valid: {errors} error(s)";
        var lines = problems.Select(static p => "  " + p);
        return header + Environment.NewLine + string.Join(Environment.NewLine, lines);
    }
}
