namespace ProcessKit.Definitions;

/// <summary>A parallel split declared with <see cref="ProcessBuilder.ParallelSplit"/>: starts every branch at once; the branches meet again at the join declared with <see cref="ProcessBuilder.ParallelJoin"/> for this split.</summary>
/// <remarks>Not thread-safe, like the builder it belongs to. It can be used only with that builder.</remarks>
public sealed class ParallelSplitHandle : StepHandle<ParallelSplitHandle>
{
    internal ParallelSplitHandle(ProcessBuilder builder, string id, string name)
        : base(builder, id, name)
    {
    }

    /// <summary>Adds a branch that starts with <paramref name="first"/>.</summary>
    /// <param name="first">The first step of the branch, declared on the same builder.</param>
    /// <param name="path">The kind of path. Default <see cref="PathKind.Happy"/>.</param>
    /// <param name="label">A label for diagrams. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="first"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="first"/> was declared on another builder.</exception>
    public ParallelSplitHandle Branch(StepHandle first, PathKind path = PathKind.Happy, string? label = null)
    {
        AddFlow(first, nameof(first), path, label);
        return this;
    }

    /// <summary>Sets the role in whose lane the step is drawn. Default none.</summary>
    /// <param name="role">A role declared on the same builder.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="role"/> was declared on another builder.</exception>
    public ParallelSplitHandle Role(RoleHandle role) => SetRole(role, nameof(role));

    private protected override StepDefinition CreateStep() => new ParallelSplitStep(Id, Name);
}
