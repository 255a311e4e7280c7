using Stateless;
using static ProcessKit.Benchmarks.Compare.ScenarioData;

namespace ProcessKit.Benchmarks.Compare.Stateless;

/// <summary>A step, then two guarded transitions on the amount (exclusive), each to a branch state that sets a field.</summary>
internal sealed class DecisionDriver : StatelessDriver<DecisionDriver.Instance>
{
    /// <inheritdoc />
    protected override Instance Start(int index)
    {
        var instance = new Instance { Index = index, Amount = Amount(index) };
        var machine = new StateMachine<State, Trigger>(() => instance.State, s => instance.State = s, FiringMode.Immediate);
        machine.Configure(State.Created).Permit(Trigger.Next, State.Checked);
        machine.Configure(State.Checked)
            .OnEntry(() => instance.Checked = StepValue(instance.Index, 1))
            .PermitIf(Trigger.Next, State.Approved, () => instance.Amount > 100)
            .PermitIf(Trigger.Next, State.Rejected, () => instance.Amount <= 100);
        machine.Configure(State.Approved).OnEntry(() => instance.Approved = StepValue(instance.Index, 2));
        machine.Configure(State.Rejected).OnEntry(() => instance.Rejected = StepValue(instance.Index, 2));
        machine.Fire(Trigger.Next);
        machine.Fire(Trigger.Next);
        return instance;
    }

    /// <inheritdoc />
    protected override void Check(int index, Instance instance, Problems problems)
    {
        if (instance.Checked != StepValue(index, 1))
        {
            problems.Add($"instance {index}: the first step wrote {instance.Checked}");
        }

        var (expected, taken, other) = Approves(index)
            ? (State.Approved, instance.Approved, instance.Rejected)
            : (State.Rejected, instance.Rejected, instance.Approved);
        if (instance.State != expected || taken != StepValue(index, 2) || other != 0)
        {
            problems.Add($"instance {index} (amount {instance.Amount}): in {instance.State}, approved {instance.Approved}, rejected {instance.Rejected}");
        }
    }

    internal enum State { Created, Checked, Approved, Rejected }

    internal enum Trigger { Next }

    /// <summary>One instance: its state and data.</summary>
    internal sealed class Instance
    {
        public State State { get; set; }
        public int Index { get; init; }
        public int Amount { get; init; }
        public int Checked { get; set; }
        public int Approved { get; set; }
        public int Rejected { get; set; }
    }
}
