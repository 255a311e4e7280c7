using System.Text.Json;

namespace ProcessKit.Cli.Tests;

/// <summary><c>processkit simulate DEFINITION [options]</c>, end to end in-process.</summary>
public sealed class SimulateTests
{
    private static string Cafe => Path.Combine(AppContext.BaseDirectory, "definitions", "cafe.json");

    private static string Sales => Path.Combine(AppContext.BaseDirectory, "definitions", "sales-office.json");

    private static JsonElement Json(CliResult result)
    {
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Json_report_has_the_figures_of_every_instance_and_role()
    {
        var result = await CliRunner.RunAsync("simulate", Cafe, "--staff", "cook=2,waiter=4", "--arrivals", "12", "--count", "25", "--seed", "7", "--format", "json");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        var json = Json(result);
        Assert.Equal("cafe.serve-guest", json.GetProperty("process").GetProperty("id").GetString());
        Assert.Equal(7, json.GetProperty("seed").GetInt32());
        Assert.Equal(25, json.GetProperty("instances").GetProperty("total").GetInt32());
        Assert.Equal(25, json.GetProperty("outcomes").GetProperty("GuestServed").GetInt32());
        Assert.True(json.GetProperty("cycleTimeSeconds").GetProperty("median").GetDouble() > 0);
        Assert.True(json.GetProperty("cycleTimeSeconds").GetProperty("p90").GetDouble() >= json.GetProperty("cycleTimeSeconds").GetProperty("median").GetDouble());
        Assert.True(json.GetProperty("cost").GetProperty("meanPerInstance").GetDecimal() > 0);
        Assert.Equal(25, json.GetProperty("satisfaction").GetProperty("rated").GetInt32());
        Assert.Equal(JsonValueKind.Object, json.GetProperty("deadlineBreaches").GetProperty("byRole").ValueKind);
        Assert.Equal(JsonValueKind.Object, json.GetProperty("longestWait").ValueKind);
        var roles = json.GetProperty("roles").EnumerateArray().ToDictionary(static r => r.GetProperty("role").GetString()!, static r => r.GetProperty("people").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["host"] = 1, ["waiter"] = 4, ["cook"] = 2, ["cashier"] = 1, ["manager"] = 1 }, roles);
        Assert.Contains(json.GetProperty("steps").EnumerateArray(), s => s.GetProperty("step").GetString() == "prepareDishes");
    }

    [Fact]
    public async Task The_same_arguments_print_the_same_report_byte_for_byte()
    {
        string[] args = ["simulate", Sales, "--stub-handlers", "--count", "30", "--seed", "3"];
        var first = await CliRunner.RunAsync(args);
        var second = await CliRunner.RunAsync(args);
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.Contains("utilization", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("sales.registerLead", first.Stdout, StringComparison.Ordinal);
        var json = await CliRunner.RunAsync([.. args, "-f", "json"]);
        Assert.Equal((await CliRunner.RunAsync([.. args, "-f", "json"])).Stdout, json.Stdout);
    }

    [Fact]
    public async Task Role_names_are_accepted_as_well_as_ids()
    {
        var result = await CliRunner.RunAsync("simulate", Sales, "--stub-handlers", "--count", "5", "--staff", "Head of sales=2", "--staff", "Manager=3", "-f", "json");
        Assert.Equal(0, result.ExitCode);
        var people = Json(result).GetProperty("roles").EnumerateArray().ToDictionary(static r => r.GetProperty("role").GetString()!, static r => r.GetProperty("people").GetInt32());
        Assert.Equal(2, people["headOfSales"]);
        Assert.Equal(3, people["manager"]);
    }

    [Theory]
    [InlineData("unknown role 'chef' in --staff; the process has: host, waiter, cook, cashier, manager", "--staff", "chef=2")]
    [InlineData("--staff cook= needs a whole number of people from 0 to 100000, got '-1'", "--staff", "cook=-1")]
    [InlineData("--staff needs ROLE=N, got 'cook'", "--staff", "cook")]
    [InlineData("--count needs a whole number from 1 to 10000000, got '-5'", "--count", "-5")]
    [InlineData("--count needs a whole number from 1 to 10000000, got '0'", "--count", "0")]
    [InlineData("--arrivals needs a number of arrivals per hour above 0, got '0'", "--arrivals", "0")]
    [InlineData("--seed needs a whole number, got 'x'", "--seed", "x")]
    [InlineData("unknown format 'xml'; allowed: table, json", "--format", "xml")]
    [InlineData("give either --arrivals or --arrivals-file, not both", "--arrivals", "5", "--arrivals-file", "x.txt")]
    public async Task Bad_arguments_are_one_line_usage_errors(string message, params string[] options)
    {
        var result = await CliRunner.RunAsync(["simulate", Cafe, .. options]);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("processkit: error: " + message, result.StderrLines[0]);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task No_definition_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync("simulate");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("processkit: error: no DEFINITION given", result.StderrLines[0]);
    }

    [Fact]
    public async Task Handlers_the_tool_does_not_have_need_stub_handlers()
    {
        var result = await CliRunner.RunAsync("simulate", Sales);
        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.StderrLines);
        Assert.Contains("handlers the tool does not have: sales.assignDispatcher, sales.convertLeadToDeal, sales.createDeal, sales.registerLead", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task An_invalid_definition_is_reported_like_validate()
    {
        var file = Path.Combine(Path.GetTempPath(), "pk-sim-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(file, """{ "id": "x" }""", TestContext.Current.CancellationToken);
        try
        {
            var result = await CliRunner.RunAsync("simulate", file);
            Assert.Equal(1, result.ExitCode);
            Assert.All(result.StderrLines, l => Assert.Contains(": error: ", l, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_arrivals_file_starts_one_instance_per_line()
    {
        var file = Path.Combine(Path.GetTempPath(), "pk-arrivals-" + Guid.NewGuid().ToString("N") + ".txt");
        await File.WriteAllTextAsync(file, "# an evening\nPT0S\n00:05:00\n\nPT1H\n", TestContext.Current.CancellationToken);
        try
        {
            var all = await CliRunner.RunAsync("simulate", Cafe, "--arrivals-file", file, "-f", "json");
            Assert.Equal(0, all.ExitCode);
            Assert.Equal(3, Json(all).GetProperty("instances").GetProperty("total").GetInt32());
            var two = await CliRunner.RunAsync("simulate", Cafe, "--arrivals-file", file, "-n", "2", "-f", "json");
            Assert.Equal(2, Json(two).GetProperty("instances").GetProperty("total").GetInt32());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_bad_line_in_the_arrivals_file_names_the_line()
    {
        var file = Path.Combine(Path.GetTempPath(), "pk-arrivals-" + Guid.NewGuid().ToString("N") + ".txt");
        await File.WriteAllTextAsync(file, "PT0S\nsoon\n", TestContext.Current.CancellationToken);
        try
        {
            var result = await CliRunner.RunAsync("simulate", Cafe, "--arrivals-file", file);
            Assert.Equal(1, result.ExitCode);
            Assert.Equal(file + ":2: 'soon' is not an offset from the start (write PT1H30M or 01:30:00)", result.StderrLines.Single());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Help_describes_the_options()
    {
        var result = CliRunner.Run("simulate", "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--staff", "--arrivals", "--arrivals-file", "--count", "--seed", "--format", "--stub-handlers" })
        {
            Assert.Contains(option, result.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("processkit simulate DEFINITION", CliRunner.Run("--help").Stdout, StringComparison.Ordinal);
    }
}
