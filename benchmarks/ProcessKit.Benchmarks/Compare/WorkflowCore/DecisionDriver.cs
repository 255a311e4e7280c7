using WorkflowCore.Interface;
using WorkflowCore.Models;
using static ProcessKit.Benchmarks.Compare.ScenarioData;

namespace ProcessKit.Benchmarks.Compare.WorkflowCore;

/// <summary>A step, Workflow Core's exclusive <c>Decide</c> on the amount, one of two branch steps.</summary>
internal sealed class DecisionDriver : WorkflowCoreDriver<DecisionDriver.Workflow, DecisionDriver.Data>
{
    /// <inheritdoc />
    public override async Task StartAllAsync(CancellationToken cancellationToken)
    {
        var completed = ExpectCompletionsAsync(cancellationToken);
        await StartInstancesAsync(cancellationToken).ConfigureAwait(false);
        await completed.ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override Data CreateData(int index) => new() { Index = index, Amount = Amount(index) };

    /// <inheritdoc />
    protected override void Check(WorkflowStatus status, Data data, Problems problems)
    {
        if (data.Checked != StepValue(data.Index, 1))
        {
            problems.Add($"instance {data.Index}: the first step wrote {data.Checked}");
        }

        var (taken, other) = Approves(data.Index) ? (data.Approved, data.Rejected) : (data.Rejected, data.Approved);
        if (taken != StepValue(data.Index, 2) || other != 0)
        {
            problems.Add($"instance {data.Index} (amount {data.Amount}): approved {data.Approved}, rejected {data.Rejected}");
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
        public int Amount { get; set; }
        public int Checked { get; set; }
        public int Approved { get; set; }
        public int Rejected { get; set; }
    }

    /// <summary>The definition.</summary>
    internal sealed class Workflow : IWorkflow<Data>
    {
        public string Id => "decision";

        public int Version => 1;

        public void Build(IWorkflowBuilder<Data> builder)
        {
            var approve = builder.CreateBranch().StartWith(context => Set(context, d => d.Approved = StepValue(d.Index, 2)));
            var reject = builder.CreateBranch().StartWith(context => Set(context, d => d.Rejected = StepValue(d.Index, 2)));
            builder
                .StartWith(context => Set(context, d => d.Checked = StepValue(d.Index, 1)))
                .Then(context => ExecutionResult.Outcome(((Data)context.Workflow.Data).Amount > 100))
                    .Branch(true, approve)
                    .Branch(false, reject);
        }

        private static ExecutionResult Set(IStepExecutionContext context, Action<Data> set)
        {
            set((Data)context.Workflow.Data);
            return ExecutionResult.Next();
        }
    }
}
