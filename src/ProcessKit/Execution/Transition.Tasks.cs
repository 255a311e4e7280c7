using System.Globalization;
using ProcessKit.Definitions;
using ProcessKit.History;
using ProcessKit.Scheduling;
using ProcessKit.Tasks;

namespace ProcessKit.Execution;

/// <content>Human tasks: creating, claiming, releasing, delegating and completing them.</content>
internal sealed partial class Transition
{
    private void EnterHumanTask(ModelNode node, int si, int group)
    {
        if (node.MultiInstance is not { } multi)
        {
            CreateTask(node, si, group, null);
            return;
        }

        var items = Items(node);
        if (items.Count == 0)
        {
            Complete(node, si);
            Follow(node);
            return;
        }

        var joins = Joins();
        var at = 3 * node.Index;
        joins[at] = 0;
        joins[at + 1] = Math.Clamp(multi.RequiredCompletions ?? items.Count, 1, items.Count);
        joins[at + 2] = items.Count;
        if (multi.Mode == MultiInstanceMode.Sequential)
        {
            CreateTask(node, si, group, items[0]);
            return;
        }

        for (var k = 0; k < items.Count; k++)
        {
            CreateTask(node, k == 0 ? si : Begin(node, PathKind.Happy), group, items[k]);
        }
    }

    private void CreateTask(ModelNode node, int si, int group, object? item)
    {
        var taskId = Store.NewTaskId();
        if (node.ItemSlot >= 0)
        {
            Instance.Slots[node.ItemSlot] = item;
        }

        string? assignee = null;
        if (node.Assignee is not null)
        {
            assignee = Convert.ToString(node.Assignee.Evaluate(View, _time, CancellationToken), CultureInfo.InvariantCulture);
        }
        else if (node.RetainFamiliar >= 0 && Instance.Performers?[node.RetainFamiliar] is { } familiar)
        {
            assignee = familiar;
        }
        else if (node.Strategy is AllocationStrategy.RoundRobin or AllocationStrategy.ShortestQueue)
        {
            assignee = _engine.Allocate(node, Model.RoleIds[node.Role], Instance.Performers);
        }

        DateTimeOffset? due = node.Deadline?.Resolve(Now, View, _time, CancellationToken);
        var task = new HumanTaskInfo
        {
            TaskId = taskId,
            Instance = Instance.Id,
            ProcessId = Model.Id,
            ProcessVersion = Model.Version,
            StepId = node.Id,
            StepName = node.Step.Name,
            StepInstance = si,
            Role = Model.RoleIds[node.Role],
            State = TaskState.Offered,
            AssignedTo = string.IsNullOrEmpty(assignee) ? null : assignee,
            CreatedAt = Now,
            DueAt = due,
            Outcomes = node.Outcomes,
            Item = item,
            Node = node.Index,
        };
        Commit.Add(task);
        Instance.AddToken(new Token(node.Index, si, group, TokenWait.Task, taskId));
        Record(HistoryEventType.TaskCreated, node.Index, si, role: node.Role);
        if (task.AssignedTo is not null)
        {
            Record(HistoryEventType.TaskAssigned, node.Index, si, role: node.Role, user: task.AssignedTo);
        }

        if (due is { } dueAt)
        {
            AddTimer(new TimerRecord(dueAt.UtcTicks, Instance.Id, node.Index, si, TimerKind.TaskDeadline, 0));
        }

        ScheduleEscalations(node, si);
    }

    private void ScheduleEscalations(ModelNode node, int si)
    {
        for (var i = 0; i < node.Escalations.Length; i++)
        {
            if (node.Escalations[i].At is { } at)
            {
                AddTimer(new TimerRecord(at.Resolve(Now, View, _time, CancellationToken).UtcTicks, Instance.Id, node.Index, si, TimerKind.Escalation, i));
            }
        }
    }

    public void Claim(HumanTaskInfo task, ProcessUser user)
    {
        Commit.Add(task with { State = TaskState.Claimed, ClaimedBy = user.Id, ClaimedAt = Now });
        Record(HistoryEventType.TaskClaimed, task.Node, task.StepInstance, role: Model.Nodes[task.Node].Role, user: user.Id);
    }

