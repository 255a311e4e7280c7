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
    [InlineData("{}", "instances")]
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
