namespace ProcessKit.Definitions;

/// <content>The declaration of steps, one method per kind of step.</content>
public sealed partial class ProcessBuilder
{
    /// <summary>Declares a human task: work a person in <paramref name="role"/> is offered, claims and completes.</summary>
    /// <param name="id">A unique step id (for example <c>takeOrder</c>).</param>
    /// <param name="name">A name for people.</param>
    /// <param name="role">The responsible role, declared on this builder.</param>
    /// <returns>The handle of the step.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="name"/> is <see langword="null"/>, empty or white space, or <paramref name="role"/> was declared on another builder.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    public HumanTaskHandle HumanTask(string id, string name, RoleHandle role)
    {
        CheckStep(id, name);
        return Add(new HumanTaskHandle(this, id, name, Own(role).Id));
    }

    /// <summary>Declares an automated step: work done by the handler the host registers under <paramref name="handler"/>.</summary>
    /// <param name="id">A unique step id.</param>
    /// <param name="name">A name for people.</param>
    /// <param name="handler">The name the handler is registered under (for example <c>sales.registerLead</c>).</param>
    /// <returns>The handle of the step. By default the handler runs inline, once.</returns>
    /// <exception cref="ArgumentException">An argument is <see langword="null"/>, empty or white space.</exception>
    public AutomatedStepHandle Automated(string id, string name, string handler)
    {
        CheckStep(id, name);
        ArgumentException.ThrowIfNullOrWhiteSpace(handler);
        return Add(new AutomatedStepHandle(this, id, name, handler));
    }

    /// <summary>Declares an exclusive decision; add its flows with <see cref="DecisionHandle.When"/> and <see cref="DecisionHandle.Otherwise"/>.</summary>
    /// <param name="id">A unique step id.</param>
    /// <param name="name">A name for people, often a question ("Existing client?").</param>
    /// <returns>The handle of the step.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    public DecisionHandle Decision(string id, string name)
    {
        CheckStep(id, name);
        return Add(new DecisionHandle(this, id, name));
    }

    /// <summary>Declares a parallel split; add its branches with <see cref="ParallelSplitHandle.Branch"/> and join them with <see cref="ParallelJoin"/>.</summary>
    /// <param name="id">A unique step id.</param>
    /// <param name="name">A name for people.</param>
    /// <returns>The handle of the step.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    public ParallelSplitHandle ParallelSplit(string id, string name)
    {
        CheckStep(id, name);
        return Add(new ParallelSplitHandle(this, id, name));
    }

    /// <summary>Declares the join that waits for every branch of <paramref name="split"/>.</summary>
    /// <param name="id">A unique step id.</param>
    /// <param name="name">A name for people.</param>
    /// <param name="split">The split whose branches meet here, declared on this builder.</param>
    /// <returns>The handle of the step.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="name"/> is <see langword="null"/>, empty or white space, or <paramref name="split"/> was declared on another builder.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="split"/> is <see langword="null"/>.</exception>
    public ParallelJoinHandle ParallelJoin(string id, string name, ParallelSplitHandle split)
    {
        CheckStep(id, name);
        return Add(new ParallelJoinHandle(this, id, name, Own(split).Id));
    }

    /// <summary>Declares an inclusive split; add its branches with <see cref="InclusiveSplitHandle.When"/> and <see cref="InclusiveSplitHandle.Otherwise"/> and merge them with <see cref="InclusiveMerge"/>.</summary>
    /// <param name="id">A unique step id.</param>
    /// <param name="name">A name for people.</param>
    /// <returns>The handle of the step.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    public InclusiveSplitHandle InclusiveSplit(string id, string name)
    {
        CheckStep(id, name);
        return Add(new InclusiveSplitHandle(this, id, name));
    }

    /// <summary>Declares the merge that waits for every branch <paramref name="split"/> started.</summary>
    /// <param name="id">A unique step id.</param>
    /// <param name="name">A name for people.</param>
    /// <param name="split">The inclusive split whose branches meet here, declared on this builder.</param>
    /// <returns>The handle of the step.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="name"/> is <see langword="null"/>, empty or white space, or <paramref name="split"/> was declared on another builder.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="split"/> is <see langword="null"/>.</exception>
    public InclusiveMergeHandle InclusiveMerge(string id, string name, InclusiveSplitHandle split)
    {
        CheckStep(id, name);
        return Add(new InclusiveMergeHandle(this, id, name, Own(split).Id));
    }

