using ProcessKit.Definitions;
using ProcessKit.Execution;
using static ProcessKit.Benchmarks.Compare.ScenarioData;

namespace ProcessKit.Benchmarks.Compare.ProcessKit;

/// <summary>Five automated steps, each a handler (registered by name) that sets a field, then an end.</summary>
internal sealed class SequentialDriver : ProcessKitDriver
{
    private const int Steps = 5;

    /// <inheritdoc />
    protected override ProcessDefinition Definition()
    {
        var p = ProcessBuilder.Create("bench.sequential", "Sequential");
        p.Supplier("s", "S").Inputs(Field.Number(IndexField, required: true));
        var steps = new AutomatedStepHandle[Steps];
        for (var k = 1; k <= Steps; k++)
        {
            steps[k - 1] = p.Automated("step" + k, "Step " + k, "bench.step" + k).Writes(Field.Number("step" + k));
        }

        var done = p.End("done", "Done");
        for (var k = 0; k < Steps - 1; k++)
        {
            steps[k].Then(steps[k + 1]);
        }

        steps[^1].Then(done);
        return p.Build();
    }

    /// <inheritdoc />
    protected override void AddHandlers(ProcessEngineOptions options)
    {
        for (var k = 1; k <= Steps; k++)
        {
            var step = k;
            var field = "step" + k;
            options.AddHandler("bench.step" + k, c => c.Set(field, StepValue(Number(c, IndexField), step)));
        }
    }

    /// <inheritdoc />
    protected override void Check(int index, InstanceSnapshot instance, Problems problems)
    {
        for (var k = 1; k <= Steps; k++)
        {
            var value = Number(instance, "step" + k);
            if (value != StepValue(index, k))
            {
                problems.Add($"instance {index}: step {k} wrote {value}");
            }
        }

        if (instance.State != InstanceState.Completed)
        {
            problems.Add($"instance {index}: {instance.State}, not completed");
        }
    }
}
