namespace ProcessKit.Definitions;

/// <summary>
/// A human task declared with <see cref="ProcessBuilder.HumanTask"/>: work a person in a role is
/// offered, claims and completes. Route it with <see cref="Then"/> (one way on) or with
/// <see cref="On"/> (one route per outcome the person chooses).
/// </summary>
/// <remarks>Not thread-safe, like the builder it belongs to. It can be used only with that builder.</remarks>
public sealed class HumanTaskHandle : StepHandle<HumanTaskHandle>
{
    private readonly List<string> _outcomes = [];
    private readonly List<string> _reads = [];
    private readonly List<DataField> _writes = [];
    private readonly List<Escalation> _escalations = [];
    private readonly List<string> _separateFrom = [];
    private TimeSpan? _goalTime;
    private DueTime? _deadline;
    private AllocationStrategy _strategy;
    private ProcessExpression? _assignee;
    private string? _retainFamiliar;
    private MultiInstance? _multiInstance;

    internal HumanTaskHandle(ProcessBuilder builder, string id, string name, string role)
        : base(builder, id, name)
    {
        RoleId = role;
    }

    /// <summary>Adds the flow taken when the task is completed (for a task without outcomes).</summary>
    /// <param name="next">The next step, declared on the same builder; it may be an earlier step (a loop).</param>
    /// <param name="path">The kind of path. Default <see cref="PathKind.Happy"/>.</param>
    /// <param name="label">A label for diagrams. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="next"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="next"/> was declared on another builder.</exception>
    public HumanTaskHandle Then(StepHandle next, PathKind path = PathKind.Happy, string? label = null)
    {
        AddFlow(next, nameof(next), path, label);
        return this;
    }

    /// <summary>
    /// Declares an outcome the person can choose (for example <c>dishUnavailable</c>) and the route it
    /// takes. Outcomes are listed in the order of the calls; calling again with the same outcome adds
    /// another flow without listing the outcome twice.
    /// </summary>
    /// <param name="outcome">The outcome name.</param>
    /// <param name="next">The step the outcome leads to, declared on the same builder; it may be an earlier step (a rework loop).</param>
    /// <param name="path">The kind of path. Default <see cref="PathKind.Happy"/>.</param>
    /// <param name="label">A label for diagrams. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentException"><paramref name="outcome"/> is <see langword="null"/>, empty or white space, or <paramref name="next"/> was declared on another builder.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="next"/> is <see langword="null"/>.</exception>
    public HumanTaskHandle On(string outcome, StepHandle next, PathKind path = PathKind.Happy, string? label = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outcome);
        AddFlow(next, nameof(next), path, label, outcome: outcome);
        if (!_outcomes.Contains(outcome, StringComparer.Ordinal))
        {
            _outcomes.Add(outcome);
        }