    /// <summary>Declares an event choice; add the competing events with <see cref="EventChoiceHandle.WaitFor(WaitMessageHandle, PathKind, string?)"/> and its overloads.</summary>
    /// <param name="id">A unique step id.</param>
    /// <param name="name">A name for people.</param>
    /// <returns>The handle of the step.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    public EventChoiceHandle EventChoice(string id, string name)
    {
        CheckStep(id, name);
        return Add(new EventChoiceHandle(this, id, name));
    }

    /// <summary>Declares a wait for the message named <paramref name="message"/>.</summary>
    /// <param name="id">A unique step id.</param>
    /// <param name="name">A name for people.</param>
    /// <param name="message">The message name (for example <c>delivered</c>).</param>
    /// <returns>The handle of the step. By default it waits for ever for any message of that name; see <see cref="WaitMessageHandle.CorrelatedBy"/> and <see cref="WaitMessageHandle.Timeout"/>.</returns>
    /// <exception cref="ArgumentException">An argument is <see langword="null"/>, empty or white space.</exception>
    public WaitMessageHandle WaitMessage(string id, string name, string message)
    {
        CheckStep(id, name);
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        return Add(new WaitMessageHandle(this, id, name, message));
    }

    /// <summary>Declares a timer.</summary>
    /// <param name="id">A unique step id.</param>
    /// <param name="name">A name for people.</param>
    /// <param name="wait">How long (a <see cref="TimeSpan"/> converts implicitly), or until when (<see cref="DueTime.AtExpression"/>).</param>
    /// <returns>The handle of the step.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="wait"/> is <see langword="null"/>.</exception>
    public TimerHandle Timer(string id, string name, DueTime wait)
    {
        CheckStep(id, name);
        ArgumentNullException.ThrowIfNull(wait);
        return Add(new TimerHandle(this, id, name, wait));
    }

    /// <summary>Declares a notification that tells the people of <paramref name="role"/> something and goes on without waiting.</summary>
    /// <param name="id">A unique step id.</param>
    /// <param name="name">A name for people.</param>
    /// <param name="role">The role told, declared on this builder.</param>
    /// <returns>The handle of the step.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="name"/> is <see langword="null"/>, empty or white space, or <paramref name="role"/> was declared on another builder.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="role"/> is <see langword="null"/>.</exception>
    public NotificationHandle Notification(string id, string name, RoleHandle role)
    {
        CheckStep(id, name);
        return Add(new NotificationHandle(this, id, name, Own(role).Id));
    }

    /// <summary>Declares a call of the process <paramref name="processId"/>, which runs as part of this one.</summary>
    /// <param name="id">A unique step id.</param>
    /// <param name="name">A name for people.</param>
    /// <param name="processId">The id of the process to run.</param>
    /// <returns>The handle of the step. By default it runs the newest deployed version, once.</returns>
    /// <exception cref="ArgumentException">An argument is <see langword="null"/>, empty or white space.</exception>
    public SubProcessHandle SubProcess(string id, string name, string processId)
    {
        CheckStep(id, name);
        ArgumentException.ThrowIfNullOrWhiteSpace(processId);
        return Add(new SubProcessHandle(this, id, name, processId));
    }

    /// <summary>Declares an end of a path.</summary>
    /// <param name="id">A unique step id.</param>
    /// <param name="name">A name for people.</param>
    /// <returns>The handle of the step. By default it ends only its own path and names no outcome.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> or <paramref name="name"/> is <see langword="null"/>, empty or white space.</exception>
    public EndHandle End(string id, string name)
    {
        CheckStep(id, name);
        return Add(new EndHandle(this, id, name));
    }

    private static void CheckStep(string id, string name, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(id))] string? idName = null, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(name))] string? nameName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id, idName);
        ArgumentException.ThrowIfNullOrWhiteSpace(name, nameName);
    }

    private T Add<T>(T step)
        where T : StepHandle
    {
        _steps.Add(step);
        return step;
    }
}
