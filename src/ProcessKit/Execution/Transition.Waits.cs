using System.Globalization;
using ProcessKit.Definitions;
using ProcessKit.History;
using ProcessKit.Messaging;
using ProcessKit.Scheduling;
using ProcessKit.Tasks;

namespace ProcessKit.Execution;

/// <content>Message waits, timers, deadlines and escalations.</content>
internal sealed partial class Transition
{
    private void EnterWaitMessage(ModelNode node, int si, int group)
    {
        var name = node.Message!;
        var key = CorrelationKey(node);
        if (Store.FindBuffered(name, key, NowTicks) is { } buffered && (Commit.Consumed is null || !Commit.Consumed.Contains(buffered)))
        {
            (Commit.Consumed ??= []).Add(buffered);
            Receive(node, si, name, buffered.Payload);
            return;
        }

        Instance.AddToken(new Token(node.Index, si, group, TokenWait.Message, 0, key));
        (Commit.Subscribe ??= []).Add(new Subscription(name, key, Instance.Id, node.Index, si));
        if (node.Timeout is { } timeout)
        {
            AddTimer(new TimerRecord(timeout.Resolve(Now, View, _time, CancellationToken).UtcTicks, Instance.Id, node.Index, si, TimerKind.MessageTimeout, 0));
        }

        ScheduleEscalations(node, si);
    }

    private string CorrelationKey(ModelNode node) =>
        node.Correlation is null ? string.Empty
            : Convert.ToString(node.Correlation.Evaluate(View, _time, CancellationToken), CultureInfo.InvariantCulture) ?? string.Empty;

    private void Receive(ModelNode node, int si, string name, IReadOnlyDictionary<string, object?>? payload)
    {
        Record(HistoryEventType.MessageReceived, node.Index, si, role: node.Role, detail: name);
        if (payload is not null)
        {
            for (var i = 0; i < node.Writes.Length; i++)
            {
                var field = node.Writes[i];
                if (payload.TryGetValue(field.Name, out var value) && DataValues.TryConvert(field.Type, value, out var converted))
                {
                    Instance.Slots[node.WriteSlots[i]] = converted;
                }
            }
        }

        Complete(node, si);
        Follow(node);
    }

    /// <summary>Delivers a message to the wait a subscription names; false when that wait has moved on.</summary>
    public bool Deliver(Subscription subscription, IReadOnlyDictionary<string, object?>? payload)
    {
        var index = Instance.FindToken(subscription.Node, subscription.StepInstance, TokenWait.Message);
        (Commit.Unsubscribe ??= []).Add(subscription);
        if (index < 0)
        {
            return false;
        }

        var token = Instance.Tokens[index];
        Instance.RemoveTokenAt(index);
        CancelGroup(token.Group);
        Receive(Model.Nodes[subscription.Node], subscription.StepInstance, subscription.Name, payload);
        return true;
    }

    /// <summary>Fires a due timer; false when what it was for has moved on.</summary>
    public bool Fire(TimerRecord timer)
    {
        if (timer.Kind == TimerKind.Span)
        {
            return FireSpan(timer);
        }

        if (timer.Kind == TimerKind.SpanEscalation)
        {
            return FireSpanEscalation(timer);
        }

        var node = Model.Nodes[timer.Node];
        switch (timer.Kind)
        {
            case TimerKind.TimerStep:
            {
                var index = Instance.FindToken(timer.Node, timer.StepInstance, TokenWait.Timer);
                if (index < 0)
                {
                    return false;
                }

                var token = Instance.Tokens[index];
                Instance.RemoveTokenAt(index);
                CancelGroup(token.Group);
                Record(HistoryEventType.TimerFired, node.Index, timer.StepInstance, role: node.Role);
                Complete(node, timer.StepInstance);
                Follow(node);
                return true;
            }

            case TimerKind.MessageTimeout:
            {
                var index = Instance.FindToken(timer.Node, timer.StepInstance, TokenWait.Message);
                if (index < 0)
                {
                    return false;
                }

                var token = Instance.Tokens[index];
                Record(HistoryEventType.DeadlineBreached, node.Index, timer.StepInstance, role: node.Role, detail: "timeout");
                CancelToken(index);
                CancelGroup(token.Group);
                Push(node.TimeoutTarget, node.TimeoutPath);
                return true;
            }

            case TimerKind.TaskDeadline:
            {
                var index = Instance.FindToken(timer.Node, timer.StepInstance, TokenWait.Task);
                if (index < 0)
                {
                    return false;
                }

                Record(HistoryEventType.DeadlineBreached, node.Index, timer.StepInstance, role: node.Role, detail: "deadline");
                for (var i = 0; i < node.Escalations.Length; i++)
                {
                    if (node.Escalations[i].At is null)
                    {
                        index = Instance.FindToken(timer.Node, timer.StepInstance, TokenWait.Task);
                        Escalate(node, timer.StepInstance, index, node.Escalations[i]);
                    }
                }

                return true;
            }

            case TimerKind.Escalation:
            {
                var index = Instance.FindToken(timer.Node, timer.StepInstance, TokenWait.Task);
                if (index < 0)
                {
                    index = Instance.FindToken(timer.Node, timer.StepInstance, TokenWait.Message);
                }

                if (index < 0)
                {
                    return false;
                }

                Escalate(node, timer.StepInstance, index, node.Escalations[timer.Index]);
                return true;
            }

            default:
                return false;
        }
    }

