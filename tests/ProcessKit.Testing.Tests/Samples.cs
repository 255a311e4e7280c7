using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;

namespace ProcessKit.Testing.Tests;

/// <summary>The shipped JSON samples, read from the test output folder.</summary>
internal static class Samples
{
    public static ProcessDefinition Cafe { get; } = Load("cafe.json");

    public static ProcessDefinition SalesOffice { get; } = Load("sales-office.json");

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ProcessDefinition Load(string name) =>
        ProcessDefinitionJson.Read(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "definitions", name)));
}
