using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using NCalc;
using NCalc.Factories;

namespace ProcessKit.Expressions;

/// <summary>
/// ProcessKit's small, sandboxed expression language for conditions, data mappings,
/// deadlines-from-data, correlation keys and assignees. It is NCalc's grammar with a closed set of
/// functions (<see cref="ExpressionFunctions"/>) and no access to .NET types, members, files or the
/// network.
/// </summary>
/// <remarks>
/// <para>
/// Operators: arithmetic <c>+ - * / %</c>, comparison <c>== != &lt; &lt;= &gt; &gt;=</c> (and <c>=</c>,
/// <c>&lt;&gt;</c>), logic <c>&amp;&amp; || !</c> (and <c>and or not</c>), <c>a ? b : c</c>, <c>??</c>,
/// <c>x in (a, b)</c>, <c>like</c>. Literals: numbers (a decimal point makes a <see cref="decimal"/>),
/// <c>'text'</c>, <c>true</c>, <c>false</c>, <c>null</c>. A name is a field of the instance data; a
/// dotted name (<c>lead.email</c> or <c>[lead.email]</c>) reads a member of an object field, and its
/// first segment is the field.
/// </para>
/// <para>
/// Parse a text once (<see cref="Parse(string)"/> for validation, <see cref="Compile(string)"/> for
/// evaluation) and reuse the result: parsing costs far more than evaluating. Stateless and thread-safe.
/// </para>
/// </remarks>
internal static partial class ExpressionLanguage
{
    /// <summary>The longest expression text accepted, in characters.</summary>
    public const int MaxLength = 8_192;

    // NCalc reads `null` as a name; the language treats it as the null literal (an unset name reads as null).
    private const string NullLiteral = "null";

    private static readonly LogicalExpressionParserOptions ParserOptions = new()
    {
        FloatingPointNumberType = FloatingPointNumberType.Decimal,
    };

    /// <summary>The field a name reads: the part before the first dot (<c>lead</c> for <c>lead.email</c>).</summary>
    public static string FieldOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? name : name[..dot];
    }

    /// <summary>Parses <paramref name="text"/>, reporting a syntax error rather than throwing.</summary>
    /// <param name="text">The expression text.</param>
    /// <returns>The parse result: a syntax error, or the tree with its names and function calls.</returns>
    public static ParsedExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new(text, new ExpressionSyntaxError("The expression is empty", null, null, null));
        }

        if (text.Length > MaxLength)
        {
            return new(text, new ExpressionSyntaxError($"The expression is {text.Length} characters long; at most {MaxLength} are allowed", null, null, null));
        }

        var prepared = ExpressionPreprocessor.Prepare(text);
        if (prepared.Error is { } early)
        {
            return new(text, early);
        }

        LogicalExpression tree;
        try
        {
            tree = LogicalExpressionFactory.Create(prepared.Text, ParserOptions, CultureInfo.InvariantCulture, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new(text, ToSyntaxError(text, prepared, ex.Message));
        }

        var names = new List<string>();
        var calls = new List<FunctionCall>();
        Collect(tree, prepared, names, calls);
        return new(text, tree, [.. names.Distinct(StringComparer.Ordinal)], [.. calls.Distinct()]);
    }

    /// <summary>Parses and checks <paramref name="text"/> for evaluation.</summary>
    /// <param name="text">The expression text.</param>
    /// <returns>The compiled expression, to be evaluated any number of times from any thread.</returns>
    /// <exception cref="ArgumentException">The text does not parse or calls a function the language does not have.</exception>
    public static CompiledExpression Compile(string text) => Parse(text).Compile();

    private static void Collect(LogicalExpression root, ExpressionPreprocessor.Prepared prepared, List<string> names, List<FunctionCall> calls)
    {
        var pending = new Stack<LogicalExpression>();
        pending.Push(root);
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case Identifier { Name: not NullLiteral } identifier:
                    names.Add(identifier.Name);
                    break;
                case Function function:
                    calls.Add(new FunctionCall(prepared.OriginalFunctionName(function.Identifier.Name), function.Parameters.Count));
                    PushReversed(pending, function.Parameters);
                    break;
                case LogicalExpressionList list:
                    PushReversed(pending, list);
                    break;
                case UnaryExpression unary:
                    pending.Push(unary.Expression);
                    break;
                case BinaryExpression binary:
                    pending.Push(binary.RightExpression);
                    pending.Push(binary.LeftExpression);
                    break;
                case TernaryExpression ternary:
                    pending.Push(ternary.RightExpression);
                    pending.Push(ternary.MiddleExpression);
                    pending.Push(ternary.LeftExpression);
                    break;
            }
        }
    }

    private static void PushReversed(Stack<LogicalExpression> pending, LogicalExpressionList list)
    {
        for (var i = list.Count - 1; i >= 0; i--)
        {
            pending.Push(list[i]);
        }
    }

    private static ExpressionSyntaxError ToSyntaxError(string text, ExpressionPreprocessor.Prepared prepared, string message)
    {
        var match = PositionPattern().Match(message);
        var cleaned = (match.Success ? message[..match.Index] : message).Trim().TrimEnd('.');
        if (cleaned.StartsWith("Invalid token in expression", StringComparison.Ordinal))
        {
            cleaned = "Unexpected token";
        }
        else if (cleaned.Length == 0)
        {
            cleaned = "The expression does not parse";
        }

        if (!match.Success)
        {
            return new ExpressionSyntaxError(cleaned, null, null, null);
        }

        var line = int.Parse(match.Groups["line"].Value, CultureInfo.InvariantCulture);
        var column = int.Parse(match.Groups["column"].Value, CultureInfo.InvariantCulture);
        var index = prepared.ToOriginal(IndexOf(prepared.Text, line, column));
        if (index < text.Length && !char.IsWhiteSpace(text[index]))
        {
            cleaned += $" '{text[index]}'";
        }
        else if (index >= text.Length)
        {
            cleaned += " (the expression ends too early)";
        }

        return ExpressionSyntaxError.At(text, cleaned, index);
    }

    private static int IndexOf(string text, int line, int column)
    {
        var index = 0;
        for (var current = 1; current < line && index < text.Length; index++)
        {
            if (text[index] == '\n')
            {
                current++;
            }
        }

        return Math.Min(index + column - 1, text.Length);
    }

    [GeneratedRegex(@"\s*at position \((?<line>\d+):(?<column>\d+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex PositionPattern();
}
