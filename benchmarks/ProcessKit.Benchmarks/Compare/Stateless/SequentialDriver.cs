using Stateless;
using static ProcessKit.Benchmarks.Compare.ScenarioData;

namespace ProcessKit.Benchmarks.Compare.Stateless;

/// <summary>Five states whose entry actions each set a field, then Done.</summary>
internal sealed class SequentialDriver : StatelessDriver<SequentialDriver.Instance>
{
    /// <inheritdoc />
    protected override Instance Start(int index)
    {
        var instance = new Instance { Index = index };
        var machine = new StateMachine<State, Trigger>(() => instance.State, s => instance.State = s, FiringMode.Immediate);
        machine.Configure(State.Created).Permit(Trigger.Next, State.Step1);
        machine.Configure(State.Step1).OnEntry(() => instance.Step1 = StepValue(instance.Index, 1)).Permit(Trigger.Next, State.Step2);
        machine.Configure(State.Step2).OnEntry(() => instance.Step2 = StepValue(instance.Index, 2)).Permit(Trigger.Next, State.Step3);
        machine.Configure(State.Step3).OnEntry(() => instance.Step3 = StepValue(instance.Index, 3)).Permit(Trigger.Next, State.Step4);
        machine.Configure(State.Step4).OnEntry(() => instance.Step4 = StepValue(instance.Index, 4)).Permit(Trigger.Next, State.Step5);
        machine.Configure(State.Step5).OnEntry(() => instance.Step5 = StepValue(instance.Index, 5)).Permit(Trigger.Next, State.Done);
        while (instance.State != State.Done)
        {
            machine.Fire(Trigger.Next);
        }

        return instance;
    }

    /// <inheritdoc />
    protected override void Check(int index, Instance instance, Problems problems)
    {
        int[] values = [instance.Step1, instance.Step2, instance.Step3, instance.Step4, instance.Step5];
        for (var step = 1; step <= values.Length; step++)
        {
            if (values[step - 1] != StepValue(index, step))
            {
                problems.Add($"instance {index}: step {step} wrote {values[step - 1]}");
            }
        }

        if (instance.State != State.Done)
        {
            problems.Add($"instance {index}: {instance.State}, not done");
        }
    }

    internal enum State { Created, Step1, Step2, Step3, Step4, Step5, Done }

    internal enum Trigger { Next }

    /// <summary>One instance: its state and data.</summary>
    internal sealed class Instance
    {
        public State State { get; set; }
        public int Index { get; init; }
        public int Step1 { get; set; }
        public int Step2 { get; set; }
        public int Step3 { get; set; }
        public int Step4 { get; set; }
        public int Step5 { get; set; }
    }
}
