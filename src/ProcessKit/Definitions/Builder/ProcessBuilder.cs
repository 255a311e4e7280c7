using ProcessKit.Definitions.Validation;

namespace ProcessKit.Definitions;

/// <summary>
/// Builds a <see cref="ProcessDefinition"/> in fluent C#: declare the roles, then the steps (each
/// declaration returns a typed handle), then connect the handles with flows, and call
/// <see cref="Build()"/>.
/// </summary>
/// <remarks>
/// <para>
/// Steps are kept in declaration order, and the first declared step is the start step unless
/// <see cref="StartAt"/> says otherwise. Because every step is declared before it is connected,
/// backward flows (rework loops) are written like any other flow.
/// </para>
/// <para>
/// Methods refuse only what cannot be written down at all (a <see langword="null"/> or empty
/// argument, a handle from another builder) with an <see cref="ArgumentException"/>; every other
/// problem (an unknown field, a decision without default, a step that cannot be reached...) is
/// reported by <see cref="Build()"/>, all at once, with the JSON pointer of each problem.
/// </para>
/// <para>
/// A builder is not thread-safe: use it from one thread. It can be built several times and
/// changed between builds; the definitions it returns are immutable and never change afterwards.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var p = ProcessBuilder.Create("cafe.serve-guest", "Serve a guest").Category("Cafe");
/// var waiter = p.Role("waiter", "Waiter").HourlyCost(350m);
/// var takeOrder = p.HumanTask("takeOrder", "Take the order", waiter).WorkTime(TimeSpan.FromMinutes(5));
/// var served = p.End("guestServed", "Guest served");
/// takeOrder.Then(served);
/// ProcessDefinition definition = p.Build();
/// </code>
/// </example>
public sealed partial class ProcessBuilder
{
    private readonly string _id;
    private readonly string _name;
    private readonly List<StepHandle> _steps = [];
    private readonly List<RoleHandle> _roles = [];
    private readonly List<SupplierHandle> _suppliers = [];
    private readonly List<ClientHandle> _clients = [];
    private readonly List<DeadlineHandle> _deadlines = [];
    private readonly List<TriggerDefinition> _triggers = [];
    private int _version = 1;
    private string? _description;
    private ProcessKind _kind;
    private string? _category;
    private string? _goal;
    private string? _ownerRole;
    private string? _startStep;
    private ProcessTargets? _targets;

    private ProcessBuilder(string id, string name)
    {
        _id = id;
        _name = name;
    }

    /// <summary>The id of the process being built.</summary>
    public string Id => _id;

