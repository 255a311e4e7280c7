namespace ProcessKit.Definitions;

/// <summary>An inclusive split declared with <see cref="ProcessBuilder.InclusiveSplit"/>: starts every branch whose condition holds (the <see cref="Otherwise"/> branch when none does); the branches meet at the merge declared with <see cref="ProcessBuilder.InclusiveMerge"/> for this split.</summary>
/// <remarks>Not thread-safe, like the builder it belongs to. It can be used only with that builder.</remarks>
public sealed class InclusiveSplitHandle : StepHandle<InclusiveSplitHandle>
{
    internal InclusiveSplitHandle(ProcessBuilder builder, string id, string name)
        : base(builder, id, name)
    {
    }

    /// <summary>Adds a branch started when <paramref name="condition"/> holds.</summary>
    /// <param name="condition">A boolean expression over the instance data, for example <c>discountPercent &gt; 10</c> (or <see cref="ProcessExpression.FromLambda"/>).</param>
    /// <param name="next">The step the flow leads to, declared on the same builder; it may be an earlier step (a loop).</param>
    /// <param name="path">The kind of path. Default <see cref="PathKind.Happy"/>.</param>
    /// <param name="label">A label for diagrams. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="condition"/> or <paramref name="next"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="next"/> was declared on another builder.</exception>
    public InclusiveSplitHandle When(ProcessExpression condition, StepHandle next, PathKind path = PathKind.Happy, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        AddFlow(next, nameof(next), path, label, when: condition);
        return this;
    }

    /// <summary>Adds the default branch, started when no condition holds. An inclusive split has exactly one.</summary>
    /// <param name="next">The step the flow leads to, declared on the same builder; it may be an earlier step (a loop).</param>
    /// <param name="path">The kind of path. Default <see cref="PathKind.Happy"/>.</param>
    /// <param name="label">A label for diagrams. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="next"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="next"/> was declared on another builder.</exception>
    public InclusiveSplitHandle Otherwise(StepHandle next, PathKind path = PathKind.Happy, string? label = null)
    {
        AddFlow(next, nameof(next), path, label, isDefault: true);
        return this;
    }

    /// <summary>Sets the role in whose lane the step is drawn. Default none.</summary>
    /// <param name="role">A role declared on the same builder.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="role"/> was declared on another builder.</exception>
    public InclusiveSplitHandle Role(RoleHandle role) => SetRole(role, nameof(role));

    private protected override StepDefinition CreateStep() => new InclusiveSplitStep(Id, Name);
}
