using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;
using ProcessKit.Tests.Shared;

namespace ProcessKit.Tests.Definitions.Json;

public sealed class HostileInputTests
{
    public static TheoryData<string> Cases => [.. HostileInputs.All.Select(static c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_reports_hostile_input_as_one_clear_problem(string name)
    {
        var input = HostileInputs.Get(name);

        var result = ProcessDefinitionJson.Load(input.Create());

        Assert.False(result.IsValid);
        Assert.Null(result.Definition);
        var problem = Assert.Single(result.Problems, p => p.Code == input.Code && p.Path == input.Pointer);
        Assert.Contains(input.MessageFragment, problem.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ProblemSeverity.Error, problem.Severity);
        Assert.NotNull(problem.Line);
        Assert.NotNull(problem.Column);
        Assert.InRange(problem.Line!.Value, 1, int.MaxValue);
        Assert.InRange(problem.Column!.Value, 1, int.MaxValue);
        Assert.False(string.IsNullOrWhiteSpace(problem.Hint));
        Assert.DoesNotContain('\n', problem.Message);
        Assert.DoesNotContain('\n', problem.Hint!);
    }

    [Fact]
    public void There_are_at_least_35_hostile_inputs_with_unique_names()
    {
        Assert.True(HostileInputs.All.Count >= 35, $"only {HostileInputs.All.Count} cases");
        Assert.Equal(HostileInputs.All.Count, HostileInputs.All.Select(static c => c.Name).Distinct().Count());
    }

    [Fact]
    public void The_base_document_of_the_hostile_inputs_is_valid()
    {
        var result = ProcessDefinitionJson.Load(System.Text.Encoding.UTF8.GetBytes(HostileInputs.ValidDocument));

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Empty(result.Problems);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task LoadAsync_reports_the_same_problem_as_Load(string name)
    {
        var input = HostileInputs.Get(name);
        var bytes = input.Create();
        using var stream = new MemoryStream(bytes);

        var fromStream = await ProcessDefinitionJson.LoadAsync(stream, cancellationToken: TestContext.Current.CancellationToken);
        var fromBytes = ProcessDefinitionJson.Load(bytes);

        if (bytes.Length > DefinitionReaderOptions.Default.MaxBytes)
        {
            // The stream is not read to its end, so its length is not known.
            var problem = Assert.Single(fromStream.Problems);
            Assert.Equal(DefinitionProblemCodes.Limit, problem.Code);
            Assert.True(stream.Position <= DefinitionReaderOptions.Default.MaxBytes + 1);
        }
        else
        {
            Assert.Equal(fromBytes.Problems, fromStream.Problems);
        }
    }

    [Fact]
    public void A_byte_order_mark_is_allowed()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(HostileInputs.ValidDocument)];

        var result = ProcessDefinitionJson.Load(bytes);

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
    }

    [Fact]
    public void Limits_come_from_the_options()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(HostileInputs.ValidDocument);

        var tooSmall = ProcessDefinitionJson.Load(bytes, new DefinitionReaderOptions { MaxBytes = 100 });
        var tooShallow = ProcessDefinitionJson.Load(bytes, new DefinitionReaderOptions { MaxDepth = 3 });
        var tooFewSteps = ProcessDefinitionJson.Load(bytes, new DefinitionReaderOptions { MaxSteps = 1 });

        Assert.Equal(DefinitionProblemCodes.Limit, Assert.Single(tooSmall.Problems).Code);
        var depth = Assert.Single(tooShallow.Problems);
        Assert.Equal(DefinitionProblemCodes.Limit, depth.Code);
        Assert.Equal("/steps/0/next", depth.Path);
        Assert.Equal(6, depth.Line);
        Assert.Equal("/steps", Assert.Single(tooFewSteps.Problems).Path);
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProcessDefinitionJson.Load([], new DefinitionReaderOptions { MaxBytes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProcessDefinitionJson.Load([], new DefinitionReaderOptions { MaxDepth = 100_000 }));
    }
}
