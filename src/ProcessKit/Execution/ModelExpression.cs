using ProcessKit.Definitions;
using ProcessKit.Expressions;

namespace ProcessKit.Execution;

/// <summary>An expression of a compiled model: parsed text or a lambda, evaluated against the instance data.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
internal sealed class ModelExpression
{
    private readonly CompiledExpression? _compiled;
    private readonly Func<IReadOnlyDictionary<string, object?>, object?>? _lambda;

    public ModelExpression(ProcessExpression expression)
    {
        Text = expression.Text;
        _lambda = expression.Lambda;
        if (_lambda is null)
        {
            _compiled = ExpressionLanguage.Compile(expression.Text);
        }
    }

    public string Text { get; }

    public object? Evaluate(IReadOnlyDictionary<string, object?> data, TimeProvider time, CancellationToken cancellationToken) =>
        _compiled is not null ? _compiled.Evaluate(data, time, cancellationToken) : _lambda!(data);

    public bool EvaluateCondition(IReadOnlyDictionary<string, object?> data, TimeProvider time, CancellationToken cancellationToken)
    {
        if (_compiled is not null)
        {
            return _compiled.EvaluateCondition(data, time, cancellationToken);
        }

        return _lambda!(data) switch
        {
            bool value => value,
            null => false,
            _ => throw new ExpressionEvaluationException(Text, new InvalidOperationException("A condition must give true or false.")),
        };
    }
}

/// <summary>A compiled due time: a fixed delay, or a date-time from the data.</summary>
internal sealed class ModelDue(TimeSpan? after, ModelExpression? at)
{
    public static ModelDue? From(DueTime? due) => due is null ? null : new ModelDue(due.After, due.At is null ? null : new ModelExpression(due.At));

    public DateTimeOffset Resolve(DateTimeOffset from, IReadOnlyDictionary<string, object?> data, TimeProvider time, CancellationToken cancellationToken)
    {
        if (after is { } delay)
        {
            return from + delay;
        }

        var value = at!.Evaluate(data, time, cancellationToken);
        return ExpressionValues.ToDateTimeOffset(value, at.Text) ?? from;
    }
}

/// <summary>A compiled escalation.</summary>
internal sealed class ModelEscalation(Escalation escalation, ModelDue? at, int role, int target)
{
    public EscalationAction Action => escalation.Action;

    public ModelDue? At { get; } = at;

    public int Role { get; } = role;

    public int Target { get; } = target;

    public bool Interrupting => escalation.Interrupting;

    public PathKind Path => escalation.Path;

    public string? Message => escalation.Message;
}

/// <summary>A compiled flow.</summary>
internal sealed class ModelEdge(int target, ModelExpression? when, string? outcome, bool isDefault, PathKind path)
{
    public int Target { get; } = target;

    public ModelExpression? When { get; } = when;

    public string? Outcome { get; } = outcome;

    public bool IsDefault { get; } = isDefault;

    public PathKind Path { get; } = path;
}

/// <summary>A compiled span deadline.</summary>
internal sealed class ModelSpan(string id, int from, int until, ModelDue within, ModelEscalation[] escalations, bool[] inside)
{
    /// <summary>Per node: whether the step lies inside the span (reachable from <see cref="From"/> before <see cref="Until"/>).</summary>
    public bool[] Inside { get; } = inside;

    public string Id { get; } = id;

    public int From { get; } = from;

    /// <summary>The step that stops the clock, or -1 for the end of the instance.</summary>
    public int Until { get; } = until;

    public ModelDue Within { get; } = within;

    public ModelEscalation[] Escalations { get; } = escalations;
}
