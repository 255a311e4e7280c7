using System.Collections;
using System.Globalization;
using System.Text.Json;
using ProcessKit.Definitions;
using ProcessKit.Expressions;
using ProcessKit.History;
using ProcessKit.Messaging;
using ProcessKit.Persistence;
using ProcessKit.Scheduling;
using ProcessKit.Tasks;

namespace ProcessKit.Execution;

/// <summary>
/// One command applied to one instance: moves tokens through every step that needs nobody until
/// each waits or the instance ends, collecting everything to commit. Works on a copy of the
/// instance, so a command that throws changes nothing.
/// </summary>
/// <remarks>
/// One command at a time; not thread-safe. Rented per command (<see cref="Rent"/>) and given back
/// when the command is done (<see cref="Return"/>), so its buffers serve command after command on
/// the same thread. What a command hands to user code (the <see cref="StepContext"/> and the data
/// view behind it) is made per command and never reused, so a handler that keeps them cannot reach
/// another command's instance.
/// </remarks>
internal sealed partial class Transition
{
    [ThreadStatic]
    private static Transition? t_spare;

    private readonly List<KeyValuePair<int, object?>> _writes = [];
    private ProcessEngine _engine = null!;
    private TimeProvider _time = null!;
    private Pending[] _pending = new Pending[8];
    private int _pendingCount;
    private int _steps;
    private SlotView? _view;
    private StepContext? _context;
    private HistoryRecord[]? _history;

    private Transition()
    {
    }

    public InstanceRecord Instance { get; private set; } = null!;

    public ProcessModel Model { get; private set; } = null!;

    public InstanceCommit Commit { get; } = new();

    /// <summary>Whether the command took effect (false for a message whose wait had moved on).</summary>
    public bool Applied { get; set; }

    public DateTimeOffset Now { get; private set; }

    public long NowTicks { get; private set; }

    public CancellationToken CancellationToken { get; private set; }

    public SlotView View
    {
        get
        {
            var view = _view ??= new SlotView(Model, Instance.Slots);
            view.Slots = Instance.Slots;
            return view;
        }
    }

    /// <summary>The buffer a step context collects a handler's writes in, lent to it for the command.</summary>
    internal List<KeyValuePair<int, object?>> Writes => _writes;

    /// <summary>A transition for one command on <paramref name="instance"/>: this thread's spare one when it has one, else a new one.</summary>
    public static Transition Rent(ProcessEngine engine, InstanceRecord instance, long expectedVersion, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var transition = t_spare ?? new Transition();
        t_spare = null;
        transition._engine = engine;
        transition._time = engine.TimeProvider;
        transition.Instance = instance;
        transition.Model = instance.Model;
        transition.Now = now;
        transition.NowTicks = now.UtcTicks;
        transition.CancellationToken = cancellationToken;
        transition.Applied = true;
        transition.Commit.Reset(instance, expectedVersion);
        return transition;
    }

    /// <summary>
    /// Lends <paramref name="instance"/> (a new one, not yet committed) this transition's history buffer for the
    /// command: an instance that runs to its end in one command and is packed or written by the store then never
    /// has a history array of its own. The store gives a record it keeps an array of its own
    /// (<see cref="InstanceRecord.OwnHistory"/>); the buffer is reused by the next command on this thread.
    /// </summary>
    public void LendHistory(InstanceRecord instance)
    {
        var capacity = instance.Model.HistoryCapacity;
        if (_history is null || _history.Length < capacity)
        {
            _history = new HistoryRecord[capacity];
        }

        instance.History = _history;
        instance.HistoryLent = true;
    }

    /// <summary>Gives the transition back once nothing reads it any more; it keeps no reference to the instance.</summary>
    public void Return()
    {
        _context?.Detach();
        _context = null;
        _view = null;
        _writes.Clear();
        Array.Clear(_pending, 0, _pendingCount);
        _pendingCount = 0;
        _steps = 0;
        ChildrenToCancel = null;
        Commit.Reset(null!, 0);
        Instance = null!;
        Model = null!;
        _engine = null!;
        _time = null!;
        CancellationToken = default;
        if (_history is { Length: > 256 })
        {
            _history = null;
        }

        if (_pending.Length <= 64)
        {
            t_spare = this;
        }
    }

