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
}
