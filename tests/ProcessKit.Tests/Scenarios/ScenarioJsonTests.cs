using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;

namespace ProcessKit.Tests.Scenarios;

/// <summary>The shipped JSON samples and the fluent scenarios describe the same processes.</summary>
public sealed class ScenarioJsonTests
{
    public static TheoryData<string> Samples => new() { "cafe.json", "sales-office.json" };

    private static ProcessDefinition Fluent(string file) => file switch
    {
        "cafe.json" => CafeProcess.Definition,
        "sales-office.json" => SalesOfficeProcess.Definition,
        _ => throw new ArgumentOutOfRangeException(nameof(file)),
    };

    private static string SamplePath(string file) => Path.Combine(AppContext.BaseDirectory, "definitions", file);

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task The_JSON_sample_reads_to_the_same_definition_as_the_fluent_one(string file)
    {
        await using var stream = File.OpenRead(SamplePath(file));

        var fromJson = await ProcessDefinitionJson.ReadAsync(stream, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Fluent(file), fromJson);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Writing_the_fluent_definition_gives_the_shipped_sample_text(string file)
    {
        var expected = File.ReadAllText(SamplePath(file));

        Assert.Equal(expected, ProcessDefinitionJson.Write(Fluent(file)));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void The_JSON_sample_has_no_problem_at_all(string file)
    {
        var result = ProcessDefinitionJson.Load(File.ReadAllBytes(SamplePath(file)));

        Assert.True(result.IsValid);
        Assert.Empty(result.Problems);
    }
}