    public void Release(HumanTaskInfo task, ProcessUser user)
    {
        Commit.Add(task with { State = TaskState.Offered, ClaimedBy = null, ClaimedAt = null });
        Record(HistoryEventType.TaskReleased, task.Node, task.StepInstance, role: Model.Nodes[task.Node].Role, user: user.Id);
    }

    public void Delegate(HumanTaskInfo task, ProcessUser user, string toUser)
    {
        Commit.Add(task with { State = TaskState.Offered, AssignedTo = toUser, ClaimedBy = null, ClaimedAt = null });
        Record(HistoryEventType.TaskDelegated, task.Node, task.StepInstance, role: Model.Nodes[task.Node].Role, user: user.Id, detail: toUser);
    }

    public ValueTask CompleteTaskAsync(HumanTaskInfo task, ProcessUser user, string? outcome, List<KeyValuePair<int, object?>> writes)
    {
        var node = Model.Nodes[task.Node];
        var index = Instance.FindTask(task.TaskId);
        if (index < 0)
        {
            throw new InvalidCommandException(ProcessErrorCodes.TaskClosed, $"The task {task.TaskId} ('{task.StepId}') no longer waits in its instance.");
        }

        var token = Instance.Tokens[index];
        Instance.RemoveTokenAt(index);
        CancelGroup(token.Group);
        var claimedAt = task.ClaimedAt ?? Now;
        if (task.ClaimedBy is null)
        {
            Record(HistoryEventType.TaskClaimed, node.Index, task.StepInstance, role: node.Role, user: user.Id);
        }

        foreach (var write in writes)
        {
            Instance.Slots[write.Key] = write.Value;
        }

        Commit.Add(task with { State = TaskState.Completed, ClaimedBy = user.Id, ClaimedAt = claimedAt, ClosedAt = Now, Outcome = outcome });
        Instance.WritablePerformers()[node.Index] = user.Id;
        var hours = (decimal)(Now - claimedAt).Ticks / TimeSpan.TicksPerHour;
        var rate = node.Role >= 0 ? Model.RoleRates[node.Role] : 0m;
        Complete(node, task.StepInstance, user.Id, outcome, rate * hours);

        if (node.MultiInstance is { } multi && !MultiDone(node, multi, token.Group))
        {
            return RunAsync();
        }

        Route(node, outcome);
        return RunAsync();
    }

    /// <summary>Counts a finished run of a multi-instance task; true when the step as a whole is done (the rest cancelled).</summary>
    private bool MultiDone(ModelNode node, MultiInstance multi, int group)
    {
        var joins = Joins();
        var at = 3 * node.Index;
        joins[at]++;
        if (joins[at] >= joins[at + 1])
        {
            for (var i = Instance.TokenCount - 1; i >= 0; i--)
            {
                if (Instance.Tokens[i].Node == node.Index && Instance.Tokens[i].Wait == TokenWait.Task)
                {
                    CancelToken(i);
                }
            }

            joins[at] = joins[at + 1] = joins[at + 2] = 0;
            return true;
        }

        if (multi.Mode == MultiInstanceMode.Sequential)
        {
            var items = Items(node);
            var next = joins[at];
            if (next < items.Count)
            {
                CreateTask(node, Begin(node, PathKind.Happy), group, items[next]);
                return false;
            }

            joins[at] = joins[at + 1] = joins[at + 2] = 0;
            return true;
        }

        return false;
    }

    private void Route(ModelNode node, string? outcome)
    {
        if (node.Outcomes.Length == 0 || outcome is null)
        {
            Follow(node);
            return;
        }

        for (var i = node.Edges.Length - 1; i >= 0; i--)
        {
            var edge = node.Edges[i];
            if (string.Equals(edge.Outcome, outcome, StringComparison.Ordinal)
                && (edge.When is null || edge.When.EvaluateCondition(View, _time, CancellationToken)))
            {
                Push(edge.Target, edge.Path);
            }
        }
    }
}
