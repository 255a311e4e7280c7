namespace ProcessKit.Definitions;

/// <summary>An automated step declared with <see cref="ProcessBuilder.Automated"/>: work done by a handler the host registers by name.</summary>
/// <remarks>Not thread-safe, like the builder it belongs to. It can be used only with that builder.</remarks>
public sealed class AutomatedStepHandle : StepHandle<AutomatedStepHandle>
{
    private readonly string _handler;
    private readonly List<string> _reads = [];
    private readonly List<DataField> _writes = [];
    private bool _asynchronous;
    private RetryPolicy? _retry;
    private TimeSpan? _timeout;
    private MultiInstance? _multiInstance;

    internal AutomatedStepHandle(ProcessBuilder builder, string id, string name, string handler)
        : base(builder, id, name)
    {
        _handler = handler;
    }

    /// <summary>Adds the flow taken when the handler has run.</summary>
    /// <param name="next">The next step, declared on the same builder; it may be an earlier step (a loop).</param>
    /// <param name="path">The kind of path. Default <see cref="PathKind.Happy"/>.</param>
    /// <param name="label">A label for diagrams. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="next"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="next"/> was declared on another builder.</exception>
    public AutomatedStepHandle Then(StepHandle next, PathKind path = PathKind.Happy, string? label = null)
    {
        AddFlow(next, nameof(next), path, label);
        return this;
    }

    /// <summary>Sets the role in whose lane the step is drawn. Default none.</summary>
    /// <param name="role">A role declared on the same builder.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="role"/> was declared on another builder.</exception>
    public AutomatedStepHandle Role(RoleHandle role) => SetRole(role, nameof(role));

    /// <summary>
    /// Runs the handler as a job outside the transition: leased, retried with backoff, an incident
    /// after its last attempt. Default: it runs inline.
    /// </summary>
    /// <returns>This handle.</returns>
    public AutomatedStepHandle Asynchronous()
    {
        _asynchronous = true;
        return this;
    }

    /// <summary>Sets how failures are retried. Default none: the engine's default applies.</summary>
    /// <param name="retry">The retry policy, for example <c>new RetryPolicy { MaxAttempts = 5 }</c>.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="retry"/> is <see langword="null"/>.</exception>
    public AutomatedStepHandle Retry(RetryPolicy retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        _retry = retry;
        return this;
    }

    /// <summary>Sets how long one attempt may take. Default none.</summary>
    /// <param name="timeout">The time; positive (checked by <see cref="ProcessBuilder.Build()"/>).</param>
    /// <returns>This handle.</returns>
    public AutomatedStepHandle Timeout(TimeSpan timeout)
    {
        _timeout = timeout;
        return this;
    }

    /// <summary>Adds the names of fields the handler reads.</summary>
    /// <param name="fields">The field names, added after any added before.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentException">A name is <see langword="null"/>, empty or white space.</exception>
    public AutomatedStepHandle Reads(params string[] fields)
    {
        BuilderArguments.AddAllNames(_reads, fields);
        return this;
    }

    /// <summary>Adds fields the handler writes. Create them with <see cref="Field"/>.</summary>
    /// <param name="fields">The fields, added after any added before.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="fields"/> or one of its items is <see langword="null"/>.</exception>
    public AutomatedStepHandle Writes(params DataField[] fields)
    {
        BuilderArguments.AddAll(_writes, fields);
        return this;
    }

    /// <summary>Runs the handler once per item of a list. Default: once.</summary>
    /// <param name="collection">An expression giving the list.</param>
    /// <param name="itemName">The name under which each run sees its item.</param>
    /// <param name="mode">Parallel (the default) or sequential.</param>
    /// <param name="requiredCompletions">"M of N": complete after this many runs. Default <see langword="null"/>: all.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="collection"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="itemName"/> is <see langword="null"/>, empty or white space.</exception>
    public AutomatedStepHandle ForEach(ProcessExpression collection, string itemName, MultiInstanceMode mode = MultiInstanceMode.Parallel, int? requiredCompletions = null)
    {
        _multiInstance = BuilderArguments.MultiInstance(collection, itemName, mode, requiredCompletions);
        return this;
    }

    private protected override StepDefinition CreateStep() => new AutomatedStep(Id, Name, _handler)
    {
        Asynchronous = _asynchronous,
        Retry = _retry,
        Timeout = _timeout,
        Reads = [.. _reads],
        Writes = [.. _writes],
        MultiInstance = _multiInstance,
    };
}