    private IProcessStore Store => _engine.Store;

    /// <summary>Records an event with no cost or value (no decimal arithmetic on the way).</summary>
    public void Record(HistoryEventType type, int node, int stepInstance, PathKind path = PathKind.Happy, int role = -1, string? user = null, string? detail = null) =>
        Record(type, node, stepInstance, path, role, user, detail, units: 0, hasValue: false);

    /// <summary>Records an event whose cost or value is already in the history's units (<see cref="HistoryNote.AmountScale"/>).</summary>
    private void Record(HistoryEventType type, int node, int stepInstance, PathKind path, int role, string? user, string? detail, long units, bool hasValue)
    {
        ref var r = ref Instance.Append();
        r.UtcTicks = NowTicks;
        r.Type = type;
        r.Node = node;
        r.StepInstance = stepInstance;
        r.Path = path;
        r.Role = (short)role;
        if (user is not null || detail is not null || units != 0 || hasValue)
        {
            Instance.AddNote(ref r, new HistoryNote(user, detail, units, hasValue));
        }
    }

    public void Push(int node, PathKind path, int group = 0)
    {
        if (_pendingCount == _pending.Length)
        {
            Array.Resize(ref _pending, _pending.Length * 2);
        }

        _pending[_pendingCount++] = new Pending(node, path, group);
    }

    /// <summary>Starts the instance: the first step is entered; runs to wait.</summary>
    public ValueTask StartAsync(string? detail)
    {
        Record(HistoryEventType.InstanceStarted, -1, 0, detail: detail);
        Push(Model.StartNode, PathKind.Happy);
        return RunAsync();
    }

    /// <summary>Runs every pending token until each waits or the instance ends, then ends the instance when no path is left.</summary>
    public async ValueTask RunAsync()
    {
        var budget = _engine.Options.StepBudget;
        while (_pendingCount > 0 && Instance.State == InstanceState.Running)
        {
            var next = _pending[--_pendingCount];
            if (++_steps > budget)
            {
                Fail(next.Node, string.Create(CultureInfo.InvariantCulture, $"The step budget of {budget} steps per command ran out: an automated loop never waits."));
                break;
            }

            var node = Model.Nodes[next.Node];
            if (node.IsJob && node.MultiInstance is null)
            {
                var si = Begin(node, next.Path);
                Instance.AddToken(new Token(node.Index, si, 0, TokenWait.Job, 1));
                AddTimer(new TimerRecord(NowTicks, Instance.Id, node.Index, si, TimerKind.Job, 1));
            }
            else if (node.Kind == StepKind.SubProcess)
            {
                await EnterSubProcessAsync(node, next.Path, next.Group).ConfigureAwait(false);
            }
            else if (node.Kind == StepKind.Automated)
            {
                await RunAutomatedAsync(node, next.Path).ConfigureAwait(false);
            }
            else
            {
                Enter(node, next.Path, next.Group);
            }
        }

        if (Instance.State == InstanceState.Running && Instance.TokenCount == 0 && _pendingCount == 0 && !StopAtStuckJoins())
        {
            End(InstanceState.Completed, HistoryEventType.InstanceCompleted);
        }

        _context?.Detach();
    }

