using ProcessKit.Definitions;
using ProcessKit.Execution;
using static ProcessKit.Benchmarks.Compare.ScenarioData;

namespace ProcessKit.Benchmarks.Compare.ProcessKit;

/// <summary>A step, a parallel split into three automated branches (each sets a field), the join, a step.</summary>
internal sealed class ParallelDriver : ProcessKitDriver
{
    private static readonly string[] Fields = ["split", "branch1", "branch2", "branch3", "joined"];

    /// <inheritdoc />
    protected override ProcessDefinition Definition()
    {
        var p = ProcessBuilder.Create("bench.parallel", "Parallel");
        p.Supplier("s", "S").Inputs(Field.Number(IndexField, required: true));
        var steps = Fields.Select(f => p.Automated(f + "Step", f, "bench." + f).Writes(Field.Number(f))).ToArray();
        var split = p.ParallelSplit("fork", "Fork");
        var join = p.ParallelJoin("join", "Join", split);
        var done = p.End("done", "Done");
        steps[0].Then(split);
        split.Branch(steps[1]).Branch(steps[2]).Branch(steps[3]);
        steps[1].Then(join);
        steps[2].Then(join);
        steps[3].Then(join);
        join.Then(steps[4]);
        steps[4].Then(done);
        return p.Build();
    }

    /// <inheritdoc />
    protected override void AddHandlers(ProcessEngineOptions options)
    {
        for (var k = 0; k < Fields.Length; k++)
        {
            var step = k + 1;
            var field = Fields[k];
            options.AddHandler("bench." + field, c => c.Set(field, StepValue(Number(c, IndexField), step)));
        }
    }

    /// <inheritdoc />
    protected override void Check(int index, InstanceSnapshot instance, Problems problems)
    {
        var values = Fields.Select(f => Number(instance, f)).ToArray();
        if (instance.State != InstanceState.Completed || values.Select((v, k) => v != StepValue(index, k + 1)).Any(static wrong => wrong))
        {
            problems.Add($"instance {index}: {instance.State}, split/branches/joined wrote {string.Join('/', values)}");
        }
    }
}
