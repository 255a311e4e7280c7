using System.Text;

namespace ProcessKit.Expressions;

/// <summary>
/// Prepares an expression text for NCalc, whose grammar has no dotted names: a bare dotted name
/// (<c>lead.email</c>) is wrapped in brackets (<c>[lead.email]</c>), and a dotted name followed by
/// <c>(</c> (<c>System.IO.File.Exists(...)</c>, <c>x.GetType()</c>) becomes a plain call to a
/// function with <c>_</c> for dots, so that it is reported as an unknown function under its own
/// name. Also finds unterminated texts and nesting deeper than <see cref="MaxNesting"/> before the
/// parser sees them. Positions in the prepared text map back to the original one.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class ExpressionPreprocessor
{
    /// <summary>The deepest nesting of parentheses allowed; deeper texts are refused rather than parsed.</summary>
    public const int MaxNesting = 64;

    /// <summary>Prepares <paramref name="text"/>.</summary>
    public static Prepared Prepare(string text)
    {
        StringBuilder? builder = null;
        List<int>? inserted = null;
        Dictionary<string, string>? memberCalls = null;
        var copied = 0;
        var depth = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            switch (c)
            {
                case '\'' or '"':
                    var close = FindClosingQuote(text, i);
                    if (close < 0)
                    {
                        return new(text, [], null, ExpressionSyntaxError.At(text, "A text started here is never closed", i));
                    }

                    i = close + 1;
                    continue;
                case '[' or '{':
                    var end = text.IndexOf(c == '[' ? ']' : '}', i + 1);
                    if (end < 0)
                    {
                        return new(text, [], null, ExpressionSyntaxError.At(text, $"A '{c}' opened here is never closed", i));
                    }

                    i = end + 1;
                    continue;
                case '#':
                    var hash = text.IndexOf('#', i + 1);
                    i = hash < 0 ? text.Length : hash + 1;
                    continue;
                case '(':
                    if (++depth > MaxNesting)
                    {
                        return new(text, [], null, ExpressionSyntaxError.At(text, $"Parentheses are nested more than {MaxNesting} deep", i));
                    }

                    i++;
                    continue;
                case ')':
                    depth--;
                    i++;
                    continue;
            }

            if (char.IsDigit(c))
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '.' or '_'))
                {
                    i++;
                }

                continue;
            }

            if (!IsNameStart(c))
            {
                i++;
                continue;
            }

            var start = i;
            var dotted = false;
            i = SkipName(text, i);
            while (i + 1 < text.Length && text[i] == '.' && IsNameStart(text[i + 1]))
            {
                dotted = true;
                i = SkipName(text, i + 1);
            }

            if (!dotted)
            {
                continue;
            }

            builder ??= new StringBuilder(text.Length + 8);
            builder.Append(text, copied, start - copied);
            var name = text[start..i];
            if (IsFollowedByParenthesis(text, i))
            {
                var replaced = name.Replace('.', '_');
                (memberCalls ??= new(StringComparer.Ordinal))[replaced] = name;
                builder.Append(replaced);
            }
            else
            {
                inserted ??= [];
                inserted.Add(builder.Length);
                builder.Append('[').Append(name);
                inserted.Add(builder.Length);
                builder.Append(']');
            }

            copied = i;
        }

        if (builder is null)
        {
            return new(text, [], null, null);
        }

        builder.Append(text, copied, text.Length - copied);
        return new(builder.ToString(), inserted ?? [], memberCalls, null);
    }

    private static bool IsNameStart(char c) => char.IsLetter(c) || c == '_';

    private static int SkipName(string text, int i)
    {
        while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }

        return i;
    }

    private static bool IsFollowedByParenthesis(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i < text.Length && text[i] == '(';
    }

    private static int FindClosingQuote(string text, int open)
    {
        var quote = text[open];
        for (var i = open + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == quote)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A prepared text.</summary>
    /// <param name="Text">The text for NCalc.</param>
    /// <param name="Inserted">The indexes, in <paramref name="Text"/>, of characters that are not in the original.</param>
    /// <param name="MemberCalls">Function names made from dotted member calls, mapped to the dotted name as written.</param>
    /// <param name="Error">A syntax error found while preparing, if any.</param>
    internal sealed record Prepared(string Text, IReadOnlyList<int> Inserted, IReadOnlyDictionary<string, string>? MemberCalls, ExpressionSyntaxError? Error)
    {
        /// <summary>Maps an index in the prepared text back to the original text.</summary>
        public int ToOriginal(int index)
        {
            var shift = 0;
            foreach (var at in Inserted)
            {
                if (at < index)
                {
                    shift++;
                }
            }

            return index - shift;
        }

        /// <summary>The name of a function as written in the original text.</summary>
        public string OriginalFunctionName(string name) =>
            MemberCalls is not null && MemberCalls.TryGetValue(name, out var dotted) ? dotted : name;
    }
}