    private void Escalate(ModelNode node, int si, int tokenIndex, ModelEscalation escalation)
    {
        HumanTaskInfo? task = null;
        if (tokenIndex >= 0 && Instance.Tokens[tokenIndex].Wait == TokenWait.Task)
        {
            var taskId = Instance.Tokens[tokenIndex].Ref;
            task = Commit.PendingTask(taskId) ?? Store.FindTask(taskId);
        }

        switch (escalation.Action)
        {
            case EscalationAction.Remind:
                Record(HistoryEventType.Escalated, node.Index, si, escalation.Path, node.Role, task?.ClaimedBy ?? task?.AssignedTo, nameof(EscalationAction.Remind));
                break;
            case EscalationAction.NotifyRole:
                Record(HistoryEventType.Escalated, node.Index, si, escalation.Path, escalation.Role, detail: nameof(EscalationAction.NotifyRole));
                Record(HistoryEventType.NotificationSent, node.Index, si, role: escalation.Role, detail: escalation.Message);
                break;
            case EscalationAction.Reassign:
                Record(HistoryEventType.Escalated, node.Index, si, escalation.Path, escalation.Role, detail: nameof(EscalationAction.Reassign));
                Reassign(task, escalation);
                break;
            case EscalationAction.TakePath:
                Record(HistoryEventType.Escalated, node.Index, si, escalation.Path, node.Role, detail: nameof(EscalationAction.TakePath));
                if (escalation.Interrupting && tokenIndex >= 0)
                {
                    CancelToken(tokenIndex);
                }

                if (escalation.Target >= 0)
                {
                    Push(escalation.Target, escalation.Path);
                }

                break;
        }
    }

    private void Reassign(HumanTaskInfo? task, ModelEscalation escalation)
    {
        if (task is { IsOpen: true } && escalation.Role >= 0)
        {
            Commit.Add(task with { Role = Model.RoleIds[escalation.Role], State = TaskState.Offered, AssignedTo = null, ClaimedBy = null, ClaimedAt = null });
        }
    }

    private void TrackSpans(ModelNode node, int si)
    {
        var spans = Model.Spans;
        for (var i = 0; i < spans.Length; i++)
        {
            var span = spans[i];
            if (span.Until == node.Index && Instance.Spans is { } running && running[i] != 0)
            {
                Instance.WritableSpans()[i] = 0;
            }

            if (span.From == node.Index)
            {
                Instance.WritableSpans()[i] = si;
                AddTimer(new TimerRecord(span.Within.Resolve(Now, View, _time, CancellationToken).UtcTicks, Instance.Id, node.Index, si, TimerKind.Span, i));
                for (var e = 0; e < span.Escalations.Length; e++)
                {
                    if (span.Escalations[e].At is { } at)
                    {
                        AddTimer(new TimerRecord(at.Resolve(Now, View, _time, CancellationToken).UtcTicks, Instance.Id, node.Index, si, TimerKind.SpanEscalation, (e * spans.Length) + i));
                    }
                }
            }
        }
    }