    private void Enter(ModelNode node, PathKind path, int group)
    {
        switch (node.Kind)
        {
            case StepKind.ParallelJoin:
            case StepKind.InclusiveMerge:
                Join(node, path);
                return;
        }

        var si = Begin(node, path);
        try
        {
            switch (node.Kind)
            {
                case StepKind.Decision:
                    Complete(node, si);
                    TakeDecision(node, si);
                    break;
                case StepKind.ParallelSplit:
                    Complete(node, si);
                    for (var i = node.Edges.Length - 1; i >= 0; i--)
                    {
                        Push(node.Edges[i].Target, node.Edges[i].Path);
                    }

                    break;
                case StepKind.InclusiveSplit:
                    Complete(node, si);
                    SplitInclusive(node);
                    break;
                case StepKind.EventChoice:
                    Complete(node, si);
                    for (var i = node.Edges.Length - 1; i >= 0; i--)
                    {
                        Push(node.Edges[i].Target, node.Edges[i].Path, si);
                    }

                    break;
                case StepKind.HumanTask:
                    EnterHumanTask(node, si, group);
                    break;
                case StepKind.WaitMessage:
                    EnterWaitMessage(node, si, group);
                    break;
                case StepKind.Timer:
                    var due = node.Wait!.Resolve(Now, View, _time, CancellationToken);
                    Instance.AddToken(new Token(node.Index, si, group, TokenWait.Timer, 0));
                    AddTimer(new TimerRecord(due.UtcTicks, Instance.Id, node.Index, si, TimerKind.TimerStep, 0));
                    break;
                case StepKind.Notification:
                    Record(HistoryEventType.NotificationSent, node.Index, si, role: node.Role, detail: ((NotificationStep)node.Step).Message);
                    Complete(node, si);
                    Follow(node);
                    break;
                case StepKind.End:
                    Complete(node, si);
                    var end = (EndStep)node.Step;
                    if (end.Outcome is not null)
                    {
                        Instance.EndOutcome = end.Outcome;
                    }

                    if (end.Terminate)
                    {
                        CancelAllTokens();
                        _pendingCount = 0;
                        End(InstanceState.Completed, HistoryEventType.InstanceCompleted);
                    }

                    break;
                default:
                    Incident(node, si, $"Steps of kind {node.Kind} do not run in this version of the engine.");
                    break;
            }
        }
        catch (ExpressionEvaluationException ex)
        {
            Incident(node, si, ex.Message);
        }
    }

    private int Begin(ModelNode node, PathKind path)
    {
        var si = ++Instance.StepCounter;
        Record(HistoryEventType.StepEntered, node.Index, si, path, node.Role);
        if (Model.Spans.Length > 0)
        {
            TrackSpans(node, si);
        }

        return si;
    }

    // A step's completion with its fixed cost in history units, computed once per model node: no decimal arithmetic per step.
    private void Complete(ModelNode node, int si, string? user = null, string? detail = null) =>
        Record(HistoryEventType.StepCompleted, node.Index, si, PathKind.Happy, node.Role, user, detail, node.FixedCostUnits, hasValue: false);

    private void Complete(ModelNode node, int si, string? user, string? detail, decimal extraCost) =>
        Record(HistoryEventType.StepCompleted, node.Index, si, PathKind.Happy, node.Role, user, detail, HistoryNote.ToUnits(node.FixedCost + extraCost), hasValue: false);

    /// <summary>Takes every flow whose condition holds (all unconditional flows); none means the path ends here.</summary>
    public void Follow(ModelNode node)
    {
        var edges = node.Edges;
        for (var i = edges.Length - 1; i >= 0; i--)
        {
            var edge = edges[i];
            if (edge.When is null || edge.When.EvaluateCondition(View, _time, CancellationToken))
            {
                Push(edge.Target, edge.Path);
            }
        }
    }

    private void TakeDecision(ModelNode node, int si)
    {
        ModelEdge? chosen = null;
        foreach (var edge in node.Edges)
        {
            if (!edge.IsDefault && (edge.When is null || edge.When.EvaluateCondition(View, _time, CancellationToken)))
            {
                chosen = edge;
                break;
            }
        }

        if (chosen is null)
        {
            foreach (var edge in node.Edges)
            {
                if (edge.IsDefault)
                {
                    chosen = edge;
                    break;
                }
            }
        }

        if (chosen is null)
        {
            Incident(node, si, "No condition of the decision holds and it has no default flow.");
            return;
        }

        Push(chosen.Target, chosen.Path);
    }

    private void SplitInclusive(ModelNode node)
    {
        var started = 0;
        for (var i = node.Edges.Length - 1; i >= 0; i--)
        {
            var edge = node.Edges[i];
            if (!edge.IsDefault && (edge.When is null || edge.When.EvaluateCondition(View, _time, CancellationToken)))
            {
                Push(edge.Target, edge.Path);
                started++;
            }
        }

        if (started == 0)
        {
            foreach (var edge in node.Edges)
            {
                if (edge.IsDefault)
                {
                    Push(edge.Target, edge.Path);
                    started++;
                    break;
                }
            }
        }

        if (node.Merge >= 0)
        {
            var joins = Joins();
            joins[(3 * node.Merge) + 2] = started;
        }
    }

