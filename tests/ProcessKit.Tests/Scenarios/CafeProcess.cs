using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;

namespace ProcessKit.Tests.Scenarios;

/// <summary>
/// Scenario 1 of SCENARIOS.md, "Cafe — serving a guest", as written: read from the shipped sample
/// <c>samples/definitions/cafe.json</c> (copied beside the tests). The fluent builder of the same
/// scenario, with the sample app's extra paths, is <c>samples/Cafe/CafeProcess.cs</c>.
/// </summary>
public static class CafeProcess
{
    /// <summary>The process id.</summary>
    public const string Id = "cafe.serve-guest";

    private static readonly byte[] Sample = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "definitions", "cafe.json"));

    /// <summary>Reads the definition (a new, equal instance on every call).</summary>
    public static ProcessDefinition Definition => ProcessDefinitionJson.Read(Sample);
}