    /// <summary>
    /// The span's deadline: recorded as breached; its escalations without a time of their own all
    /// fire now (an interrupting one among them does not stop the others). The span keeps running.
    /// </summary>
    private bool FireSpan(TimerRecord timer)
    {
        var span = Model.Spans[timer.Index];
        if (!SpanRunning(timer.Index, timer.StepInstance))
        {
            return false;
        }

        Record(HistoryEventType.DeadlineBreached, span.From, timer.StepInstance, PathKind.Exception, detail: span.Id);
        foreach (var escalation in span.Escalations)
        {
            if (escalation.At is null)
            {
                EscalateSpan(timer.Index, timer.StepInstance, escalation);
            }
        }

        return true;
    }

    /// <summary>An escalation of a span with its own time; does nothing once the span has ended.</summary>
    private bool FireSpanEscalation(TimerRecord timer)
    {
        var spans = Model.Spans.Length;
        var spanIndex = timer.Index % spans;
        if (!SpanRunning(spanIndex, timer.StepInstance))
        {
            return false;
        }

        EscalateSpan(spanIndex, timer.StepInstance, Model.Spans[spanIndex].Escalations[timer.Index / spans]);
        return true;
    }

    private bool SpanRunning(int spanIndex, int si) => Instance.Spans is { } running && running[spanIndex] == si;

    /// <summary>
    /// Escalates a late span. History is recorded at the span's first step and run. Reassign moves
    /// every open task of the span; an interrupting path cancels the span's work (see
    /// <see cref="CancelSpan"/>) and ends the span, so its later escalations do nothing.
    /// </summary>
    private void EscalateSpan(int spanIndex, int si, ModelEscalation escalation)
    {
        var span = Model.Spans[spanIndex];
        var node = Model.Nodes[span.From];
        switch (escalation.Action)
        {
            case EscalationAction.Reassign:
                Record(HistoryEventType.Escalated, node.Index, si, escalation.Path, escalation.Role, detail: nameof(EscalationAction.Reassign));
                for (var i = 0; i < Instance.TokenCount; i++)
                {
                    var token = Instance.Tokens[i];
                    if (token.Wait == TokenWait.Task && token.StepInstance >= si && span.Inside[token.Node])
                    {
                        Reassign(Commit.PendingTask(token.Ref) ?? Store.FindTask(token.Ref), escalation);
                    }
                }

                break;
            case EscalationAction.TakePath when escalation.Interrupting:
                Record(HistoryEventType.Escalated, node.Index, si, escalation.Path, node.Role, detail: nameof(EscalationAction.TakePath));
                CancelSpan(span, si);
                Instance.WritableSpans()[spanIndex] = 0;
                if (escalation.Target >= 0)
                {
                    Push(escalation.Target, escalation.Path);
                }

                break;
            default:
                Escalate(node, si, -1, escalation);
                break;
        }
    }

    /// <summary>
    /// Cancels the work of a running span: every waiting path (task, message wait, timer, job,
    /// sub-process, incident) at a step inside the span whose run began at or after the span's
    /// start, and the arrivals a join inside the span has collected since then.
    /// </summary>
    private void CancelSpan(ModelSpan span, int si)
    {
        for (var i = Instance.TokenCount - 1; i >= 0; i--)
        {
            var token = Instance.Tokens[i];
            if (token.StepInstance >= si && span.Inside[token.Node])
            {
                CancelToken(i);
                if (Model.Nodes[token.Node].MultiInstance is not null && Instance.Joins is not null)
                {
                    Array.Clear(Instance.WritableJoins(), 3 * token.Node, 3);
                }
            }
        }

        if (Instance.Joins is null)
        {
            return;
        }

        var joins = Instance.WritableJoins();

        for (var n = 0; n < Model.Nodes.Length; n++)
        {
            var at = 3 * n;
            if (span.Inside[n] && Model.Nodes[n].Kind is StepKind.ParallelJoin or StepKind.InclusiveMerge && joins[at] > 0 && joins[at + 1] >= si)
            {
                Record(HistoryEventType.StepCancelled, n, joins[at + 1], role: Model.Nodes[n].Role);
                Array.Clear(joins, at, 3);
            }
        }
    }
}