    private int[] Joins() => Instance.WritableJoins();

    /// <summary>
    /// Called when nothing of the instance can move any more: a join that has some of its arrivals is waiting for
    /// tokens that can no longer come (two of its flows leave one exclusive path, or a branch ended elsewhere). Ending
    /// the instance there would silently skip everything after the join, so each such join raises an incident instead;
    /// resolving it goes on past the join.
    /// </summary>
    private bool StopAtStuckJoins()
    {
        if (Instance.Joins is not { } seen)
        {
            return false;
        }

        var stuck = false;
        for (var i = 0; i < Model.Nodes.Length; i++)
        {
            var at = 3 * i;
            if (seen[at] == 0)
            {
                continue;
            }

            var joins = Joins();
            var node = Model.Nodes[i];
            var arrived = joins[at];
            var expected = node.Kind == StepKind.InclusiveMerge && joins[at + 2] > 0 ? joins[at + 2] : node.InDegree;
            var si = joins[at + 1];
            joins[at] = 0;
            joins[at + 1] = 0;
            joins[at + 2] = 0;
            Incident(
                node,
                si,
                $"The join '{node.Id}' has {arrived} of the {expected} arrivals it waits for, and no other path of the instance can reach it "
                + "(two of its incoming flows leave one exclusive decision or task outcome, or a branch ended elsewhere). Resolve the incident "
                + "to go on past the join, or change the definition so that every incoming flow of the join carries a token.");
            stuck = true;
        }

        return stuck;
    }

    private void Join(ModelNode node, PathKind path)
    {
        var joins = Joins();
        var at = 3 * node.Index;
        if (joins[at] == 0)
        {
            joins[at + 1] = Begin(node, path);
        }

        joins[at]++;
        var expected = node.Kind == StepKind.InclusiveMerge && joins[at + 2] > 0 ? joins[at + 2] : node.InDegree;
        if (joins[at] >= expected)
        {
            var si = joins[at + 1];
            joins[at] = 0;
            joins[at + 1] = 0;
            joins[at + 2] = 0;
            Complete(node, si);
            Follow(node);
        }
    }

    private async ValueTask RunAutomatedAsync(ModelNode node, PathKind path)
    {
        var si = Begin(node, path);
        var context = _context ??= new StepContext();
        try
        {
            if (node.MultiInstance is not null)
            {
                var items = Items(node);
                var first = true;
                foreach (var item in items)
                {
                    var itemSi = first ? si : Begin(node, path);
                    first = false;
                    Instance.Slots[node.ItemSlot] = item;
                    await CallAsync(node, context, itemSi).ConfigureAwait(false);
                    context.MergeInto(Instance.Slots);
                    Complete(node, itemSi);
                }

                if (first)
                {
                    Complete(node, si);
                }
            }
            else
            {
                await CallAsync(node, context, si).ConfigureAwait(false);
                context.MergeInto(Instance.Slots);
                Complete(node, si);
            }

            Follow(node);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !CancellationToken.IsCancellationRequested)
        {
            context.Detach();
            Record(HistoryEventType.JobFailed, node.Index, si, role: node.Role, detail: ex.Message);
            RetryOrIncident(node, si, 1, ex.Message);
        }
    }

    /// <summary>Runs one attempt of a job (an asynchronous automated step, or a retried one).</summary>
    public async ValueTask<bool> RunJobAsync(TimerRecord timer)
    {
        var index = Instance.FindToken(timer.Node, timer.StepInstance, TokenWait.Job);

        // A job token names the attempt it waits for (0 in states written before it did): the timer of an earlier
        // attempt, put back after its commit was stored, is stale and runs nothing.
        if (index < 0 || (Instance.Tokens[index].Ref != 0 && Instance.Tokens[index].Ref != timer.Index))
        {
            return false;
        }

        Instance.RemoveTokenAt(index);
        await AttemptAsync(Model.Nodes[timer.Node], timer.StepInstance, timer.Index).ConfigureAwait(false);
        return true;
    }

