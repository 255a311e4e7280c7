using System.Runtime.CompilerServices;

namespace ProcessKit.Definitions;

/// <summary>
/// A condition, data mapping, deadline or assignee written in ProcessKit's small sandboxed
/// expression language (for example <c>amount &gt; 100 &amp;&amp; isVip</c>), or, in fluent C# only,
/// a lambda over the instance data.
/// </summary>
/// <remarks>
/// <para>
/// Text expressions are parsed and checked when the definition is validated, so a typo or an
/// unknown field is a definition error rather than a runtime surprise. The language has no access
/// to the CLR, files or the network; see <c>docs/definitions.md</c> for its operators and functions.
/// </para>
/// <para>
/// A lambda expression cannot be written to JSON: a definition holding one reports
/// <see cref="ProcessDefinition.ContainsLambdas"/> and refuses JSON export with a clear message.
/// Two lambda expressions are equal only when they hold the same delegate.
/// Instances are immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class ProcessExpression : IEquatable<ProcessExpression>
{
    private ProcessExpression(string text, Func<IReadOnlyDictionary<string, object?>, object?>? lambda)
    {
        Text = text;
        Lambda = lambda;
    }

    /// <summary>
    /// The expression text; for a lambda, the C# source of the lambda as the compiler saw it
    /// (used for diagrams and messages only).
    /// </summary>
    public string Text { get; }

    /// <summary>The C# lambda, or <see langword="null"/> for a text expression.</summary>
    public Func<IReadOnlyDictionary<string, object?>, object?>? Lambda { get; }

    /// <summary>Whether this expression is a C# lambda (and so cannot be exported to JSON).</summary>
    public bool IsLambda => Lambda is not null;

    /// <summary>Creates a text expression.</summary>
    /// <param name="text">The expression in ProcessKit's expression language.</param>
    /// <returns>The expression. It is checked when the definition is validated.</returns>
    /// <exception cref="ArgumentException"><paramref name="text"/> is empty or white space.</exception>
    public static ProcessExpression FromText(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return new ProcessExpression(text, null);
    }

    /// <summary>Creates an expression from a C# lambda over the instance data (fluent C# only).</summary>
    /// <param name="lambda">The lambda; it receives the instance data by field name.</param>
    /// <param name="source">The lambda's source text; filled in by the compiler.</param>
    /// <returns>The expression.</returns>
    public static ProcessExpression FromLambda(
        Func<IReadOnlyDictionary<string, object?>, object?> lambda,
        [CallerArgumentExpression(nameof(lambda))] string source = "")
    {
        ArgumentNullException.ThrowIfNull(lambda);
        return new ProcessExpression(string.IsNullOrWhiteSpace(source) ? "<lambda>" : source, lambda);
    }

    /// <summary>Creates a text expression.</summary>
    /// <param name="text">The expression text.</param>
    public static implicit operator ProcessExpression(string text) => FromText(text);

    /// <inheritdoc />
    public bool Equals(ProcessExpression? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            (Lambda is null ? other.Lambda is null && string.Equals(Text, other.Text, StringComparison.Ordinal)
                            : ReferenceEquals(Lambda, other.Lambda)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ProcessExpression);

    /// <inheritdoc />
    public override int GetHashCode() => Lambda is null ? StringComparer.Ordinal.GetHashCode(Text) : Lambda.GetHashCode();

    /// <summary>Returns the expression text.</summary>
    public override string ToString() => Text;
}
