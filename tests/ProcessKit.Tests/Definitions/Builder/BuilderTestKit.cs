using ProcessKit.Definitions;

namespace ProcessKit.Tests.Definitions.Builder;

/// <summary>Helpers that read what a builder produces without the semantic rules, which are tested apart.</summary>
internal static class BuilderTestKit
{
    /// <summary>Builds with a validator that finds nothing, so that small, incomplete processes can be inspected.</summary>
    public static ProcessDefinition BuildUnchecked(this ProcessBuilder builder) =>
        builder.BuildWith(static _ => ValueArray<DefinitionProblem>.Empty, out _);

    /// <summary>The only step with <paramref name="id"/>, as <typeparamref name="T"/>.</summary>
    public static T Step<T>(this ProcessDefinition definition, string id)
        where T : StepDefinition =>
        Assert.IsType<T>(Assert.Single(definition.Steps, s => s.Id == id));

    /// <summary>A builder with one role, <c>clerk</c>, and one end step, <c>done</c>.</summary>
    public static (ProcessBuilder Builder, RoleHandle Clerk, EndHandle Done) Start(string id = "test.process")
    {
        var builder = ProcessBuilder.Create(id, "Test process");
        var clerk = builder.Role("clerk", "Clerk");
        var done = builder.End("done", "Done");
        return (builder, clerk, done);
    }
}
