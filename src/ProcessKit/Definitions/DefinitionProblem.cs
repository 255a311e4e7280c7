namespace ProcessKit.Definitions;

/// <summary>
/// One problem found in a process definition: where it is, what is wrong, and how to fix it.
/// </summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Code">A stable code naming the rule (see <see cref="DefinitionProblemCodes"/>).</param>
/// <param name="Path">
/// Where the problem is, as a JSON pointer into the definition's JSON form (for example
/// <c>/steps/3/next/0/to</c>); the empty string is the whole document. Definitions built in C#
/// use the same paths.
/// </param>
/// <param name="Message">What is wrong, for people.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record DefinitionProblem(ProblemSeverity Severity, string Code, string Path, string Message)
{
    /// <summary>What would fix it. Optional.</summary>
    public string? Hint { get; init; }

    /// <summary>For a definition read from JSON: the 1-based line of <see cref="Path"/>.</summary>
    public int? Line { get; init; }

    /// <summary>For a definition read from JSON: the 1-based column of <see cref="Path"/>.</summary>
    public int? Column { get; init; }

    /// <summary>Formats the problem as <c>LINE:COL: error|warning: POINTER: message (hint)</c>.</summary>
    public override string ToString()
    {
        var where = Line is { } line ? $"{line}:{Column ?? 1}: " : string.Empty;
        var severity = Severity == ProblemSeverity.Error ? "error" : "warning";
        var pointer = Path.Length == 0 ? "/" : Path;
        var hint = Hint is null ? string.Empty : $" ({Hint})";
        return $"{where}{severity}: {pointer}: {Message}{hint}";
    }
}
