using Stateless;
using static ProcessKit.Benchmarks.Compare.ScenarioData;

namespace ProcessKit.Benchmarks.Compare.Stateless;

/// <summary>
/// Stateless has no parallel branches: the nearest honest model is a step, a state in which three
/// internal transitions (the branches) each set a field, a join transition guarded on all three,
/// and a step after it.
/// </summary>
internal sealed class ParallelDriver : StatelessDriver<ParallelDriver.Instance>
{
    /// <inheritdoc />
    protected override Instance Start(int index)
    {
        var instance = new Instance { Index = index };
        var machine = new StateMachine<State, Trigger>(() => instance.State, s => instance.State = s, FiringMode.Immediate);
        machine.Configure(State.Created).Permit(Trigger.Next, State.Split);
        machine.Configure(State.Split)
            .OnEntry(() => instance.Split = StepValue(instance.Index, 1))
            .Permit(Trigger.Next, State.Branches);
        machine.Configure(State.Branches)
            .InternalTransition(Trigger.Branch1, _ => instance.Branch1 = StepValue(instance.Index, 2))
            .InternalTransition(Trigger.Branch2, _ => instance.Branch2 = StepValue(instance.Index, 3))
            .InternalTransition(Trigger.Branch3, _ => instance.Branch3 = StepValue(instance.Index, 4))
            .PermitIf(Trigger.Join, State.Joined, () => instance.Branch1 != 0 && instance.Branch2 != 0 && instance.Branch3 != 0);
        machine.Configure(State.Joined).OnEntry(() => instance.Joined = StepValue(instance.Index, 5));
        machine.Fire(Trigger.Next);
        machine.Fire(Trigger.Next);
        machine.Fire(Trigger.Branch1);
        machine.Fire(Trigger.Branch2);
        machine.Fire(Trigger.Branch3);
        machine.Fire(Trigger.Join);
        return instance;
    }

    /// <inheritdoc />
    protected override void Check(int index, Instance instance, Problems problems)
    {
        if (instance.State != State.Joined || instance.Split != StepValue(index, 1) || instance.Branch1 != StepValue(index, 2)
            || instance.Branch2 != StepValue(index, 3) || instance.Branch3 != StepValue(index, 4) || instance.Joined != StepValue(index, 5))
        {
            problems.Add($"instance {index}: in {instance.State}, split {instance.Split}, branches {instance.Branch1}/{instance.Branch2}/{instance.Branch3}, joined {instance.Joined}");
        }
    }

    internal enum State { Created, Split, Branches, Joined }

    internal enum Trigger { Next, Branch1, Branch2, Branch3, Join }

    /// <summary>One instance: its state and data.</summary>
    internal sealed class Instance
    {
        public State State { get; set; }
        public int Index { get; init; }
        public int Split { get; set; }
        public int Branch1 { get; set; }
        public int Branch2 { get; set; }
        public int Branch3 { get; set; }
        public int Joined { get; set; }
    }
}
