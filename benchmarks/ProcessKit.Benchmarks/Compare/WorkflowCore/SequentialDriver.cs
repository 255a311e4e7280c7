using WorkflowCore.Interface;
using WorkflowCore.Models;
using static ProcessKit.Benchmarks.Compare.ScenarioData;

namespace ProcessKit.Benchmarks.Compare.WorkflowCore;

/// <summary>Five inline steps, each sets a field.</summary>
internal sealed class SequentialDriver : WorkflowCoreDriver<SequentialDriver.Workflow, SequentialDriver.Data>
{
    /// <inheritdoc />
    public override async Task StartAllAsync(CancellationToken cancellationToken)
    {
        var completed = ExpectCompletionsAsync(cancellationToken);
        await StartInstancesAsync(cancellationToken).ConfigureAwait(false);
        await completed.ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override Data CreateData(int index) => new() { Index = index };

    /// <inheritdoc />
    protected override void Check(WorkflowStatus status, Data data, Problems problems)
    {
        int[] values = [data.Step1, data.Step2, data.Step3, data.Step4, data.Step5];
        for (var step = 1; step <= values.Length; step++)
        {
            if (values[step - 1] != StepValue(data.Index, step))
            {
                problems.Add($"instance {data.Index}: step {step} wrote {values[step - 1]}");
            }
        }

        if (status != WorkflowStatus.Complete)
        {
            problems.Add($"instance {data.Index}: {status}, not complete");
        }
    }

    /// <summary>The instance data.</summary>
    internal sealed class Data : IIndexed
    {
        public int Index { get; set; }
        public int Step1 { get; set; }
        public int Step2 { get; set; }
        public int Step3 { get; set; }
        public int Step4 { get; set; }
        public int Step5 { get; set; }
    }

    /// <summary>The definition.</summary>
    internal sealed class Workflow : IWorkflow<Data>
    {
        public string Id => "sequential";

        public int Version => 1;

        public void Build(IWorkflowBuilder<Data> builder) => builder
            .StartWith(context => Set(context, d => d.Step1 = StepValue(d.Index, 1)))
            .Then(context => Set(context, d => d.Step2 = StepValue(d.Index, 2)))
            .Then(context => Set(context, d => d.Step3 = StepValue(d.Index, 3)))
            .Then(context => Set(context, d => d.Step4 = StepValue(d.Index, 4)))
            .Then(context => Set(context, d => d.Step5 = StepValue(d.Index, 5)));

        private static ExecutionResult Set(IStepExecutionContext context, Action<Data> set)
        {
            set((Data)context.Workflow.Data);
            return ExecutionResult.Next();
        }
    }
}