    /// <summary>Runs the handler of an automated step once more for the same step run (same idempotency key).</summary>
    private async ValueTask AttemptAsync(ModelNode node, int si, int attempt)
    {
        var context = _context ??= new StepContext();
        try
        {
            await CallAsync(node, context, si).ConfigureAwait(false);
            context.MergeInto(Instance.Slots);
            Complete(node, si);
            Follow(node);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !CancellationToken.IsCancellationRequested)
        {
            context.Detach();
            Record(HistoryEventType.JobFailed, node.Index, si, role: node.Role, detail: ex.Message);
            RetryOrIncident(node, si, attempt, ex.Message);
        }
    }

    /// <summary>After a failed attempt: another attempt later (backoff) while the retry policy allows, else an incident.</summary>
    private void RetryOrIncident(ModelNode node, int si, int attempt, string message)
    {
        var step = (AutomatedStep)node.Step;
        var policy = step.Retry ?? (step.Asynchronous ? DefaultRetry : null);
        if (policy is null || attempt >= policy.MaxAttempts || node.MultiInstance is not null)
        {
            Incident(node, si, message);
            return;
        }

        var delay = policy.Delay.Ticks * Math.Pow(policy.BackoffMultiplier, attempt - 1);
        if (policy.MaxDelay is { } max && delay > max.Ticks)
        {
            delay = max.Ticks;
        }

        Instance.AddToken(new Token(node.Index, si, 0, TokenWait.Job, attempt + 1));
        var dueTicks = NowTicks + (long)Math.Min(delay, TimeSpan.MaxValue.Ticks / 2);
        AddTimer(new TimerRecord(dueTicks, Instance.Id, node.Index, si, TimerKind.Job, attempt + 1));
        LogRetry(node, attempt, dueTicks, message);
    }

    /// <summary>Takes a path stopped by an incident up again: the step is tried again, or skipped when <paramref name="skip"/>.</summary>
    public ValueTask ResumeIncidentAsync(int tokenIndex, bool skip)
    {
        var token = Instance.Tokens[tokenIndex];
        var node = Model.Nodes[token.Node];
        Instance.RemoveTokenAt(tokenIndex);
        (Commit.ResolvedIncidents ??= []).Add(new Incident(Instance.Id, node.Id, token.StepInstance, string.Empty, Now));
        Record(HistoryEventType.IncidentResolved, node.Index, token.StepInstance, role: node.Role, detail: skip ? "resolved" : "retried");
        if (skip)
        {
            Complete(node, token.StepInstance);
            Follow(node);
            return RunAsync();
        }

        if (node.Kind == StepKind.Automated && node.MultiInstance is null)
        {
            return AttemptThenRunAsync(node, token.StepInstance);
        }

        Push(node.Index, PathKind.Happy);
        return RunAsync();
    }

    private async ValueTask AttemptThenRunAsync(ModelNode node, int si)
    {
        await AttemptAsync(node, si, 1).ConfigureAwait(false);
        await RunAsync().ConfigureAwait(false);
    }

    private static readonly RetryPolicy DefaultRetry = new();

    /// <summary>Calls a handler; with a step timeout, its token is also cancelled when the time (from the engine's clock) runs out.</summary>
    private ValueTask CallUnobservedAsync(ModelNode node, StepContext context, int si)
    {
        if (((AutomatedStep)node.Step).Timeout is not { } timeout)
        {
            context.Reset(this, node, Instance.Id, si, CancellationToken);
            return node.Handler!.ExecuteAsync(context);
        }

        return CallWithTimeoutAsync(node, context, si, timeout);
    }

