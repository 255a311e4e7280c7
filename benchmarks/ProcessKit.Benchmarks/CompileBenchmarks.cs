using BenchmarkDotNet.Attributes;
using ProcessKit.Definitions;
using ProcessKit.Execution;

namespace ProcessKit.Benchmarks;

/// <summary>
/// Compile: a valid definition into the runnable model the engine executes (<c>ModelCompiler.Compile</c>,
/// what <c>DeployAsync</c> does before it stores the definition): the semantic validation, the handler
/// check, the data slots, the expressions parsed and compiled, the step graph resolved. The 200-step
/// definition is the one <see cref="DefinitionLoadBenchmarks"/> loads; the 5-step one is the sequential
/// process of the engine benchmarks. The setup compiles each once and checks the model has every step.
/// </summary>
[MemoryDiagnoser]
public class CompileBenchmarks
{
    private ProcessDefinition _large = null!;
    private ProcessDefinition _small = null!;
    private IReadOnlyDictionary<string, IStepHandler> _handlers = null!;

    /// <summary>Builds both definitions and registers a handler under every name they use.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _large = LargeDefinition.Create(200);
        var p = ProcessBuilder.Create("bench.sequential", "Sequential");
        p.Supplier("s", "S").Inputs(Field.Number("index", required: true));
        var steps = Enumerable.Range(1, 5).Select(k => p.Automated("step" + k, "Step " + k, "bench.step" + k).Writes(Field.Number("step" + k))).ToArray();
        for (var k = 0; k < 4; k++)
        {
            steps[k].Then(steps[k + 1]);
        }

        steps[4].Then(p.End("done", "Done"));
        _small = p.Build();
        var options = new ProcessEngineOptions();
        foreach (var name in _large.Steps.Concat(_small.Steps).OfType<AutomatedStep>().Select(static s => s.Handler).Distinct(StringComparer.Ordinal))
        {
            options.AddHandler(name, static _ => { });
        }

        _handlers = options.Handlers;
        foreach (var definition in (ProcessDefinition[])[_large, _small])
        {
            var model = ModelCompiler.Compile(definition, _handlers);
            if (model.Nodes.Length != definition.Steps.Count)
            {
                throw new InvalidOperationException($"The model of {definition.Id} has {model.Nodes.Length} nodes for {definition.Steps.Count} steps.");
            }
        }
    }

    /// <summary>Compiles the 200-step definition.</summary>
    [Benchmark(Baseline = true, Description = "Compile 200-step definition")]
    public object CompileLarge() => ModelCompiler.Compile(_large, _handlers);

    /// <summary>Compiles the 5-step definition.</summary>
    [Benchmark(Description = "Compile 5-step definition")]
    public object CompileSmall() => ModelCompiler.Compile(_small, _handlers);
}
