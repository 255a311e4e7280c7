namespace ProcessKit.PostgreSql.Tests.MultiNode;

/// <summary>
/// The multi-node test runs alone, after the tests that run in parallel: its three node processes take every core, and
/// running beside the crash test or the throughput figures would starve them (and skew their figures).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MultiNodeCollection
{
    public const string Name = "multi-node";
}
