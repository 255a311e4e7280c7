using FsCheck;
using FsCheck.Fluent;
using ProcessKit.Definitions;

namespace ProcessKit.Tests.Generators;

/// <summary>FsCheck generators of process definitions.</summary>
public static class DefinitionGenerators
{
    /// <summary>
    /// Valid definitions covering every step kind and setting of the model. FsCheck draws a seed
    /// and a size; <see cref="ValidDefinitionFactory"/> then wires the graph from that seed. The
    /// wiring needs shared state (ids already used, steps to route to, declared fields), which a
    /// plain composition of generators expresses badly; a seeded factory keeps replays exact
    /// (FsCheck's replay seed gives the same definition).
    /// </summary>
    public static Gen<ProcessDefinition> ValidDefinition { get; } =
        Gen.Sized(size => Gen.Choose(0, int.MaxValue).Select(seed => new ValidDefinitionFactory(seed, 1 + Math.Min(size, 100) / 8).Create()));
}

/// <summary>Arbitraries for <c>[Property(Arbitrary = [typeof(DefinitionArbitraries)])]</c>.</summary>
public static class DefinitionArbitraries
{
    /// <summary>Valid definitions (no shrinking: a smaller graph would need rewiring).</summary>
    public static Arbitrary<ProcessDefinition> ProcessDefinition() => Arb.From(DefinitionGenerators.ValidDefinition);
}
