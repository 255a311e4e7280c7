namespace ProcessKit.Definitions;

/// <summary>
/// A deadline over a span of the process, declared with <see cref="ProcessBuilder.Deadline"/>
/// (for example "25 minutes from the order to serving"). Add what happens when it passes with the
/// <c>OnLate…</c> methods.
/// </summary>
/// <remarks>Not thread-safe, like the builder it belongs to.</remarks>
public sealed class DeadlineHandle
{
    private readonly ProcessBuilder _builder;
    private readonly string _from;
    private readonly DueTime _within;
    private readonly List<Escalation> _escalations = [];
    private string? _until;
    private TimeSpan? _goalTime;

    internal DeadlineHandle(ProcessBuilder builder, string id, string from, DueTime within)
    {
        _builder = builder;
        Id = id;
        _from = from;
        _within = within;
    }

    /// <summary>The deadline id.</summary>
    public string Id { get; }

    /// <summary>Sets the step whose entry stops the clock. Default: the end of the instance.</summary>
    /// <param name="step">A step declared on the same builder.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="step"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="step"/> was declared on another builder.</exception>
    public DeadlineHandle Until(StepHandle step)
    {
        _until = _builder.Own(step).Id;
        return this;
    }

    /// <summary>Sets a goal time within the deadline, for reports. Default none.</summary>
    /// <param name="goalTime">The goal time; positive (checked by <see cref="ProcessBuilder.Build()"/>).</param>
    /// <returns>This handle.</returns>
    public DeadlineHandle GoalTime(TimeSpan goalTime)
    {
        _goalTime = goalTime;
        return this;
    }

    /// <summary>When the span runs late, reminds whoever holds the current task (or its role).</summary>
    /// <param name="at">When; default <see langword="null"/>: when the deadline passes.</param>
    /// <param name="message">The reminder's text. Optional.</param>
    /// <returns>This handle.</returns>
    public DeadlineHandle OnLateRemind(DueTime? at = null, string? message = null)
    {
        _escalations.Add(EscalationFactory.Remind(at, message));
        return this;
    }

    /// <summary>When the span runs late, tells a role (for example the manager). The work goes on.</summary>
    /// <param name="role">The role to tell, declared on the same builder.</param>
    /// <param name="at">When; default <see langword="null"/>: when the deadline passes.</param>
    /// <param name="message">The notification's text. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="role"/> was declared on another builder.</exception>
    public DeadlineHandle OnLateNotifyRole(RoleHandle role, DueTime? at = null, string? message = null)
    {
        _escalations.Add(EscalationFactory.NotifyRole(_builder, role, at, message));
        return this;
    }

    /// <summary>When the span runs late, offers the current task to another role instead.</summary>
    /// <param name="role">The role that takes over, declared on the same builder.</param>
    /// <param name="at">When; default <see langword="null"/>: when the deadline passes.</param>
    /// <param name="message">A text for the people of the new role. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="role"/> was declared on another builder.</exception>
    public DeadlineHandle OnLateReassign(RoleHandle role, DueTime? at = null, string? message = null)
    {
        _escalations.Add(EscalationFactory.Reassign(_builder, role, at, message));
        return this;
    }

    /// <summary>When the span runs late, takes an alternate path to <paramref name="to"/>.</summary>
    /// <param name="to">The first step of the path, declared on the same builder.</param>
    /// <param name="interrupting">Whether the late work is cancelled. Default <see langword="false"/>: it goes on beside the new path.</param>
    /// <param name="path">The kind of path. Default <see cref="PathKind.Exception"/>.</param>
    /// <param name="at">When; default <see langword="null"/>: when the deadline passes.</param>
    /// <param name="message">A text for diagrams and history. Optional.</param>
    /// <returns>This handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="to"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="to"/> was declared on another builder.</exception>
    public DeadlineHandle OnLateTakePath(StepHandle to, bool interrupting = false, PathKind path = PathKind.Exception, DueTime? at = null, string? message = null)
    {
        _escalations.Add(EscalationFactory.TakePath(_builder, to, interrupting, path, at, message));
        return this;
    }

    internal DeadlineDefinition ToDeadline() => new(Id, _from, _within)
    {
        Until = _until,
        GoalTime = _goalTime,
        Escalations = [.. _escalations],
    };
}