        return this;
    }

    /// <summary>Adds the names of fields the task shows.</summary>
    /// <param name="fields">The field names, added after any added before.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentException">A name is <see langword="null"/>, empty or white space.</exception>
    public HumanTaskHandle Reads(params string[] fields)
    {
        BuilderArguments.AddAllNames(_reads, fields);
        return this;
    }

    /// <summary>Adds fields the person fills in (the task's form). Create them with <see cref="Field"/>.</summary>
    /// <param name="fields">The fields, added after any added before.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="fields"/> or one of its items is <see langword="null"/>.</exception>
    public HumanTaskHandle Writes(params DataField[] fields)
    {
        BuilderArguments.AddAll(_writes, fields);
        return this;
    }

    /// <summary>Sets the time the task should take from being offered to completed, for reports. Default none.</summary>
    /// <param name="goalTime">The goal time; positive (checked by <see cref="ProcessBuilder.Build()"/>).</param>
    /// <returns>This handle.</returns>
    public HumanTaskHandle GoalTime(TimeSpan goalTime)
    {
        _goalTime = goalTime;
        return this;
    }

    /// <summary>Sets when the task is due. Default none. The <c>OnLate…</c> escalations without a time fire then.</summary>
    /// <param name="due">A <see cref="TimeSpan"/> after the task is offered (converts implicitly), or <see cref="DueTime.AtExpression"/>.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="due"/> is <see langword="null"/>.</exception>
    public HumanTaskHandle Deadline(DueTime due)
    {
        ArgumentNullException.ThrowIfNull(due);
        _deadline = due;
        return this;
    }

    /// <summary>When the task runs late, reminds whoever holds it (or its role when nobody has claimed it).</summary>
    /// <param name="at">When; default <see langword="null"/>: at the task's <see cref="Deadline"/>.</param>
    /// <param name="message">The reminder's text. Optional.</param>
    /// <returns>This handle.</returns>
    public HumanTaskHandle OnLateRemind(DueTime? at = null, string? message = null)
    {
        _escalations.Add(EscalationFactory.Remind(at, message));
        return this;
    }

    /// <summary>When the task runs late, tells another role (for example the head of sales). The task goes on.</summary>
    /// <param name="role">The role to tell, declared on the same builder.</param>
    /// <param name="at">When; default <see langword="null"/>: at the task's <see cref="Deadline"/>.</param>
    /// <param name="message">The notification's text. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="role"/> was declared on another builder.</exception>
    public HumanTaskHandle OnLateNotifyRole(RoleHandle role, DueTime? at = null, string? message = null)
    {
        _escalations.Add(EscalationFactory.NotifyRole(Builder, role, at, message));
        return this;
    }

    /// <summary>When the task runs late, offers it to another role instead.</summary>
    /// <param name="role">The role that takes over, declared on the same builder.</param>
    /// <param name="at">When; default <see langword="null"/>: at the task's <see cref="Deadline"/>.</param>
    /// <param name="message">A text for the people of the new role. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="role"/> was declared on another builder.</exception>
    public HumanTaskHandle OnLateReassign(RoleHandle role, DueTime? at = null, string? message = null)
    {
        _escalations.Add(EscalationFactory.Reassign(Builder, role, at, message));
        return this;
    }

    /// <summary>When the task runs late, takes an alternate path to <paramref name="to"/>.</summary>
    /// <param name="to">The first step of the path, declared on the same builder.</param>
    /// <param name="interrupting">Whether the task is cancelled. Default <see langword="false"/>: it goes on beside the new path.</param>
    /// <param name="path">The kind of path. Default <see cref="PathKind.Exception"/>.</param>
    /// <param name="at">When; default <see langword="null"/>: at the task's <see cref="Deadline"/>.</param>
    /// <param name="message">A text for diagrams and history. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="to"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="to"/> was declared on another builder.</exception>
    public HumanTaskHandle OnLateTakePath(StepHandle to, bool interrupting = false, PathKind path = PathKind.Exception, DueTime? at = null, string? message = null)
    {
        _escalations.Add(EscalationFactory.TakePath(Builder, to, interrupting, path, at, message));
        return this;
    }

    /// <summary>Assigns the task to the people of its role in turn. Default: offered to everyone in the role.</summary>
    /// <returns>This handle.</returns>
    public HumanTaskHandle AllocateRoundRobin() => Allocate(AllocationStrategy.RoundRobin, null);

    /// <summary>Assigns the task to the person of its role with the fewest open tasks. Default: offered to everyone in the role.</summary>
    /// <returns>This handle.</returns>
    public HumanTaskHandle AllocateShortestQueue() => Allocate(AllocationStrategy.ShortestQueue, null);

    /// <summary>Assigns the task to the user an expression names (deferred allocation), for example <c>dispatcherId</c>. Default: offered to everyone in the role.</summary>
    /// <param name="assignee">An expression over the instance data giving a user id.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="assignee"/> is <see langword="null"/>.</exception>
    public HumanTaskHandle AllocateTo(ProcessExpression assignee)
    {
        ArgumentNullException.ThrowIfNull(assignee);
        return Allocate(AllocationStrategy.Expression, assignee);
    }

    /// <summary>Separation of duties: whoever did one of <paramref name="steps"/> may not do this task.</summary>
    /// <param name="steps">Human tasks declared on the same builder, added after any added before.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="steps"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A step was declared on another builder.</exception>
    public HumanTaskHandle SeparateFrom(params HumanTaskHandle[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var ids = new List<string>(steps.Length);
        foreach (var step in steps)
        {
            ids.Add(Builder.Own(step, nameof(steps)).Id);
        }

        _separateFrom.AddRange(ids);
        return this;
    }

    /// <summary>Retain familiar: whoever did <paramref name="step"/> gets this task too. Default none; a later call replaces an earlier one.</summary>
    /// <param name="step">A human task declared on the same builder.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="step"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="step"/> was declared on another builder.</exception>
    public HumanTaskHandle RetainFamiliar(HumanTaskHandle step)
    {
        _retainFamiliar = Builder.Own(step).Id;
        return this;
    }

    /// <summary>Runs the task once per item of a list (for example once per dish). Default: once.</summary>
    /// <param name="collection">An expression giving the list.</param>
    /// <param name="itemName">The name under which each run sees its item.</param>
    /// <param name="mode">Parallel (the default) or sequential.</param>
    /// <param name="requiredCompletions">"M of N": complete after this many runs. Default <see langword="null"/>: all.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="collection"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="itemName"/> is <see langword="null"/>, empty or white space.</exception>
    public HumanTaskHandle ForEach(ProcessExpression collection, string itemName, MultiInstanceMode mode = MultiInstanceMode.Parallel, int? requiredCompletions = null)
    {
        _multiInstance = BuilderArguments.MultiInstance(collection, itemName, mode, requiredCompletions);
        return this;
    }

    private protected override StepDefinition CreateStep() => new HumanTaskStep(Id, Name)
    {
        Outcomes = [.. _outcomes],
        Reads = [.. _reads],
        Writes = [.. _writes],
        GoalTime = _goalTime,
        Deadline = _deadline,
        Escalations = [.. _escalations],
        Allocation = new Allocation
        {
            Strategy = _strategy,
            Assignee = _assignee,
            SeparateFrom = [.. _separateFrom],
            RetainFamiliar = _retainFamiliar,
        },
        MultiInstance = _multiInstance,
    };

    private HumanTaskHandle Allocate(AllocationStrategy strategy, ProcessExpression? assignee)
    {
        _strategy = strategy;
        _assignee = assignee;
        return this;
    }
}
