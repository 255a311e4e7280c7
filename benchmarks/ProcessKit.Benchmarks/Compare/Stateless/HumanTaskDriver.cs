using Stateless;
using static ProcessKit.Benchmarks.Compare.ScenarioData;

namespace ProcessKit.Benchmarks.Compare.Stateless;

/// <summary>
/// Stateless has no tasks, roles or task list: the driver keeps what ProcessKit's task is, a task
/// record (id, role, state, holder, outcome) in a dictionary of open tasks by id, opened in the
/// entry action of the waiting state. The round trip: the machine is made and fired to the waiting
/// state (a step runs, the task opens), the task is looked up by id, a guard checks the user's role,
/// a parameterised trigger carries the outcome and the value, the task is closed and the machine
/// ends in the outcome's state.
/// </summary>
internal sealed class HumanTaskDriver : StatelessDriver<HumanTaskDriver.Instance>
{
    private static readonly string[] ClerkRoles = ["clerk"];
    private Dictionary<long, OpenTask> _open = [];
    private long _lastTaskId;

    /// <summary>Whether each instance stops with its task open (the memory line): started, not completed.</summary>
    public bool ParkOnly { get; init; }

    /// <inheritdoc />
    public override Task PrepareAsync(int count, CancellationToken cancellationToken)
    {
        _open = [];
        _lastTaskId = 0;
        return base.PrepareAsync(count, cancellationToken);
    }

    /// <inheritdoc />
    protected override Instance Start(int index)
    {
        var instance = new Instance { Index = index };
        var machine = new StateMachine<State, Trigger>(() => instance.State, s => instance.State = s, FiringMode.Immediate);
        var complete = machine.SetTriggerParameters<string, int>(Trigger.Complete);
        machine.Configure(State.Created).Permit(Trigger.Next, State.Before);
        machine.Configure(State.Before)
            .OnEntry(() => instance.Before = StepValue(instance.Index, 1))
            .Permit(Trigger.Next, State.Review);
        machine.Configure(State.Review)
            .OnEntry(() =>
            {
                var task = new OpenTask(++_lastTaskId, instance, "clerk");
                _open.Add(task.Id, task);
                instance.TaskId = task.Id;
            })
            .PermitIf(complete, State.Approved, (outcome, _) => outcome == "approve")
            .PermitIf(complete, State.Rejected, (outcome, _) => outcome == "reject");
        machine.Configure(State.Approved).OnEntryFrom(complete, (_, value) => instance.Reviewed = value);
        machine.Configure(State.Rejected).OnEntryFrom(complete, (_, value) => instance.Reviewed = value);
        machine.Fire(Trigger.Next);
        machine.Fire(Trigger.Next);
        if (ParkOnly)
        {
            // Kept as a parked instance is: the machine (its configuration) stays reachable from the open task.
            instance.Machine = machine;
            return instance;
        }

        // The user's side: find the task, check the role, complete it.
        if (!_open.Remove(instance.TaskId, out var open) || Array.IndexOf(ClerkRoles, open.Role) < 0)
        {
            throw new InvalidOperationException($"The task of instance {index} is not open to a clerk.");
        }

        machine.Fire(complete, Approves(index) ? "approve" : "reject", StepValue(index, 2));
        return instance;
    }

    /// <inheritdoc />
    protected override void Check(int index, Instance instance, Problems problems)
    {
        if (ParkOnly)
        {
            if (instance.State != State.Review || instance.Before != StepValue(index, 1) || !_open.ContainsKey(instance.TaskId))
            {
                problems.Add($"instance {index}: in {instance.State}, wrote {instance.Before}, task open: {_open.ContainsKey(instance.TaskId)}");
            }

            return;
        }

        var expected = Approves(index) ? State.Approved : State.Rejected;
        if (instance.State != expected || instance.Before != StepValue(index, 1) || instance.Reviewed != StepValue(index, 2) || _open.ContainsKey(instance.TaskId))
        {
            problems.Add($"instance {index}: in {instance.State}, wrote {instance.Before}/{instance.Reviewed}");
        }
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        _open = [];
        return base.DisposeAsync();
    }

    internal enum State { Created, Before, Review, Approved, Rejected }

    internal enum Trigger { Next, Complete }

    /// <summary>An open task: its id, the instance it belongs to and the role it is offered to.</summary>
    internal sealed record OpenTask(long Id, Instance Instance, string Role);

    /// <summary>One instance: its state and data.</summary>
    internal sealed class Instance
    {
        public State State { get; set; }
        public int Index { get; init; }
        public int Before { get; set; }
        public int Reviewed { get; set; }
        public long TaskId { get; set; }

        /// <summary>The instance's state machine, kept while its task is open (the memory line).</summary>
        public StateMachine<State, Trigger>? Machine { get; set; }
    }
}
