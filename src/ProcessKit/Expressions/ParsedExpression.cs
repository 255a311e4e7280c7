using System.Collections.Immutable;
using NCalc;

namespace ProcessKit.Expressions;

/// <summary>
/// The result of parsing an expression text: either a syntax error, or the parsed tree with the
/// names and functions it uses. Made by <see cref="ExpressionLanguage.Parse(string)"/>.
/// </summary>
/// <remarks>Immutable after creation and thread-safe.</remarks>
internal sealed class ParsedExpression
{
    internal ParsedExpression(string text, ExpressionSyntaxError error)
    {
        Text = text;
        SyntaxError = error;
    }

    internal ParsedExpression(string text, LogicalExpression tree, ImmutableArray<string> names, ImmutableArray<FunctionCall> calls)
    {
        Text = text;
        Tree = tree;
        Names = names;
        Calls = calls;
        Fields = [.. names.Select(ExpressionLanguage.FieldOf).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The expression text as written.</summary>
    public string Text { get; }

    /// <summary>Why the text does not parse, or <see langword="null"/> when it does.</summary>
    public ExpressionSyntaxError? SyntaxError { get; }

    /// <summary>The names the expression reads, as written (<c>lead.email</c>), in order of first use.</summary>
    public ImmutableArray<string> Names { get; } = [];

    /// <summary>The fields the expression reads: the first segment of each name, in order of first use.</summary>
    public ImmutableArray<string> Fields { get; } = [];

    /// <summary>The distinct function calls (name and argument count), in order of first use.</summary>
    public ImmutableArray<FunctionCall> Calls { get; } = [];

    /// <summary>The parsed tree; <see langword="null"/> when <see cref="SyntaxError"/> is set. Never changed after parsing.</summary>
    internal LogicalExpression? Tree { get; }

    /// <summary>The calls the language refuses (unknown function, member call, wrong number of arguments), with what to do instead.</summary>
    public IEnumerable<(FunctionCall Call, string Message, string Hint)> FunctionProblems()
    {
        foreach (var call in Calls)
        {
            if (ExpressionFunctions.Check(call) is { } problem)
            {
                yield return (call, problem.Message, problem.Hint);
            }
        }
    }

    /// <summary>Makes the evaluable form.</summary>
    /// <exception cref="ArgumentException">The text does not parse or calls a function the language does not have.</exception>
    public CompiledExpression Compile()
    {
        if (SyntaxError is { } error)
        {
            throw new ArgumentException($"The expression '{Text}' does not parse: {error}.");
        }

        if (FunctionProblems().FirstOrDefault() is { Message: { } message })
        {
            throw new ArgumentException($"The expression '{Text}' is refused: {message}");
        }

        return new CompiledExpression(Text, Tree!, Fields);
    }
}
