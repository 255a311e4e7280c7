using ProcessKit.Definitions;
using ProcessKit.Execution;
using static ProcessKit.Benchmarks.Compare.ScenarioData;

namespace ProcessKit.Benchmarks.Compare.ProcessKit;

/// <summary>A step, an exclusive decision on the amount (<c>amount &gt; 100</c>, otherwise), one of two branch steps.</summary>
internal sealed class DecisionDriver : ProcessKitDriver
{
    /// <inheritdoc />
    protected override ProcessDefinition Definition()
    {
        var p = ProcessBuilder.Create("bench.decision", "Decision");
        p.Supplier("s", "S").Inputs(Field.Number(IndexField, required: true), Field.Number("amount", required: true));
        var check = p.Automated("check", "Check", "bench.check").Writes(Field.Number("checked"));
        var decide = p.Decision("decide", "Big enough?");
        var approve = p.Automated("approve", "Approve", "bench.approve").Writes(Field.Number("approved"));
        var reject = p.Automated("reject", "Reject", "bench.reject").Writes(Field.Number("rejected"));
        var approved = p.End("approvedEnd", "Approved").Outcome("approved");
        var rejected = p.End("rejectedEnd", "Rejected").Outcome("rejected");
        check.Then(decide);
        decide.When("amount > 100", approve).Otherwise(reject, PathKind.Alternate);
        approve.Then(approved);
        reject.Then(rejected);
        return p.Build();
    }

    /// <inheritdoc />
    protected override Dictionary<string, object?> StartData(int index) => new() { [IndexField] = index, ["amount"] = Amount(index) };

    /// <inheritdoc />
    protected override void AddHandlers(ProcessEngineOptions options) => options
        .AddHandler("bench.check", static c => c.Set("checked", StepValue(Number(c, IndexField), 1)))
        .AddHandler("bench.approve", static c => c.Set("approved", StepValue(Number(c, IndexField), 2)))
        .AddHandler("bench.reject", static c => c.Set("rejected", StepValue(Number(c, IndexField), 2)));

    /// <inheritdoc />
    protected override void Check(int index, InstanceSnapshot instance, Problems problems)
    {
        var done = Number(instance, "checked");
        if (done != StepValue(index, 1))
        {
            problems.Add($"instance {index}: the first step wrote {done}");
        }

        var (outcome, taken, other) = Approves(index)
            ? ("approved", Number(instance, "approved"), instance.Data.GetValueOrDefault("rejected"))
            : ("rejected", Number(instance, "rejected"), instance.Data.GetValueOrDefault("approved"));
        if (instance.State != InstanceState.Completed || instance.EndOutcome != outcome || taken != StepValue(index, 2) || other is not null)
        {
            problems.Add($"instance {index} (amount {Amount(index)}): {instance.State}, ended {instance.EndOutcome}, branch wrote {taken}, other branch {other}");
        }
    }
}
