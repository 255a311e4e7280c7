namespace ProcessKit.Definitions;

/// <summary>A parallel join declared with <see cref="ProcessBuilder.ParallelJoin"/>: waits until every branch of its split has arrived, then goes on.</summary>
/// <remarks>Not thread-safe, like the builder it belongs to. It can be used only with that builder.</remarks>
public sealed class ParallelJoinHandle : StepHandle<ParallelJoinHandle>
{
    private readonly string _split;

    internal ParallelJoinHandle(ProcessBuilder builder, string id, string name, string split)
        : base(builder, id, name)
    {
        _split = split;
    }

    /// <summary>Adds the flow taken when every branch has arrived.</summary>
    /// <param name="next">The next step, declared on the same builder; it may be an earlier step (a loop).</param>
    /// <param name="path">The kind of path. Default <see cref="PathKind.Happy"/>.</param>
    /// <param name="label">A label for diagrams. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="next"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="next"/> was declared on another builder.</exception>
    public ParallelJoinHandle Then(StepHandle next, PathKind path = PathKind.Happy, string? label = null)
    {
        AddFlow(next, nameof(next), path, label);
        return this;
    }

    /// <summary>Sets the role in whose lane the step is drawn. Default none.</summary>
    /// <param name="role">A role declared on the same builder.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="role"/> was declared on another builder.</exception>
    public ParallelJoinHandle Role(RoleHandle role) => SetRole(role, nameof(role));

    private protected override StepDefinition CreateStep() => new ParallelJoinStep(Id, Name, _split);
}
