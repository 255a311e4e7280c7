using WorkflowCore.Interface;
using WorkflowCore.Models;
using static ProcessKit.Benchmarks.Compare.ScenarioData;

namespace ProcessKit.Benchmarks.Compare.WorkflowCore;

/// <summary>
/// A step, Workflow Core's <c>WaitFor</c> on the instance's correlation key (the event's data
/// copied into the instance with <c>Output</c>), a step. Parking ends when every subscription is
/// stored; resuming publishes one event per key with <c>PublishEvent</c>.
/// </summary>
internal sealed class WaitDriver : WorkflowCoreDriver<WaitDriver.Workflow, WaitDriver.Data>
{
    private bool _resumed;

    /// <inheritdoc />
    public override async Task StartAllAsync(CancellationToken cancellationToken)
    {
        var parked = ExpectParkedAsync(cancellationToken);
        await StartInstancesAsync(cancellationToken).ConfigureAwait(false);
        await parked.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task ResumeAllAsync(CancellationToken cancellationToken)
    {
        _resumed = true;
        var completed = ExpectCompletionsAsync(cancellationToken);
        for (var i = 0; i < Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Host.PublishEvent(EventName, Key(i), Payload(i)).ConfigureAwait(false);
        }

        await completed.ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override Data CreateData(int index) => new() { Index = index, Key = Key(index) };

    /// <inheritdoc />
    protected override void Check(WorkflowStatus status, Data data, Problems problems)
    {
        if (data.Before != StepValue(data.Index, 1))
        {
            problems.Add($"instance {data.Index}: the first step wrote {data.Before}");
        }

        if (_resumed)
        {
            if (data.Payload is not int payload || payload != Payload(data.Index) || data.After != StepValue(data.Index, 2) + payload)
            {
                problems.Add($"instance {data.Index}: payload {data.Payload}, the last step wrote {data.After}");
            }

            if (status != WorkflowStatus.Complete)
            {
                problems.Add($"instance {data.Index}: {status}, not complete");
            }
        }
        else if (data.Payload is not null || data.After != 0 || status != WorkflowStatus.Runnable)
        {
            problems.Add($"instance {data.Index}: {status} with payload {data.Payload} before any event");
        }
    }

    /// <summary>The instance data.</summary>
    internal sealed class Data : IIndexed
    {
        public int Index { get; set; }
        public string Key { get; set; } = "";
        public int Before { get; set; }
        public object? Payload { get; set; }
        public int After { get; set; }
    }

    /// <summary>The definition.</summary>
    internal sealed class Workflow : IWorkflow<Data>
    {
        public string Id => "wait";

        public int Version => 1;

        public void Build(IWorkflowBuilder<Data> builder) => builder
            .StartWith(context => Set(context, d => d.Before = StepValue(d.Index, 1)))
            .WaitFor(EventName, data => data.Key)
                .Output(data => data.Payload, step => step.EventData)
            .Then(context => Set(context, d => d.After = StepValue(d.Index, 2) + (d.Payload is int p ? p : -1_000_000)));

        private static ExecutionResult Set(IStepExecutionContext context, Action<Data> set)
        {
            set((Data)context.Workflow.Data);
            return ExecutionResult.Next();
        }
    }
}
