using Stateless;
using static ProcessKit.Benchmarks.Compare.ScenarioData;

namespace ProcessKit.Benchmarks.Compare.Stateless;

/// <summary>
/// A step, a waiting state left by a parameterised trigger carrying the event's payload, a step.
/// Parked instances (with their machines) sit in a dictionary by correlation key; resuming looks
/// each key up and fires the trigger.
/// </summary>
internal sealed class WaitDriver : StatelessDriver<WaitDriver.Instance>
{
    private Dictionary<string, Instance> _parked = [];
    private bool _resumed;

    /// <inheritdoc />
    public override Task PrepareAsync(int count, CancellationToken cancellationToken)
    {
        _parked = [];
        return base.PrepareAsync(count, cancellationToken);
    }

    /// <inheritdoc />
    protected override Instance Start(int index)
    {
        var instance = new Instance { Index = index };
        var machine = new StateMachine<State, Trigger>(() => instance.State, s => instance.State = s, FiringMode.Immediate);
        var received = machine.SetTriggerParameters<int>(Trigger.Received);
        machine.Configure(State.Created).Permit(Trigger.Next, State.Before);
        machine.Configure(State.Before)
            .OnEntry(() => instance.Before = StepValue(instance.Index, 1))
            .Permit(Trigger.Next, State.Waiting);
        machine.Configure(State.Waiting).Permit(Trigger.Received, State.After);
        machine.Configure(State.After)
            .OnEntryFrom(received, payload =>
            {
                instance.Payload = payload;
                instance.After = StepValue(instance.Index, 2) + payload;
            })
            .Permit(Trigger.Next, State.Done);
        machine.Fire(Trigger.Next);
        machine.Fire(Trigger.Next);
        instance.Machine = machine;
        instance.ReceivedTrigger = received;
        _parked.Add(Key(index), instance);
        return instance;
    }

    /// <inheritdoc />
    public override Task ResumeAllAsync(CancellationToken cancellationToken)
    {
        _resumed = true;
        SetProgress(0);
        for (var i = 0; i < Instances.Length; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (_parked.Remove(Key(i), out var instance) && instance.Machine is { } machine && instance.ReceivedTrigger is { } received)
            {
                machine.Fire(received, Payload(i));
                machine.Fire(Trigger.Next);
                instance.Machine = null;
                instance.ReceivedTrigger = null;
            }

            SetProgress(i + 1);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override void Check(int index, Instance instance, Problems problems)
    {
        if (instance.Before != StepValue(index, 1))
        {
            problems.Add($"instance {index}: the first step wrote {instance.Before}");
        }

        if (_resumed)
        {
            if (instance.State != State.Done || instance.Payload != Payload(index) || instance.After != StepValue(index, 2) + Payload(index))
            {
                problems.Add($"instance {index}: in {instance.State}, payload {instance.Payload}, the last step wrote {instance.After}");
            }
        }
        else if (instance.State != State.Waiting || instance.After != 0 || !_parked.ContainsKey(Key(index)))
        {
            problems.Add($"instance {index}: in {instance.State} before any event");
        }
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        _parked = [];
        return base.DisposeAsync();
    }

    internal enum State { Created, Before, Waiting, After, Done }

    internal enum Trigger { Next, Received }

    /// <summary>One instance: its state, data and, while parked, its machine.</summary>
    internal sealed class Instance
    {
        public State State { get; set; }
        public int Index { get; init; }
        public int Before { get; set; }
        public int Payload { get; set; }
        public int After { get; set; }
        public StateMachine<State, Trigger>? Machine { get; set; }
        public StateMachine<State, Trigger>.TriggerWithParameters<int>? ReceivedTrigger { get; set; }
    }
}
