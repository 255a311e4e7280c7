using System.Collections.Immutable;
using System.Globalization;
using NCalc;
using NCalc.Helpers;
using NCalc.Visitors;

namespace ProcessKit.Expressions;

/// <summary>
/// An expression parsed once and checked against the function registry, ready to be evaluated
/// any number of times against instance data. Made by <see cref="ExpressionLanguage.Compile(string)"/>.
/// </summary>
/// <remarks>
/// Immutable and thread-safe: the parsed tree is shared and never changed; each evaluation uses
/// its own context. Numbers with a decimal point are <see cref="decimal"/>; <c>Round</c> rounds
/// midpoints away from zero; text compares ordinally.
/// </remarks>
internal sealed class CompiledExpression
{
    private static readonly ExpressionEvaluationOptions Options = new()
    {
        Math = new MathOptions
        {
            FloatingPointNumberType = FloatingPointNumberType.Decimal,
            MidpointRounding = MidpointRounding.AwayFromZero,
        },
        StringComparer = StringComparer.Ordinal,
    };

    private readonly LogicalExpression _tree;

    // When the whole expression is one field name (a correlation key, a role's user): read directly, as the tree would.
    private readonly string? _field;

    internal CompiledExpression(string text, LogicalExpression tree, ImmutableArray<string> fields)
    {
        Text = text;
        _tree = tree;
        Fields = fields;
        _field = tree is Identifier { Name: not "null" } identifier ? identifier.Name : null;
    }

    /// <summary>The expression text.</summary>
    public string Text { get; }

    /// <summary>The fields the expression reads (first segments of dotted names).</summary>
    public ImmutableArray<string> Fields { get; }

    /// <summary>Evaluates the expression.</summary>
    /// <param name="fields">The instance data by field name; a missing field reads as null.</param>
    /// <param name="timeProvider">The clock <c>now()</c> reads.</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>The value: a boolean, number, text, date-time, list or null.</returns>
    /// <exception cref="ExpressionEvaluationException">The expression failed on this data.</exception>
    public object? Evaluate(IReadOnlyDictionary<string, object?> fields, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (_field is not null)
        {
            try
            {
                return FieldValues.Read(fields, _field);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new ExpressionEvaluationException(Text, ex);
            }
        }

        var context = new ExpressionContext(new FieldValues(fields), null, ExpressionFunctions.For(timeProvider), null, null);
        var visitor = new EvaluationVisitor(context, Options, CultureInfo.InvariantCulture, null, cancellationToken);
        try
        {
            return _tree.Accept(visitor);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new ExpressionEvaluationException(Text, ex);
        }
    }

    /// <summary>Evaluates the expression as a condition.</summary>
    /// <param name="fields">The instance data by field name; a missing field reads as null.</param>
    /// <param name="timeProvider">The clock <c>now()</c> reads.</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>The boolean result; null counts as <see langword="false"/>.</returns>
    /// <exception cref="ExpressionEvaluationException">The expression failed, or gave something other than a boolean.</exception>
    public bool EvaluateCondition(IReadOnlyDictionary<string, object?> fields, TimeProvider timeProvider, CancellationToken cancellationToken = default) =>
        Evaluate(fields, timeProvider, cancellationToken) switch
        {
            bool value => value,
            null => false,
            var other => throw new ExpressionEvaluationException(
                Text, new InvalidOperationException($"A condition must give true or false, not {ExpressionValues.Describe(other)}.")),
        };

    /// <summary>Returns the expression text.</summary>
    public override string ToString() => Text;
}