    private async ValueTask CallWithTimeoutAsync(ModelNode node, StepContext context, int si, TimeSpan timeout)
    {
        using var timer = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken, timer.Token);
        context.Reset(this, node, Instance.Id, si, linked.Token);
        try
        {
            await node.Handler!.ExecuteAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The handler of the step '{node.Id}' took longer than its timeout of {timeout}.");
        }
    }

    private List<object?> Items(ModelNode node)
    {
        var value = node.Collection!.Evaluate(View, _time, CancellationToken);
        var items = new List<object?>();
        switch (value)
        {
            case null:
                break;
            case JsonElement { ValueKind: JsonValueKind.Array } array:
                foreach (var item in array.EnumerateArray())
                {
                    items.Add(ExpressionValues.Normalize(item));
                }

                break;
            case string text:
                items.Add(text);
                break;
            case IEnumerable enumerable:
                foreach (var item in enumerable)
                {
                    items.Add(ExpressionValues.Normalize(item));
                }

                break;
            default:
                items.Add(value);
                break;
        }

        return items;
    }

    /// <summary>Parks a token on an incident: the path stops here until an operator acts.</summary>
    private void Incident(ModelNode node, int si, string message)
    {
        Record(HistoryEventType.IncidentRaised, node.Index, si, role: node.Role, detail: message);
        Instance.AddToken(new Token(node.Index, si, 0, TokenWait.Incident, 0));
        (Commit.Incidents ??= []).Add(new Incident(Instance.Id, node.Id, si, message, Now));
    }

    private void Fail(int node, string message)
    {
        Record(HistoryEventType.IncidentRaised, node, 0, detail: message);
        _pendingCount = 0;
        CancelAllTokens();
        End(InstanceState.Failed, HistoryEventType.InstanceFailed, message);
    }

    public void End(InstanceState state, HistoryEventType type, string? detail = null)
    {
        Instance.State = state;
        Instance.EndedTicks = NowTicks;
        if (type == HistoryEventType.InstanceCompleted)
        {
            // The satisfaction score, when the definition names its field and the instance has one, is the event's value.
            if (Model.SatisfactionSlot >= 0 && Instance.Slots[Model.SatisfactionSlot] is decimal score)
            {
                Record(type, -1, 0, PathKind.Happy, -1, null, Instance.EndOutcome, HistoryNote.ToUnits(score), hasValue: true);
            }
            else
            {
                Record(type, -1, 0, detail: Instance.EndOutcome);
            }
        }
        else
        {
            Record(type, -1, 0, detail: detail);
        }
    }

    public void CancelAllTokens()
    {
        while (Instance.TokenCount > 0)
        {
            CancelToken(Instance.TokenCount - 1);
        }
    }

    /// <summary>Cancels the other branches of an event choice once one of them has finished.</summary>
    public void CancelGroup(int group)
    {
        if (group == 0)
        {
            return;
        }

        for (var i = Instance.TokenCount - 1; i >= 0; i--)
        {
            if (Instance.Tokens[i].Group == group)
            {
                CancelToken(i);
            }
        }
    }

    public void CancelToken(int index)
    {
        var token = Instance.Tokens[index];
        Instance.RemoveTokenAt(index);
        var node = Model.Nodes[token.Node];
        switch (token.Wait)
        {
            case TokenWait.Task:
                if ((Commit.PendingTask(token.Ref) ?? Store.FindTask(token.Ref)) is { IsOpen: true } task)
                {
                    Commit.Add(task with { State = TaskState.Cancelled, ClosedAt = Now });
                }

                break;
            case TokenWait.SubProcess:
                (ChildrenToCancel ??= []).Add(new InstanceId(token.Ref));
                break;
            case TokenWait.Incident:
                (Commit.ResolvedIncidents ??= []).Add(new Incident(Instance.Id, node.Id, token.StepInstance, string.Empty, Now));
                break;
            case TokenWait.Message:
                (Commit.Unsubscribe ??= []).Add(new Subscription(node.Step is WaitMessageStep w ? w.Message : string.Empty, token.Key ?? string.Empty, Instance.Id, node.Index, token.StepInstance));
                break;
        }

        Record(HistoryEventType.StepCancelled, token.Node, token.StepInstance, role: node.Role);
    }

    /// <summary>Sub-process instances to cancel once this command is committed.</summary>
    public List<InstanceId>? ChildrenToCancel { get; private set; }

    public void AddTimer(TimerRecord timer) => Commit.AddTimer(timer);

    private readonly record struct Pending(int Node, PathKind Path, int Group);
}