    /// <summary>Starts a new process definition.</summary>
    /// <param name="id">The process id, stable across versions (for example <c>cafe.serve-guest</c>).</param>
    /// <param name="name">A name for people.</param>
    /// <returns>A new, empty builder: version 1, kind <see cref="ProcessKind.Core"/>, started by hand.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    public static ProcessBuilder Create(string id, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new ProcessBuilder(id, name);
    }

    /// <summary>Sets the version. Default 1; it must be at least 1 (checked by <see cref="Build()"/>).</summary>
    /// <param name="version">The version, counted from 1.</param>
    /// <returns>This builder.</returns>
    public ProcessBuilder Version(int version)
    {
        _version = version;
        return this;
    }

    /// <summary>Sets what the process is for, for people. Default none.</summary>
    /// <param name="description">The description.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="description"/> is <see langword="null"/>, empty or white space.</exception>
    public ProcessBuilder Description(string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        _description = description;
        return this;
    }

    /// <summary>Sets the kind of process. Default <see cref="ProcessKind.Core"/>.</summary>
    /// <param name="kind">Core, supporting or management.</param>
    /// <returns>This builder.</returns>
    public ProcessBuilder Kind(ProcessKind kind)
    {
        _kind = kind;
        return this;
    }

    /// <summary>Sets the free grouping label (for example "Sales"). Default none.</summary>
    /// <param name="category">The category.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="category"/> is <see langword="null"/>, empty or white space.</exception>
    public ProcessBuilder Category(string category)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        _category = category;
        return this;
    }

    /// <summary>Sets what "done well" means, in words. Default none.</summary>
    /// <param name="goal">The goal.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="goal"/> is <see langword="null"/>, empty or white space.</exception>
    public ProcessBuilder Goal(string goal)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(goal);
        _goal = goal;
        return this;
    }

    /// <summary>Sets the role that owns the process. Default none.</summary>
    /// <param name="role">A role declared on this builder.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="role"/> was declared on another builder.</exception>
    public ProcessBuilder Owner(RoleHandle role)
    {
        _ownerRole = Own(role).Id;
        return this;
    }

    /// <summary>Sets the targets for cycle time, cost and satisfaction. Default none; a later call replaces an earlier one.</summary>
    /// <param name="targets">The targets.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="targets"/> is <see langword="null"/>.</exception>
    public ProcessBuilder Targets(ProcessTargets targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        _targets = targets;
        return this;
    }

    /// <summary>
    /// Adds a way instances start, for example <see cref="TriggerDefinition.OnMessage(string)"/>.
    /// Default none, which means started by hand only.
    /// </summary>
    /// <param name="trigger">The trigger.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="trigger"/> is <see langword="null"/>.</exception>
    public ProcessBuilder TriggeredBy(TriggerDefinition trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        _triggers.Add(trigger);
        return this;
    }

    /// <summary>Sets the start step. Default: the first step declared.</summary>
    /// <param name="step">A step declared on this builder.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="step"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="step"/> was declared on another builder.</exception>
    public ProcessBuilder StartAt(StepHandle step)
    {
        _startStep = Own(step).Id;
        return this;
    }

    /// <summary>
    /// Creates the definition, validates it, and returns it when it has no error. Warnings do not
    /// throw; use <see cref="BuildWithWarnings"/> to see them.
    /// </summary>
    /// <returns>The immutable definition. Building twice without changes gives equal definitions.</returns>
    /// <exception cref="DefinitionException">The definition has at least one error; <see cref="DefinitionException.Problems"/> lists every problem, each with its path.</exception>
    public ProcessDefinition Build() => BuildWithWarnings(out _);

    /// <summary>Creates the definition, validates it, and returns it with its warnings when it has no error.</summary>
    /// <param name="warnings">The warnings found (for example an automated loop); empty when there are none.</param>
    /// <returns>The immutable definition. Building twice without changes gives equal definitions.</returns>
    /// <exception cref="DefinitionException">The definition has at least one error; <see cref="DefinitionException.Problems"/> lists every problem, each with its path.</exception>
    public ProcessDefinition BuildWithWarnings(out ValueArray<DefinitionProblem> warnings) =>
        BuildWith(ProcessDefinitionValidator.Validate, out warnings);

    /// <summary>Builds with a given validator; the seam lets tests drive the error and warning paths.</summary>
    internal ProcessDefinition BuildWith(Func<ProcessDefinition, ValueArray<DefinitionProblem>> validate, out ValueArray<DefinitionProblem> warnings)
    {
        var definition = CreateDefinition();
        var problems = validate(definition);
        if (problems.Any(static p => p.Severity == ProblemSeverity.Error))
        {
            throw new DefinitionException(problems, _id);
        }

        warnings = problems;
        return definition;
    }

    /// <summary>Creates the definition without validating it.</summary>
    internal ProcessDefinition CreateDefinition() => new(_id, _name)
    {
        Version = _version,
        Description = _description,
        Kind = _kind,
        Category = _category,
        Goal = _goal,
        OwnerRole = _ownerRole,
        Suppliers = [.. _suppliers.Select(static s => s.ToSupplier())],
        Clients = [.. _clients.Select(static c => c.ToClient())],
        Roles = [.. _roles.Select(static r => r.ToRole())],
        Steps = [.. _steps.Select(static s => s.ToStep())],
        StartStep = _startStep,
        Deadlines = [.. _deadlines.Select(static d => d.ToDeadline())],
        Targets = _targets,
        Triggers = [.. _triggers],
    };
}
