using System.Text;
using BenchmarkDotNet.Attributes;
using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;
using ProcessKit.Definitions.Validation;
using ProcessKit.Export;

namespace ProcessKit.Benchmarks;

/// <summary>
/// The definition side: load (schema + semantic validation + mapping) of a 200-step JSON document,
/// validation alone, writing, and the Mermaid export.
/// </summary>
[MemoryDiagnoser]
public class DefinitionLoadBenchmarks
{
    private byte[] _json = [];
    private ProcessDefinition _definition = null!;

    /// <summary>The number of steps of the definition.</summary>
    [Params(200)]
    public int Steps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _definition = LargeDefinition.Create(Steps);
        _json = Encoding.UTF8.GetBytes(ProcessDefinitionJson.Write(_definition));
        var check = ProcessDefinitionJson.Load(_json);
        if (!check.IsValid || check.Definition != _definition || !check.Problems.IsEmpty)
        {
            throw new InvalidOperationException("The benchmark definition must load back valid and equal: " + string.Join("; ", check.Problems));
        }
    }

    [Benchmark(Baseline = true, Description = "Load + validate 200-step JSON")]
    public ProcessDefinition? LoadJson() => ProcessDefinitionJson.Load(_json).Definition;

    [Benchmark(Description = "Validate 200-step definition")]
    public int Validate() => ProcessDefinitionValidator.Validate(_definition).Count;

    [Benchmark(Description = "Write 200-step JSON")]
    public string WriteJson() => ProcessDefinitionJson.Write(_definition);

    [Benchmark(Description = "Mermaid of 200 steps")]
    public string Mermaid() => MermaidExporter.Export(_definition);
}
