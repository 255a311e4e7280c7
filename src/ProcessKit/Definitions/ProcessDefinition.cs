namespace ProcessKit.Definitions;

/// <summary>
/// A business process, described once: who supplies its input, who receives its output, the roles,
/// the steps and the flows between them, its kind, category and goal, and its targets. Plain,
/// immutable data: build one with <see cref="ProcessBuilder"/> or read one from JSON with
/// <see cref="Json.ProcessDefinitionJson"/>; both validate it.
/// </summary>
/// <param name="Id">The process id, stable across versions. A letter followed by letters, digits, <c>_</c>, <c>-</c> or <c>.</c>.</param>
/// <param name="Name">A name for people.</param>
/// <remarks>
/// Immutable and thread-safe; compared by value (two definitions describing the same process are
/// equal). Creating one with <c>new</c> does not validate it: call
/// <see cref="Validation.ProcessDefinitionValidator.Validate(ProcessDefinition)"/>.
/// </remarks>
public sealed record ProcessDefinition(string Id, string Name)
{
    /// <summary>The version, counted from 1. Default 1.</summary>
    public int Version { get; init; } = 1;

    /// <summary>What the process is for, for people. Optional.</summary>
    public string? Description { get; init; }

    /// <summary>Core, supporting or management. Default <see cref="ProcessKind.Core"/>.</summary>
    public ProcessKind Kind { get; init; }

    /// <summary>A free grouping label ("Sales", "Cafe"). Optional.</summary>
    public string? Category { get; init; }

    /// <summary>What "done well" means, in words. Optional.</summary>
    public string? Goal { get; init; }

    /// <summary>The id of the role that owns the process. Optional.</summary>
    public string? OwnerRole { get; init; }

    /// <summary>Who supplies the input, and what it is.</summary>
    public ValueArray<Supplier> Suppliers { get; init; }

    /// <summary>Who receives the output, and what it is.</summary>
    public ValueArray<Client> Clients { get; init; }

    /// <summary>The roles that do the work.</summary>
    public ValueArray<RoleDefinition> Roles { get; init; }

    /// <summary>The steps. The instance starts at <see cref="StartStep"/>.</summary>
    public ValueArray<StepDefinition> Steps { get; init; }

    /// <summary>The id of the first step; <see langword="null"/> means the first step listed.</summary>
    public string? StartStep { get; init; }

    /// <summary>Deadlines over spans of the process (for example order to serving).</summary>
    public ValueArray<DeadlineDefinition> Deadlines { get; init; }

    /// <summary>The targets for cost, cycle time and satisfaction. Optional.</summary>
    public ProcessTargets? Targets { get; init; }

    /// <summary>What starts instances. Empty means started by hand only.</summary>
    public ValueArray<TriggerDefinition> Triggers { get; init; }

    /// <summary>
    /// Whether any expression of the definition is a C# lambda. Such a definition runs, but cannot
    /// be written to JSON.
    /// </summary>
    public bool ContainsLambdas => DefinitionWalker.Expressions(this).Any(static e => e.Expression.IsLambda);

    /// <summary>The step the instance starts at: <see cref="StartStep"/>, or the first step listed.</summary>
    /// <returns>The id, or <see langword="null"/> when there are no steps.</returns>
    public string? GetStartStepId() => StartStep ?? (Steps.IsEmpty ? null : Steps[0].Id);
}
