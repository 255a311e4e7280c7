namespace ProcessKit.AspNetCore.Tests;

public sealed class MessageEndpointTests
{
    [Fact]
    public async Task A_message_reaches_the_waiting_instance_and_a_repeat_with_its_id_is_a_duplicate()
    {
        await using var app = await TestApp.StartAsync();
        var instance = await ApprovedClaimAsync(app, "eve");
        const string Body = """{ "name": "receipt.received", "correlationKey": "eve", "messageId": "r-1" }""";

        var first = await (await app.PostAsync("/processkit/messages", TestUser.Clerk, Body)).JsonAsync();
        var again = await (await app.PostAsync("/processkit/messages", TestUser.Clerk, Body)).JsonAsync();
        var read = await (await app.GetAsync($"/processkit/instances/{instance}", TestUser.Clerk)).JsonAsync();

        Assert.Equal("Delivered", first.GetProperty("outcome").GetString());
        Assert.Equal("Duplicate", again.GetProperty("outcome").GetString());
        Assert.Equal(["pay"], read.GetProperty("activeSteps").EnumerateArray().Select(static s => s.GetString()));
    }

    [Fact]
    public async Task A_message_nobody_waits_for_is_buffered()
    {
        await using var app = await TestApp.StartAsync();

        var result = await (await app.PostAsync("/processkit/messages", TestUser.Clerk, """{ "name": "receipt.received", "correlationKey": "later" }""")).JsonAsync();

        Assert.Equal("Buffered", result.GetProperty("outcome").GetString());
    }

    [Theory]
    [InlineData("{}", "name")]
    [InlineData("""{ "name": "" }""", "name")]
    [InlineData("""{ "name": "x", "instance": 0 }""", "instance")]
    [InlineData("""{ "name": "x", "instance": "one" }""", "instance")]
    [InlineData("""{ "name": "x", "corelationKey": "k" }""", "corelationKey")]
    public async Task A_malformed_message_is_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        await using var app = await TestApp.StartAsync();
        await app.StartClaimAsync();
        var before = await Fingerprint.OfAsync(app);

        var problem = await (await app.PostAsync("/processkit/messages", TestUser.Clerk, body)).ProblemAsync(400, "request.invalid");

        Assert.Equal([field], problem.Fields());
        Assert.Equal(before, await Fingerprint.OfAsync(app));
    }

    [Fact]
    public async Task A_message_for_an_unknown_instance_is_404_and_for_an_ended_one_409()
    {
        await using var app = await TestApp.StartAsync();
        var instance = await app.StartClaimAsync();
        await app.Engine.CompleteTaskAsync(await app.TaskOfAsync(instance), new Execution.ProcessUser("ann", ["clerk"]), "reject", cancellationToken: TestContext.Current.CancellationToken);
        var before = await Fingerprint.OfAsync(app);

        await (await app.PostAsync("/processkit/messages", TestUser.Clerk, """{ "name": "receipt.received", "instance": 99 }""")).ProblemAsync(404, ProcessErrorCodes.InstanceNotFound);
        await (await app.PostAsync("/processkit/messages", TestUser.Clerk, $$"""{ "name": "receipt.received", "instance": {{instance}} }""")).ProblemAsync(409, ProcessErrorCodes.InstanceEnded);

        Assert.Equal(before, await Fingerprint.OfAsync(app));
    }

    [Fact]
    public async Task With_a_publisher_role_set_others_are_refused_with_403_and_nothing_changes()
    {
        await using var app = await TestApp.StartAsync(o => o.MessagePublisherRole = "integration");
        await ApprovedClaimAsync(app, "eve");
        var before = await Fingerprint.OfAsync(app);
        const string Body = """{ "name": "receipt.received", "correlationKey": "eve" }""";

        await (await app.PostAsync("/processkit/messages", TestUser.Clerk, Body)).ProblemAsync(403, "process.not-authorized");
        Assert.Equal(before, await Fingerprint.OfAsync(app));

        var allowed = await (await app.PostAsync("/processkit/messages", new TestUser("erp", "integration"), Body)).JsonAsync();
        Assert.Equal("Delivered", allowed.GetProperty("outcome").GetString());
    }

    internal static async Task<long> ApprovedClaimAsync(TestApp app, string employee)
    {
        var instance = await app.StartClaimAsync(employee);
        await app.Engine.CompleteTaskAsync(await app.TaskOfAsync(instance), new Execution.ProcessUser("ann", ["clerk"]), "approve", cancellationToken: TestContext.Current.CancellationToken);
        return instance;
    }
}
