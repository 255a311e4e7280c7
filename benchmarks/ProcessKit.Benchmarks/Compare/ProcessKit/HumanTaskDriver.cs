using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Tasks;
using static ProcessKit.Benchmarks.Compare.ScenarioData;

namespace ProcessKit.Benchmarks.Compare.ProcessKit;

/// <summary>
/// A step, a human task offered to the role "clerk" with the outcomes approve and reject (it writes
/// a number field), an end per outcome. One round trip per instance: <see cref="ProcessEngine.StartAsync"/>
/// (the step runs, the task opens), <see cref="ProcessEngine.QueryTasksAsync"/> for the instance's
/// offered task, <see cref="ProcessEngine.CompleteTaskAsync"/> by a clerk with the outcome and the
/// field's value (completing an unclaimed task claims it), the instance ends.
/// </summary>
internal sealed class HumanTaskDriver : ProcessKitDriver
{
    private static readonly ProcessUser Clerk = new("ann", ["clerk"]);

    /// <summary>Whether each instance stops with its task open (the memory line): started, not completed.</summary>
    public bool ParkOnly { get; init; }

    /// <inheritdoc />
    protected override ProcessDefinition Definition()
    {
        var p = ProcessBuilder.Create("bench.task", "Task");
        p.Supplier("s", "S").Inputs(Field.Number(IndexField, required: true));
        var clerk = p.Role("clerk", "Clerk");
        var before = p.Automated("before", "Before", "bench.before").Writes(Field.Number("before"));
        var review = p.HumanTask("review", "Review", clerk).Writes(Field.Number("reviewed", required: true));
        before.Then(review);
        review.On("approve", p.End("approved", "Approved").Outcome("approved"));
        review.On("reject", p.End("rejected", "Rejected").Outcome("rejected"));
        return p.Build();
    }

    /// <inheritdoc />
    protected override void AddHandlers(ProcessEngineOptions options) =>
        options.AddHandler("bench.before", static c => c.Set("before", StepValue(Number(c, IndexField), 1)));

    /// <inheritdoc />
    protected override async ValueTask RunInstanceAsync(int index, CancellationToken cancellationToken)
    {
        var id = await Engine.StartAsync("bench.task", StartData(index), cancellationToken: cancellationToken).ConfigureAwait(false);
        Ids[index] = id;
        if (ParkOnly)
        {
            return;
        }

        var tasks = await Engine.QueryTasksAsync(new TaskQuery { Instance = id, State = TaskState.Offered }, cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object?> { ["reviewed"] = StepValue(index, 2) };
        await Engine.CompleteTaskAsync(tasks[0].TaskId, Clerk, Approves(index) ? "approve" : "reject", data, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void Check(int index, InstanceSnapshot instance, Problems problems)
    {
        if (ParkOnly)
        {
            if (instance.State != InstanceState.Running || instance.ActiveSteps is not ["review"] || Number(instance, "before") != StepValue(index, 1))
            {
                problems.Add($"instance {index}: {instance.State} at {string.Join(", ", instance.ActiveSteps)}, wrote {Number(instance, "before")}");
            }

            return;
        }

        var expected = Approves(index) ? "approved" : "rejected";
        if (instance.State != InstanceState.Completed || instance.EndOutcome != expected
            || Number(instance, "before") != StepValue(index, 1) || Number(instance, "reviewed") != StepValue(index, 2))
        {
            problems.Add($"instance {index}: {instance.State}, ended {instance.EndOutcome}, wrote {Number(instance, "before")}/{Number(instance, "reviewed")}");
        }
    }
}
