namespace ProcessKit.Definitions.Json;

/// <summary>The line and column of every JSON pointer of one document, and the lookup of the nearest one for a pointer that has no token.</summary>
/// <remarks>Filled once by <see cref="JsonTextScanner.MapPositions"/>, then only read; safe to read from several threads.</remarks>
internal sealed class JsonPositions
{
    private readonly Dictionary<string, (int Line, int Column)> _positions = new(StringComparer.Ordinal);

    /// <summary>Records the position of <paramref name="pointer"/>; the first one recorded wins.</summary>
    public void Add(string pointer, (int Line, int Column) position) => _positions.TryAdd(pointer, position);

    /// <summary>
    /// The position of <paramref name="pointer"/>, or of its nearest ancestor that exists in the
    /// document (a problem about an omitted property points at the object that would hold it).
    /// </summary>
    public (int Line, int Column) Locate(string pointer)
    {
        var current = pointer;
        while (true)
        {
            if (_positions.TryGetValue(current, out var position))
            {
                return position;
            }

            if (current.Length == 0)
            {
                return (1, 1);
            }

            var slash = current.LastIndexOf('/');
            current = slash <= 0 ? string.Empty : current[..slash];
        }
    }

    /// <summary>Returns <paramref name="problem"/> with the line and column of its path.</summary>
    public DefinitionProblem Attach(DefinitionProblem problem)
    {
        if (problem.Line is not null)
        {
            return problem;
        }

        var (line, column) = Locate(problem.Path);
        return problem with { Line = line, Column = column };
    }
}
