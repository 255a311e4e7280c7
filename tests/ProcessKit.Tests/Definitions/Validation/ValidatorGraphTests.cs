using FsCheck;
using FsCheck.Xunit;
using ProcessKit.Definitions;
using ProcessKit.Definitions.Validation;
using static ProcessKit.Tests.Definitions.Validation.Sample;

namespace ProcessKit.Tests.Definitions.Validation;

public sealed class ValidatorGraphTests
{
    [Fact]
    public void A_very_long_chain_of_steps_is_valid_and_needs_no_deep_recursion()
    {
        const int Count = 20_000;
        var steps = new StepDefinition[Count + 1];
        for (var i = 0; i < Count; i++)
        {
            steps[i] = Auto($"s{i}", i + 1 < Count ? $"s{i + 1}" : "end");
        }

        steps[Count] = End();

        Assert.Empty(ProcessDefinitionValidator.Validate(Process(steps)));
    }

    [Fact]
    public void A_very_long_automated_loop_is_one_warning()
    {
        const int Count = 20_000;
        var steps = new StepDefinition[Count + 2];
        for (var i = 0; i < Count; i++)
        {
            steps[i] = Auto($"s{i}", i + 1 < Count ? $"s{i + 1}" : "d");
        }

        steps[Count] = new DecisionStep("d", "D") { Flows = [To("s0") with { When = "amount > 0" }, To("end") with { IsDefault = true }] };
        steps[Count + 1] = End();

        var warning = Assert.Single(ProcessDefinitionValidator.Validate(Process(steps)));
        Assert.Equal(DefinitionProblemCodes.AutomatedLoop, warning.Code);
        Assert.Equal("/steps/0", warning.Path);
    }

    /// <summary>Random graphs of automated steps, decisions and tasks: validation never throws, and every problem is complete and placed.</summary>
    [Property(MaxTest = 200)]
    public bool Validate_reports_complete_problems_for_any_graph(NonEmptyArray<(byte Kind, byte First, byte Second)> shape)
    {
        var items = shape.Get;
        var count = items.Length;
        string Target(byte value) => value % (count + 1) == count ? "end" : $"s{value % (count + 1)}";
        var steps = items.Select<(byte Kind, byte First, byte Second), StepDefinition>((item, i) => (item.Kind % 4) switch
        {
            0 => Auto($"s{i}", Target(item.First)),
            1 => Task($"s{i}", Target(item.First)),
            2 => new DecisionStep($"s{i}", "D") { Flows = [To(Target(item.First)) with { When = "amount > 1" }, To(Target(item.Second)) with { IsDefault = true }] },
            _ => new ParallelSplitStep($"s{i}", "S") { Flows = [To(Target(item.First)), To(Target(item.Second))] },
        }).Append(End()).ToArray();
        var definition = Process(steps);

        var problems = ProcessDefinitionValidator.Validate(definition);

        return problems.All(static p => p.Path.StartsWith('/') && p.Message.Length > 0 && !string.IsNullOrWhiteSpace(p.Hint))
            && problems.Equals(ProcessDefinitionValidator.Validate(definition));
    }
}
