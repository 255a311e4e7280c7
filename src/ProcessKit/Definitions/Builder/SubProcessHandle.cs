namespace ProcessKit.Definitions;

/// <summary>A sub-process call declared with <see cref="ProcessBuilder.SubProcess"/>: runs another process and waits for it to end.</summary>
/// <remarks>Not thread-safe, like the builder it belongs to. It can be used only with that builder.</remarks>
public sealed class SubProcessHandle : StepHandle<SubProcessHandle>
{
    private readonly string _processId;
    private readonly List<DataMapping> _inputs = [];
    private readonly List<DataMapping> _outputs = [];
    private int? _version;
    private MultiInstance? _multiInstance;

    internal SubProcessHandle(ProcessBuilder builder, string id, string name, string processId)
        : base(builder, id, name)
    {
        _processId = processId;
    }

    /// <summary>Adds the flow taken when the sub-process has ended.</summary>
    /// <param name="next">The next step, declared on the same builder; it may be an earlier step (a loop).</param>
    /// <param name="path">The kind of path. Default <see cref="PathKind.Happy"/>.</param>
    /// <param name="label">A label for diagrams. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="next"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="next"/> was declared on another builder.</exception>
    public SubProcessHandle Then(StepHandle next, PathKind path = PathKind.Happy, string? label = null)
    {
        AddFlow(next, nameof(next), path, label);
        return this;
    }

    /// <summary>Sets the role in whose lane the step is drawn. Default none.</summary>
    /// <param name="role">A role declared on the same builder.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="role"/> was declared on another builder.</exception>
    public SubProcessHandle Role(RoleHandle role) => SetRole(role, nameof(role));

    /// <summary>Sets the version of the process to run. Default: the newest deployed one.</summary>
    /// <param name="version">The version, at least 1 (checked by <see cref="ProcessBuilder.Build()"/>).</param>
    /// <returns>This handle.</returns>
    public SubProcessHandle Version(int version)
    {
        _version = version;
        return this;
    }

    /// <summary>Sets a field of the sub-process's start data from this instance's data.</summary>
    /// <param name="target">The sub-process's input field.</param>
    /// <param name="value">An expression over this instance's data.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentException"><paramref name="target"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public SubProcessHandle Input(string target, ProcessExpression value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        ArgumentNullException.ThrowIfNull(value);
        _inputs.Add(new DataMapping(target, value));
        return this;
    }

    /// <summary>Sets a field of this instance's data from the sub-process's results.</summary>
    /// <param name="target">This instance's field.</param>
    /// <param name="value">An expression over the sub-process's results.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentException"><paramref name="target"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public SubProcessHandle Output(string target, ProcessExpression value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        ArgumentNullException.ThrowIfNull(value);
        _outputs.Add(new DataMapping(target, value));
        return this;
    }

    /// <summary>Runs the sub-process once per item of a list. Default: once.</summary>
    /// <param name="collection">An expression giving the list.</param>
    /// <param name="itemName">The name under which each run sees its item.</param>
    /// <param name="mode">Parallel (the default) or sequential.</param>
    /// <param name="requiredCompletions">"M of N": complete after this many runs. Default <see langword="null"/>: all.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="collection"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="itemName"/> is <see langword="null"/>, empty or white space.</exception>
    public SubProcessHandle ForEach(ProcessExpression collection, string itemName, MultiInstanceMode mode = MultiInstanceMode.Parallel, int? requiredCompletions = null)
    {
        _multiInstance = BuilderArguments.MultiInstance(collection, itemName, mode, requiredCompletions);
        return this;
    }

    private protected override StepDefinition CreateStep() => new SubProcessStep(Id, Name, _processId)
    {
        Version = _version,
        Inputs = [.. _inputs],
        Outputs = [.. _outputs],
        MultiInstance = _multiInstance,
    };
}
