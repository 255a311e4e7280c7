using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Json.Schema;
using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;
using ProcessKit.Tests.Generators;

namespace ProcessKit.Tests.Definitions.Json;

public sealed class RoundTripProperties
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(ProcessDefinitionJson.SchemaText, new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    [Property(Arbitrary = [typeof(DefinitionArbitraries)], MaxTest = 200)]
    public void Reading_what_was_written_gives_an_equal_definition(ProcessDefinition definition)
    {
        var json = ProcessDefinitionJson.Write(definition);

        var result = ProcessDefinitionJson.Load(Encoding.UTF8.GetBytes(json));

        Assert.True(result.IsValid, string.Join("\n", result.Problems) + "\n" + json);
        Assert.Equal(definition, result.Definition);
    }

    [Property(Arbitrary = [typeof(DefinitionArbitraries)])]
    public void Write_is_deterministic(ProcessDefinition definition)
    {
        var first = ProcessDefinitionJson.Write(definition);
        var second = ProcessDefinitionJson.Write(definition);
        var ofTheCopy = ProcessDefinitionJson.Write(ProcessDefinitionJson.Read(first));

        Assert.Equal(first, second);
        Assert.Equal(first, ofTheCopy);
    }

    [Property(Arbitrary = [typeof(DefinitionArbitraries)])]
    public void What_is_written_validates_against_the_schema(ProcessDefinition definition, bool indented)
    {
        using var document = System.Text.Json.JsonDocument.Parse(ProcessDefinitionJson.Write(definition, indented));

        var results = Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(results.IsValid);
    }

    [Fact]
    public void The_generator_covers_every_step_kind_and_setting()
    {
        // Fixed seeds: the coverage must not depend on luck.
        var definitions = Enumerable.Range(0, 200).Select(static seed => new ValidDefinitionFactory(seed, 1 + (seed % 12)).Create()).ToList();
        var steps = definitions.SelectMany(static d => d.Steps).ToList();

        Assert.Equal(Enum.GetValues<StepKind>().Order(), steps.Select(static s => s.Kind).Distinct().Order());
        var missing = new (string Setting, bool Covered)[]
        {
            ("task with outcomes, escalations, deadline and multi-instance", steps.Exists(static s => s is HumanTaskStep { Outcomes.IsEmpty: false, Escalations.IsEmpty: false, Deadline: not null, MultiInstance: not null })),
            ("deferred allocation", steps.Exists(static s => s is HumanTaskStep { Allocation.Strategy: AllocationStrategy.Expression })),
            ("asynchronous automated step with retry and timeout", steps.Exists(static s => s is AutomatedStep { Retry: not null, Asynchronous: true, Timeout: not null })),
            ("message wait with timeout and correlation", steps.Exists(static s => s is WaitMessageStep { Timeout: not null, Correlation: not null })),
            ("sub-process with mappings and version", steps.Exists(static s => s is SubProcessStep { Inputs.IsEmpty: false, Outputs.IsEmpty: false, Version: not null })),
            ("timer until an expression", steps.Exists(static s => s is TimerStep { Wait.At: not null })),
            ("terminating end", steps.Exists(static s => s is EndStep { Terminate: true })),
            ("rework flow", steps.Exists(static s => s.Flows.Any(static f => f.Path == PathKind.Rework))),
            ("deadlines", definitions.Exists(static d => d.Deadlines.Any(static x => x.Until is not null && !x.Escalations.IsEmpty))),
            ("targets", definitions.Exists(static d => d.Targets is { SatisfactionField: not null, CycleTime: not null })),
            ("every trigger kind", definitions.Exists(static d => d.Triggers.Count == 3)),
            ("an explicit start step", definitions.Exists(static d => d.StartStep is not null && d.StartStep != d.Steps[0].Id)),
        }.Where(static c => !c.Covered).Select(static c => c.Setting);

        Assert.Empty(missing);
    }
}
