namespace ProcessKit.Expressions;

/// <summary>Why an expression text does not parse, and where.</summary>
/// <param name="Message">What is wrong, for people (without the position).</param>
/// <param name="Index">The 0-based character index in the text, or <see langword="null"/> when the parser gave none.</param>
/// <param name="Line">The 1-based line in the text, or <see langword="null"/>.</param>
/// <param name="Column">The 1-based column in the text, or <see langword="null"/>.</param>
/// <remarks>Immutable and thread-safe.</remarks>
internal sealed record ExpressionSyntaxError(string Message, int? Index, int? Line, int? Column)
{
    /// <summary>Describes the error with its position ("... at line 1, column 5").</summary>
    public override string ToString() =>
        Line is { } line ? $"{Message} at line {line}, column {Column}" : Message;

    /// <summary>Creates an error at <paramref name="index"/> of <paramref name="text"/>, computing the line and column.</summary>
    public static ExpressionSyntaxError At(string text, string message, int? index)
    {
        if (index is not { } at)
        {
            return new(message, null, null, null);
        }

        at = Math.Clamp(at, 0, text.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < at; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new(message, at, line, at - lineStart + 1);
    }
}
