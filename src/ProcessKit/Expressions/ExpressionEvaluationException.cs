namespace ProcessKit.Expressions;

/// <summary>
/// An expression failed while being evaluated (for example a text where a number was expected).
/// Error code: <c>expression.failed</c>. The message names the expression and the cause.
/// </summary>
internal sealed class ExpressionEvaluationException : ProcessKitException
{
    /// <summary>The error code of this exception.</summary>
    public const string Code = "expression.failed";

    /// <summary>Creates the exception.</summary>
    public ExpressionEvaluationException(string expression, Exception innerException)
        : base(Code, $"The expression '{expression}' could not be evaluated: {innerException?.Message}", innerException)
    {
        Expression = expression;
    }

    /// <summary>The expression text.</summary>
    public string Expression { get; }
}
