using ProcessKit.Definitions;

namespace ProcessKit.Tests.Scenarios;

/// <summary>Lookups over a built definition that keep the scenario tests short.</summary>
internal static class ScenarioAssertions
{
    public static T Step<T>(this ProcessDefinition definition, string id)
        where T : StepDefinition =>
        Assert.IsType<T>(Assert.Single(definition.Steps, s => s.Id == id));

    public static FlowDefinition Flow(this ProcessDefinition definition, string from, string to, string? outcome = null) =>
        Assert.Single(
            definition.Steps.Single(s => s.Id == from).Flows,
            f => f.To == to && (outcome is null || f.Outcome == outcome));

    public static Dictionary<StepKind, int> CountByKind(this ProcessDefinition definition) =>
        definition.Steps.GroupBy(s => s.Kind).ToDictionary(g => g.Key, g => g.Count());
}
