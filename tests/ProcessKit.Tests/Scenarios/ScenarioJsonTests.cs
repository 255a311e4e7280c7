using ProcessKit.Definitions.Json;

namespace ProcessKit.Tests.Scenarios;

/// <summary>
/// The shipped JSON samples are whole and write back to their own text, and the sales office's fluent scenario
/// describes the same process as its sample (the cafe scenario of these tests is read from its sample).
/// </summary>
public sealed class ScenarioJsonTests
{
    public static TheoryData<string> Samples => new() { "cafe.json", "sales-office.json" };

    private static string SamplePath(string file) => Path.Combine(AppContext.BaseDirectory, "definitions", file);

    [Fact]
    public async Task The_sales_office_sample_reads_to_the_same_definition_as_the_fluent_one()
    {
        await using var stream = File.OpenRead(SamplePath("sales-office.json"));

        var fromJson = await ProcessDefinitionJson.ReadAsync(stream, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SalesOfficeProcess.Definition, fromJson);
    }

    [Fact]
    public void Writing_the_fluent_sales_office_definition_gives_the_shipped_sample_text()
    {
        Assert.Equal(File.ReadAllText(SamplePath("sales-office.json")), ProcessDefinitionJson.Write(SalesOfficeProcess.Definition));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task A_sample_read_and_written_again_gives_its_own_text(string file)
    {
        var expected = await File.ReadAllTextAsync(SamplePath(file), TestContext.Current.CancellationToken);

        Assert.Equal(expected, ProcessDefinitionJson.Write(ProcessDefinitionJson.Read(System.Text.Encoding.UTF8.GetBytes(expected))));
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
