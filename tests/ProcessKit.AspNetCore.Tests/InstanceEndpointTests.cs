using System.Xml;

namespace ProcessKit.AspNetCore.Tests;

public sealed class InstanceEndpointTests
{
    [Fact]
    public async Task Reading_an_instance_gives_its_state_version_data_and_where_it_waits()
    {
        await using var app = await TestApp.StartAsync();
        var instance = await app.StartClaimAsync("eve", 12.5m);

        var read = await (await app.GetAsync($"/processkit/instances/{instance}", TestUser.Manager)).JsonAsync();

        Assert.Equal(instance, read.GetProperty("id").GetInt64());
        Assert.Equal("test.expense", read.GetProperty("processId").GetString());
        Assert.Equal(1, read.GetProperty("processVersion").GetInt32());
        Assert.True(read.GetProperty("version").GetInt64() >= 1);
        Assert.Equal("Running", read.GetProperty("state").GetString());
        Assert.Equal(TestApp.Start, read.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(12.5m, read.GetProperty("data").GetProperty("amount").GetDecimal());
        Assert.Equal(["review"], read.GetProperty("activeSteps").EnumerateArray().Select(static s => s.GetString()));
    }

    [Fact]
    public async Task The_history_lists_every_event_in_order_with_who_did_it()
    {
        await using var app = await TestApp.StartAsync();
        var instance = await app.StartClaimAsync();
        app.Time.Advance(TimeSpan.FromMinutes(5));
        await app.PostAsync($"/processkit/tasks/{await app.TaskOfAsync(instance)}/complete", TestUser.Clerk, """{ "outcome": "reject" }""");

        var history = await (await app.GetAsync($"/processkit/instances/{instance}/history", TestUser.Clerk)).JsonAsync();

        var events = history.EnumerateArray().ToList();
        Assert.Equal("InstanceStarted", events[0].GetProperty("type").GetString());
        Assert.Equal("InstanceCompleted", events[^1].GetProperty("type").GetString());
        Assert.Equal(Enumerable.Range(1, events.Count).Select(static i => (long)i), events.Select(static e => e.GetProperty("sequence").GetInt64()));
        Assert.Contains(events, static e => e.GetProperty("type").GetString() == "TaskClaimed" && e.GetProperty("userId").GetString() == "ann");
    }

    [Fact]
    public async Task The_characteristics_measure_a_running_instance_as_of_now()
    {
        await using var app = await TestApp.StartAsync();
        var instance = await app.StartClaimAsync();
        app.Time.Advance(TimeSpan.FromMinutes(90));

        var characteristics = await (await app.GetAsync($"/processkit/instances/{instance}/characteristics", TestUser.Clerk)).JsonAsync();

        Assert.Equal("Running", characteristics.GetProperty("state").GetString());
        Assert.Equal(TestApp.Start.AddMinutes(90), characteristics.GetProperty("asOf").GetDateTimeOffset());
        Assert.Equal(TimeSpan.FromMinutes(90), XmlConvert.ToTimeSpan(characteristics.GetProperty("cycleTime").GetString()!));
        Assert.Equal("review", characteristics.GetProperty("path")[0].GetProperty("stepId").GetString());
    }

    [Fact]
    public async Task The_characteristics_of_an_ended_instance_name_its_outcome_and_path()
    {
        await using var app = await TestApp.StartAsync();
        var instance = await app.StartClaimAsync();
        app.Time.Advance(TimeSpan.FromMinutes(10));
        await app.PostAsync($"/processkit/tasks/{await app.TaskOfAsync(instance)}/complete", TestUser.Clerk, """{ "outcome": "reject" }""");
        app.Time.Advance(TimeSpan.FromHours(5));

        var characteristics = await (await app.GetAsync($"/processkit/instances/{instance}/characteristics", TestUser.Clerk)).JsonAsync();

        Assert.Equal("Completed", characteristics.GetProperty("state").GetString());
        Assert.Equal("Rejected", characteristics.GetProperty("endOutcome").GetString());
        Assert.Equal("PT10M", characteristics.GetProperty("cycleTime").GetString());
        Assert.True(characteristics.GetProperty("tookAlternatePath").GetBoolean());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/history")]
    [InlineData("/characteristics")]
    [InlineData("/diagram")]
    public async Task An_unknown_instance_is_404_and_one_of_a_process_one_takes_no_part_in_403(string suffix)
    {
        await using var app = await TestApp.StartAsync();
        var instance = await app.StartClaimAsync();

        await (await app.GetAsync($"/processkit/instances/4242{suffix}", TestUser.Clerk)).ProblemAsync(404, ProcessErrorCodes.InstanceNotFound);
        await (await app.GetAsync($"/processkit/instances/{instance}{suffix}", TestUser.Outsider)).ProblemAsync(403, "process.not-authorized");
    }

    [Fact]
    public async Task The_instances_of_a_process_are_listed_page_by_page_with_their_state_and_business_key()
    {
        await using var app = await TestApp.StartAsync();
        var first = await app.StartClaimAsync("a");
        var second = await app.StartClaimAsync("b");
        var third = await app.StartClaimAsync("c");
        await app.PostAsync($"/processkit/tasks/{await app.TaskOfAsync(second)}/complete", TestUser.Clerk, """{ "outcome": "reject" }""");

        var page = await (await app.GetAsync("/processkit/instances?process=test.expense&pageSize=2", TestUser.Clerk)).JsonAsync();
        var items = page.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal([first, second], items.Select(static i => i.GetProperty("id").GetInt64()));
        Assert.Equal("Completed", items[1].GetProperty("state").GetString());
        Assert.Equal(1, items[0].GetProperty("processVersion").GetInt32());
        Assert.Equal(second, page.GetProperty("continueAfter").GetInt64());

        var last = await (await app.GetAsync($"/processkit/instances?process=test.expense&pageSize=2&after={second}", TestUser.Clerk)).JsonAsync();
        Assert.Equal(third, Assert.Single(last.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, last.GetProperty("continueAfter").ValueKind);

        var running = await (await app.GetAsync("/processkit/instances?process=test.expense&state=Running,Failed", TestUser.Clerk)).JsonAsync();
        Assert.Equal([first, third], running.GetProperty("items").EnumerateArray().Select(static i => i.GetProperty("id").GetInt64()));
    }

    [Theory]
    [InlineData("", "process")]
    [InlineData("?process=test.expense&state=Sleeping", "state")]
    [InlineData("?process=test.expense&pageSize=0", "pageSize")]
    [InlineData("?process=test.expense&after=x", "after")]
    [InlineData("?process=test.expense&startedBefore=soon", "startedBefore")]
    public async Task A_bad_instance_listing_is_400_naming_the_parameter(string query, string field)
    {
        await using var app = await TestApp.StartAsync();

        var problem = await (await app.GetAsync($"/processkit/instances{query}", TestUser.Clerk)).ProblemAsync(400, "request.invalid");

        Assert.Equal([field], problem.Fields());
    }

    [Fact]
    public async Task Listing_the_instances_of_a_process_one_takes_no_part_in_is_403_and_of_an_unknown_one_404()
    {
        await using var app = await TestApp.StartAsync();
        await app.StartClaimAsync();

        await (await app.GetAsync("/processkit/instances?process=test.expense", TestUser.Outsider)).ProblemAsync(403, "process.not-authorized");
        await (await app.GetAsync("/processkit/instances?process=nothing", TestUser.Clerk)).ProblemAsync(404, ProcessErrorCodes.ProcessNotFound);
    }
}
