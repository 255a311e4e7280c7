namespace ProcessKit.Definitions;

/// <summary>
/// When something is due: either a fixed length of time after the step (or span) starts, or a
/// point in time computed from the instance data by an expression (for example the delivery date
/// the client asked for). Exactly one of <see cref="After"/> and <see cref="At"/> is set.
/// </summary>
/// <remarks>Immutable and thread-safe. In JSON: <c>{"after": "PT15M"}</c> or <c>{"at": "requestedDate"}</c>.</remarks>
public sealed record DueTime
{
    private DueTime(TimeSpan? after, ProcessExpression? at)
    {
        After = after;
        At = at;
    }

    /// <summary>A length of time after the start; must be positive.</summary>
    public TimeSpan? After { get; }

    /// <summary>An expression giving the due date-time.</summary>
    public ProcessExpression? At { get; }

    /// <summary>Due <paramref name="after"/> the start.</summary>
    /// <param name="after">A positive length of time (checked when the definition is validated).</param>
    /// <returns>The due time.</returns>
    public static DueTime In(TimeSpan after) => new(after, null);

    /// <summary>Due at the date-time an expression gives.</summary>
    /// <param name="at">An expression returning a date-time.</param>
    /// <returns>The due time.</returns>
    public static DueTime AtExpression(ProcessExpression at)
    {
        ArgumentNullException.ThrowIfNull(at);
        return new(null, at);
    }

    /// <summary>Due <paramref name="after"/> the start.</summary>
    /// <param name="after">A positive length of time.</param>
    public static implicit operator DueTime(TimeSpan after) => In(after);

    /// <summary>Returns the duration or the expression.</summary>
    public override string ToString() => After?.ToString() ?? At!.Text;
}
