namespace ProcessKit.AspNetCore.Tests;

public sealed class ReportEndpointTests
{
    [Fact]
    public async Task The_report_counts_outcomes_and_running_instances_among_those_named()
    {
        await using var app = await TestApp.StartAsync();
        var rejected = await app.StartClaimAsync("a");
        var running = await app.StartClaimAsync("b");
        app.Time.Advance(TimeSpan.FromMinutes(20));
        await app.PostAsync($"/processkit/tasks/{await app.TaskOfAsync(rejected)}/complete", TestUser.Clerk, """{ "outcome": "reject" }""");
        await app.StartClaimAsync("not in the report");

        var response = await app.PostAsync("/processkit/processes/test.expense/report", TestUser.Head, $$"""{ "instances": [{{rejected}}, {{running}}] }""");

        var report = await response.JsonAsync();
        Assert.Equal(2, report.GetProperty("instances").GetInt32());
        Assert.Equal(1, report.GetProperty("completed").GetInt32());
        Assert.Equal(1, report.GetProperty("running").GetInt32());
        Assert.Equal(1, report.GetProperty("processVersion").GetInt32());
        var outcome = Assert.Single(report.GetProperty("outcomes").EnumerateArray());
        Assert.Equal("Rejected", outcome.GetProperty("name").GetString());
        Assert.Equal("PT20M", report.GetProperty("cycleTimeMedian").GetString());
    }

    [Fact]
    public async Task A_report_request_without_instances_reports_on_every_instance_of_the_version()
    {
        await using var app = await TestApp.StartAsync();
        var rejected = await app.StartClaimAsync("a");
        await app.StartClaimAsync("b");
        await app.StartClaimAsync("c");
        app.Time.Advance(TimeSpan.FromMinutes(20));
        await app.PostAsync($"/processkit/tasks/{await app.TaskOfAsync(rejected)}/complete", TestUser.Clerk, """{ "outcome": "reject" }""");

        var posted = await (await app.PostAsync("/processkit/processes/test.expense/report", TestUser.Head, "{}")).JsonAsync();
        var read = await (await app.GetAsync("/processkit/processes/test.expense/report?version=1", TestUser.Head)).JsonAsync();

        foreach (var report in new[] { posted, read })
        {
            Assert.Equal(3, report.GetProperty("instances").GetInt32());
            Assert.Equal(1, report.GetProperty("completed").GetInt32());
            Assert.Equal(2, report.GetProperty("running").GetInt32());
        }
    }

    [Fact]
    public async Task The_report_read_by_GET_keeps_the_instances_started_in_the_window()
    {
        await using var app = await TestApp.StartAsync();
        await app.StartClaimAsync("early");
        app.Time.Advance(TimeSpan.FromHours(1));
        await app.StartClaimAsync("late");

        var response = await app.GetAsync("/processkit/processes/test.expense/report?startedFrom=2026-03-02T09:30:00Z&startedBefore=2026-03-02T11:00:00Z", TestUser.Head);

        Assert.Equal(1, (await response.JsonAsync()).GetProperty("instances").GetInt32());
        await (await app.GetAsync("/processkit/processes/test.expense/report", TestUser.Clerk)).ProblemAsync(403, "process.not-authorized");
        var problem = await (await app.GetAsync("/processkit/processes/test.expense/report?startedFrom=yesterday", TestUser.Head)).ProblemAsync(400, "request.invalid");
        Assert.Equal(["startedFrom"], problem.Fields());
    }

    [Fact]
    public async Task Reports_are_for_the_owner_role()
    {
        await using var app = await TestApp.StartAsync();
        var instance = await app.StartClaimAsync();

        await (await app.PostAsync("/processkit/processes/test.expense/report", TestUser.Clerk, $$"""{ "instances": [{{instance}}] }""")).ProblemAsync(403, "process.not-authorized");
    }

    [Fact]
    public async Task An_instance_of_another_version_is_400_naming_its_place_in_the_list()
    {
        await using var app = await TestApp.StartAsync(processes: pk => pk.AddProcess(TestApp.Expense(1)).AddProcess(TestApp.Expense(2)));
        var instance = await app.StartClaimAsync();

        var problem = await (await app.PostAsync("/processkit/processes/test.expense/report", TestUser.Head, $$"""{ "version": 1, "instances": [{{instance}}] }""")).ProblemAsync(400, "request.invalid");

        Assert.Equal(["instances[0]"], problem.Fields());
    }

    [Theory]
    [InlineData("""{ "instances": [1, 1] }""", "instances[1]")]
    [InlineData("""{ "instances": [77] }""", "instances[0]")]
    [InlineData("""{ "instances": [1], "version": 0 }""", "version")]
    [InlineData("""{ "instances": [1, 2, 3] }""", "instances")]
    public async Task A_bad_report_request_is_400_naming_the_field(string body, string field)
    {
        await using var app = await TestApp.StartAsync(o => o.MaxReportInstances = 2);
        await app.StartClaimAsync("a");
        await app.StartClaimAsync("b");

        var problem = await (await app.PostAsync("/processkit/processes/test.expense/report", TestUser.Head, body)).ProblemAsync(400, "request.invalid");

        Assert.Equal([field], problem.Fields());
    }
}
