using ProcessKit.Definitions;
using ProcessKit.Execution;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Execution;

/// <summary>Deploying versions and checking start data.</summary>
public sealed class StartAndDeployTests
{
    private static ProcessDefinition Order(int version = 1, string endOutcome = "Done")
    {
        var p = ProcessBuilder.Create("order", "Order").Version(version);
        p.Supplier("guest", "Guest").Inputs(
            Field.Number("partySize", required: true, minimum: 1, maximum: 20),
            Field.String("name"),
            Field.DateTime("arrival"));
        var clerk = p.Role("clerk", "Clerk");
        var task = p.HumanTask("seat", "Seat", clerk);
        var done = p.End("done", "Done").Outcome(endOutcome);
        task.Then(done);
        return p.Build();
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("wrongType")]
    [InlineData("unknownField")]
    [InlineData("aboveMaximum")]
    public async Task Start_data_that_does_not_match_the_inputs_is_refused_and_nothing_is_created(string problem)
    {
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(Order(), Ct);
        var data = problem switch
        {
            "missing" => new Dictionary<string, object?> { ["name"] = "Ann" },
            "wrongType" => new Dictionary<string, object?> { ["partySize"] = "four" },
            "unknownField" => new Dictionary<string, object?> { ["partySize"] = 2, ["shoeSize"] = 44 },
            _ => new Dictionary<string, object?> { ["partySize"] = 21 },
        };

        var error = await Assert.ThrowsAsync<InvalidCommandException>(() => kit.Engine.StartAsync("order", data, cancellationToken: Ct).AsTask());

        Assert.Equal(ProcessErrorCodes.StartDataInvalid, error.ErrorCode);
        Assert.Single(error.Problems);
        Assert.Equal(0, kit.Store.InstanceCount);
    }

    [Fact]
    public async Task Start_data_from_JSON_and_CLR_values_is_kept_in_typed_form()
    {
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(Order(), Ct);
        using var json = System.Text.Json.JsonDocument.Parse("""{"partySize": 4, "name": "Ann", "arrival": "2026-03-02T08:30:00Z"}""");
        var data = json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());

        var id = await kit.Engine.StartAsync("order", data, "table-7", Ct);

        var instance = await kit.InstanceAsync(id);
        Assert.Equal(4m, instance.Data["partySize"]);
        Assert.Equal("Ann", instance.Data["name"]);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 30, 0, TimeSpan.Zero), instance.Data["arrival"]);
        Assert.Equal("table-7", instance.BusinessKey);
    }

    [Fact]
    public async Task Starting_an_unknown_process_is_a_not_found_error()
    {
        var kit = new EngineTestKit();
        var error = await Assert.ThrowsAsync<ProcessNotFoundException>(() => kit.Engine.StartAsync("nope", cancellationToken: Ct).AsTask());
        Assert.Equal(ProcessErrorCodes.ProcessNotFound, error.ErrorCode);
    }

    [Fact]
    public async Task New_instances_take_the_newest_version_and_running_ones_keep_theirs()
    {
        var kit = new EngineTestKit();
        var data = new Dictionary<string, object?> { ["partySize"] = 2 };
        var first = await kit.DeployAndStartAsync(Order(1, "OldEnd"), data);
        await kit.Engine.DeployAsync(Order(2, "NewEnd"), Ct);
        var second = await kit.Engine.StartAsync("order", data, cancellationToken: Ct);

        Assert.Equal(1, (await kit.InstanceAsync(first)).ProcessVersion);
        Assert.Equal(2, (await kit.InstanceAsync(second)).ProcessVersion);
        await kit.CompleteAsync(first, "seat");
        await kit.CompleteAsync(second, "seat");
        Assert.Equal("OldEnd", (await kit.InstanceAsync(first)).EndOutcome);
        Assert.Equal("NewEnd", (await kit.InstanceAsync(second)).EndOutcome);
    }

    [Fact]
    public async Task Deploying_the_same_version_with_other_content_is_refused()
    {
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(Order(1, "A"), Ct);
        await kit.Engine.DeployAsync(Order(1, "A"), Ct);

        var error = await Assert.ThrowsAsync<InvalidCommandException>(() => kit.Engine.DeployAsync(Order(1, "B"), Ct).AsTask());
        Assert.Equal(ProcessErrorCodes.VersionExists, error.ErrorCode);
    }

    [Fact]
    public async Task A_definition_naming_an_unregistered_handler_is_refused_at_deploy()
    {
        var p = ProcessBuilder.Create("auto", "Auto");
        var step = p.Automated("step", "Step", "not.registered");
        var done = p.End("done", "Done");
        step.Then(done);
        var kit = new EngineTestKit();

        var error = await Assert.ThrowsAsync<InvalidCommandException>(() => kit.Engine.DeployAsync(p.Build(), Ct).AsTask());
        Assert.Equal(ProcessErrorCodes.HandlerNotRegistered, error.ErrorCode);
        Assert.Contains("not.registered", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(10, -1)]
    public void Bad_options_fail_when_the_engine_is_built(int stepBudget, int retries)
    {
        var options = new ProcessEngineOptions { StepBudget = stepBudget, MaxConflictRetries = retries };
        var error = Assert.Throws<ArgumentException>(() => new ProcessEngine(options));
        Assert.Contains(stepBudget < 1 ? "StepBudget" : "MaxConflictRetries", error.Message, StringComparison.Ordinal);
    }
}
