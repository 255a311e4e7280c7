using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Messaging;
using static ProcessKit.Benchmarks.Compare.ScenarioData;

namespace ProcessKit.Benchmarks.Compare.ProcessKit;

/// <summary>
/// A step, a message wait on <see cref="ScenarioData.EventName"/> correlated by the instance's key
/// (the payload written into the instance), a step. Parking ends when every <c>StartAsync</c> has
/// returned (the wait is committed with the start); resuming publishes one message per key with
/// <see cref="ProcessEngine.PublishMessageAsync"/>, each of which must be delivered.
/// </summary>
internal sealed class WaitDriver : ProcessKitDriver
{
    private bool _resumed;

    /// <inheritdoc />
    protected override ProcessDefinition Definition()
    {
        var p = ProcessBuilder.Create("bench.wait", "Wait");
        p.Supplier("s", "S").Inputs(Field.Number(IndexField, required: true), Field.String("key", required: true));
        var before = p.Automated("before", "Before", "bench.before").Writes(Field.Number("before"));
        var wait = p.WaitMessage("wait", "Wait for the payment", EventName).CorrelatedBy("key").Writes(Field.Number("payload"));
        var after = p.Automated("after", "After", "bench.after").Writes(Field.Number("after"));
        var done = p.End("done", "Done");
        before.Then(wait);
        wait.Then(after);
        after.Then(done);
        return p.Build();
    }

    /// <inheritdoc />
    protected override Dictionary<string, object?> StartData(int index) => new() { [IndexField] = index, ["key"] = Key(index) };

    /// <inheritdoc />
    protected override void AddHandlers(ProcessEngineOptions options) => options
        .AddHandler("bench.before", static c => c.Set("before", StepValue(Number(c, IndexField), 1)))
        .AddHandler("bench.after", static c => c.Set("after", StepValue(Number(c, IndexField), 2) + Number(c, "payload")));

    /// <inheritdoc />
    public override async Task ResumeAllAsync(CancellationToken cancellationToken)
    {
        _resumed = true;
        SetProgress(0);
        for (var i = 0; i < Ids.Length; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var message = new ProcessMessage(EventName)
            {
                CorrelationKey = Key(i),
                Payload = new Dictionary<string, object?> { ["payload"] = Payload(i) },
            };
            var outcome = await Engine.PublishMessageAsync(message, cancellationToken).ConfigureAwait(false);
            if (outcome != MessageOutcome.Delivered)
            {
                throw new InvalidOperationException($"The message for instance {i} was {outcome}, not delivered.");
            }

            SetProgress(i + 1);
        }
    }

    /// <inheritdoc />
    protected override void Check(int index, InstanceSnapshot instance, Problems problems)
    {
        var before = Number(instance, "before");
        if (before != StepValue(index, 1))
        {
            problems.Add($"instance {index}: the first step wrote {before}");
        }

        if (_resumed)
        {
            var payload = Number(instance, "payload");
            var after = Number(instance, "after");
            if (instance.State != InstanceState.Completed || payload != Payload(index) || after != StepValue(index, 2) + Payload(index))
            {
                problems.Add($"instance {index}: {instance.State}, payload {payload}, the last step wrote {after}");
            }
        }
        else if (instance.State != InstanceState.Running || instance.ActiveSteps is not ["wait"] || instance.Data.ContainsKey("after"))
        {
            problems.Add($"instance {index}: {instance.State} at [{string.Join(", ", instance.ActiveSteps)}] before any message");
        }
    }
}
