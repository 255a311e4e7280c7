using WorkflowCore.Interface;
using WorkflowCore.Models;
using static ProcessKit.Benchmarks.Compare.ScenarioData;

namespace ProcessKit.Benchmarks.Compare.WorkflowCore;

/// <summary>A step, Workflow Core's <c>Parallel</c> with three branches, <c>Join</c>, a step.</summary>
internal sealed class ParallelDriver : WorkflowCoreDriver<ParallelDriver.Workflow, ParallelDriver.Data>
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
        if (data.Split != StepValue(data.Index, 1) || data.Branch1 != StepValue(data.Index, 2)
            || data.Branch2 != StepValue(data.Index, 3) || data.Branch3 != StepValue(data.Index, 4)
            || data.Joined != StepValue(data.Index, 5))
        {
            problems.Add($"instance {data.Index}: split {data.Split}, branches {data.Branch1}/{data.Branch2}/{data.Branch3}, joined {data.Joined}");
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
        public int Split { get; set; }
        public int Branch1 { get; set; }
        public int Branch2 { get; set; }
        public int Branch3 { get; set; }
        public int Joined { get; set; }
    }

    /// <summary>The definition.</summary>
    internal sealed class Workflow : IWorkflow<Data>
    {
        public string Id => "parallel";

        public int Version => 1;

        public void Build(IWorkflowBuilder<Data> builder) => builder
            .StartWith(context => Set(context, d => d.Split = StepValue(d.Index, 1)))
            .Parallel()
                .Do(branch => branch.StartWith(context => Set(context, d => d.Branch1 = StepValue(d.Index, 2))))
                .Do(branch => branch.StartWith(context => Set(context, d => d.Branch2 = StepValue(d.Index, 3))))
                .Do(branch => branch.StartWith(context => Set(context, d => d.Branch3 = StepValue(d.Index, 4))))
            .Join()
            .Then(context => Set(context, d => d.Joined = d.Branch1 != 0 && d.Branch2 != 0 && d.Branch3 != 0 ? StepValue(d.Index, 5) : -1));

        private static ExecutionResult Set(IStepExecutionContext context, Action<Data> set)
        {
            set((Data)context.Workflow.Data);
            return ExecutionResult.Next();
        }
    }
}
