namespace ProcessKit.Definitions;

/// <summary>A message wait declared with <see cref="ProcessBuilder.WaitMessage"/>: waits for a named message for this instance (a client's reply, a "delivered" notice).</summary>
/// <remarks>Not thread-safe, like the builder it belongs to. It can be used only with that builder.</remarks>
public sealed class WaitMessageHandle : StepHandle<WaitMessageHandle>
{
    private readonly string _message;
    private readonly List<DataField> _writes = [];
    private readonly List<Escalation> _escalations = [];
    private ProcessExpression? _correlation;
    private MessageTimeout? _timeout;

    internal WaitMessageHandle(ProcessBuilder builder, string id, string name, string message)
        : base(builder, id, name)
    {
        _message = message;
    }

    /// <summary>Adds the flow taken when the message has come.</summary>
    /// <param name="next">The next step, declared on the same builder; it may be an earlier step (a loop).</param>
    /// <param name="path">The kind of path. Default <see cref="PathKind.Happy"/>.</param>
    /// <param name="label">A label for diagrams. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="next"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="next"/> was declared on another builder.</exception>
    public WaitMessageHandle Then(StepHandle next, PathKind path = PathKind.Happy, string? label = null)
    {
        AddFlow(next, nameof(next), path, label);
        return this;
    }

    /// <summary>Sets the role in whose lane the step is drawn and who is reminded while waiting. Default none.</summary>
    /// <param name="role">A role declared on the same builder.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="role"/> was declared on another builder.</exception>
    public WaitMessageHandle Role(RoleHandle role) => SetRole(role, nameof(role));

    /// <summary>Sets the correlation key a message must carry to reach this instance. Default none.</summary>
    /// <param name="correlation">An expression over the instance data, for example <c>dealId</c>.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="correlation"/> is <see langword="null"/>.</exception>
    public WaitMessageHandle CorrelatedBy(ProcessExpression correlation)
    {
        ArgumentNullException.ThrowIfNull(correlation);
        _correlation = correlation;
        return this;
    }

    /// <summary>Adds fields of the message payload that are merged into the instance data. Create them with <see cref="Field"/>.</summary>
    /// <param name="fields">The fields, added after any added before.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="fields"/> or one of its items is <see langword="null"/>.</exception>
    public WaitMessageHandle Writes(params DataField[] fields)
    {
        BuilderArguments.AddAll(_writes, fields);
        return this;
    }

    /// <summary>Sets the path taken when no message comes in time. Default none: the step waits for ever.</summary>
    /// <param name="after">When the wait gives up: a <see cref="TimeSpan"/> (converts implicitly) or <see cref="DueTime.AtExpression"/>.</param>
    /// <param name="next">The step to go to, declared on the same builder.</param>
    /// <param name="path">The kind of path. Default <see cref="PathKind.Exception"/>.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="after"/> or <paramref name="next"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="next"/> was declared on another builder.</exception>
    public WaitMessageHandle Timeout(DueTime after, StepHandle next, PathKind path = PathKind.Exception)
    {
        ArgumentNullException.ThrowIfNull(after);
        _timeout = new MessageTimeout(after, Builder.Own(next).Id) { Path = path };
        return this;
    }

    /// <summary>While waiting, reminds the step's role (non-interrupting).</summary>
    /// <param name="at">When, for example one day after the wait started.</param>
    /// <param name="message">The reminder's text. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="at"/> is <see langword="null"/>.</exception>
    public WaitMessageHandle OnLateRemind(DueTime at, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(at);
        _escalations.Add(EscalationFactory.Remind(at, message));
        return this;
    }

    /// <summary>While waiting, tells another role (non-interrupting).</summary>
    /// <param name="role">The role to tell, declared on the same builder.</param>
    /// <param name="at">When, for example one day after the wait started.</param>
    /// <param name="message">The notification's text. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> or <paramref name="at"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="role"/> was declared on another builder.</exception>
    public WaitMessageHandle OnLateNotifyRole(RoleHandle role, DueTime at, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(at);
        _escalations.Add(EscalationFactory.NotifyRole(Builder, role, at, message));
        return this;
    }

    private protected override StepDefinition CreateStep() => new WaitMessageStep(Id, Name, _message)
    {
        Correlation = _correlation,
        Writes = [.. _writes],
        Timeout = _timeout,
        Escalations = [.. _escalations],
    };
}
