using System.Net;
using System.Text.Json;

namespace ProcessKit.AspNetCore.Tests;

public sealed class TaskEndpointTests
{
    [Fact]
    public async Task The_task_list_shows_the_tasks_of_the_users_roles_with_due_date_outcomes_and_form()
    {
        await using var app = await TestApp.StartAsync();
        var instance = await app.StartClaimAsync();

        var clerk = await (await app.GetAsync("/processkit/tasks", TestUser.Clerk)).JsonAsync();
        var manager = await (await app.GetAsync("/processkit/tasks", TestUser.Manager)).JsonAsync();

        var task = Assert.Single(clerk.GetProperty("items").EnumerateArray());
        Assert.Equal(instance, task.GetProperty("instance").GetInt64());
        Assert.Equal("review", task.GetProperty("stepId").GetString());
        Assert.Equal("Offered", task.GetProperty("state").GetString());
        Assert.Equal(TestApp.Start.AddHours(1), task.GetProperty("dueAt").GetDateTimeOffset());
        Assert.False(task.GetProperty("overdue").GetBoolean());
        Assert.Equal(["approve", "reject"], task.GetProperty("outcomes").EnumerateArray().Select(static o => o.GetString()));
        Assert.Equal(["note", "approved"], task.GetProperty("fields").EnumerateArray().Select(static f => f.GetProperty("name").GetString()));
        Assert.Equal(["employee", "amount"], task.GetProperty("reads").EnumerateArray().Select(static f => f.GetString()));
        Assert.Empty(manager.GetProperty("items").EnumerateArray());
        Assert.Equal(0, manager.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Overdue_tasks_come_first_and_the_overdue_filter_keeps_only_them()
    {
        await using var app = await TestApp.StartAsync();
        var first = await app.StartClaimAsync("a");
        app.Time.Advance(TimeSpan.FromMinutes(30));
        var second = await app.StartClaimAsync("b");
        app.Time.Advance(TimeSpan.FromMinutes(45));
        var third = await app.StartClaimAsync("c");

        var all = await (await app.GetAsync("/processkit/tasks", TestUser.Clerk)).JsonAsync();
        var overdue = await (await app.GetAsync("/processkit/tasks?overdue=true", TestUser.Clerk)).JsonAsync();
        var notOverdue = await (await app.GetAsync("/processkit/tasks?overdue=false", TestUser.Clerk)).JsonAsync();

        Assert.Equal([first, second, third], Instances(all));
        Assert.Equal([true, false, false], all.GetProperty("items").EnumerateArray().Select(static t => t.GetProperty("overdue").GetBoolean()));
        Assert.Equal([first], Instances(overdue));
        Assert.Equal(TestApp.Start.AddMinutes(75), all.GetProperty("asOf").GetDateTimeOffset());
        Assert.Equal([second, third], Instances(notOverdue));
    }

    [Fact]
    public async Task Pages_hold_page_size_tasks_and_say_whether_more_follow()
    {
        await using var app = await TestApp.StartAsync();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await app.StartClaimAsync($"e{i}"));
            app.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var page1 = await (await app.GetAsync("/processkit/tasks?pageSize=2", TestUser.Clerk)).JsonAsync();
        var page2 = await (await app.GetAsync("/processkit/tasks?pageSize=2&page=2", TestUser.Clerk)).JsonAsync();
        var page3 = await (await app.GetAsync("/processkit/tasks?pageSize=2&page=3", TestUser.Clerk)).JsonAsync();
        var page4 = await (await app.GetAsync("/processkit/tasks?pageSize=2&page=4", TestUser.Clerk)).JsonAsync();

        Assert.Equal(ids, [.. Instances(page1), .. Instances(page2), .. Instances(page3)]);
        Assert.Equal([2, 2, 1, 0], new[] { page1, page2, page3, page4 }.Select(static p => p.GetProperty("items").GetArrayLength()));
        Assert.Equal([true, true, false, false], new[] { page1, page2, page3, page4 }.Select(static p => p.GetProperty("hasMore").GetBoolean()));
        Assert.All(new[] { page1, page2, page3, page4 }, static p => Assert.Equal(5, p.GetProperty("total").GetInt32()));
        Assert.Equal(3, page3.GetProperty("page").GetInt32());
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=501", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("page=x", "page")]
    [InlineData("overdue=maybe", "overdue")]
    [InlineData("state=Lost", "state")]
    [InlineData("state=Completed", "state")]
    public async Task A_bad_task_list_parameter_is_400_naming_it(string query, string field)
    {
        await using var app = await TestApp.StartAsync();

        var problem = await (await app.GetAsync($"/processkit/tasks?{query}", TestUser.Clerk)).ProblemAsync(400, "request.invalid");

        Assert.Equal([field], problem.Fields());
    }

    [Fact]
    public async Task The_state_and_process_filters_keep_the_matching_tasks()
    {
        await using var app = await TestApp.StartAsync(processes: pk => pk.AddProcess(TestApp.Expense()).AddProcess(TestApp.Expense() with { Id = "test.other" }));
        var claimed = await app.StartClaimAsync("a");
        var offered = await app.StartClaimAsync("b");
        var other = (await app.Engine.StartAsync("test.other", new Dictionary<string, object?> { ["employee"] = "c", ["amount"] = 1m }, cancellationToken: TestContext.Current.CancellationToken)).Value;
        await app.PostAsync($"/processkit/tasks/{await app.TaskOfAsync(claimed)}/claim", TestUser.Clerk);

        var onlyClaimed = await (await app.GetAsync("/processkit/tasks?state=Claimed", TestUser.Clerk)).JsonAsync();
        var onlyOffered = await (await app.GetAsync("/processkit/tasks?state=offered&process=test.expense", TestUser.Clerk)).JsonAsync();
        var onlyOther = await (await app.GetAsync("/processkit/tasks?process=test.other", TestUser.Clerk)).JsonAsync();

        Assert.Equal([claimed], Instances(onlyClaimed));
        Assert.Equal([offered], Instances(onlyOffered));
        Assert.Equal([other], Instances(onlyOther));
    }

    [Fact]
    public async Task Reading_a_task_gives_its_form_and_reading_an_unknown_one_is_404()
    {
        await using var app = await TestApp.StartAsync();
        var task = await app.TaskOfAsync(await app.StartClaimAsync());

        var read = await (await app.GetAsync($"/processkit/tasks/{task}", TestUser.Clerk)).JsonAsync();

        Assert.Equal(task, read.GetProperty("id").GetInt64());
        Assert.Equal(0, read.GetProperty("fields")[1].GetProperty("minimum").GetDecimal());
        await (await app.GetAsync("/processkit/tasks/999", TestUser.Clerk)).ProblemAsync(404, ProcessErrorCodes.TaskNotFound);
        await (await app.PostAsync("/processkit/tasks/999/claim", TestUser.Clerk)).ProblemAsync(404, ProcessErrorCodes.TaskNotFound);
    }

    [Fact]
    public async Task Reading_a_task_of_a_process_one_takes_no_part_in_is_403()
    {
        await using var app = await TestApp.StartAsync();
        var task = await app.TaskOfAsync(await app.StartClaimAsync());

        await (await app.GetAsync($"/processkit/tasks/{task}", TestUser.Outsider)).ProblemAsync(403, "process.not-authorized");
    }

    [Fact]
    public async Task Claiming_then_releasing_moves_the_task_between_the_user_and_the_role()
    {
        await using var app = await TestApp.StartAsync();
        var task = await app.TaskOfAsync(await app.StartClaimAsync());

        var claimed = await (await app.PostAsync($"/processkit/tasks/{task}/claim", TestUser.Clerk)).JsonAsync();
        var otherSees = await (await app.GetAsync("/processkit/tasks", TestUser.OtherClerk)).JsonAsync();
        var released = await (await app.PostAsync($"/processkit/tasks/{task}/release", TestUser.Clerk)).JsonAsync();
        var otherSeesAgain = await (await app.GetAsync("/processkit/tasks", TestUser.OtherClerk)).JsonAsync();

        Assert.Equal("Claimed", claimed.GetProperty("state").GetString());
        Assert.Equal("ann", claimed.GetProperty("claimedBy").GetString());
        Assert.Equal(0, otherSees.GetProperty("total").GetInt32());
        Assert.Equal("Offered", released.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, released.GetProperty("claimedBy").ValueKind);
        Assert.Equal(1, otherSeesAgain.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Claiming_a_task_another_user_holds_is_409_and_changes_nothing()
    {
        await using var app = await TestApp.StartAsync();
        var task = await app.TaskOfAsync(await app.StartClaimAsync());
        await app.PostAsync($"/processkit/tasks/{task}/claim", TestUser.Clerk);
        var before = await Fingerprint.OfAsync(app);

        await (await app.PostAsync($"/processkit/tasks/{task}/claim", TestUser.OtherClerk)).ProblemAsync(409, ProcessErrorCodes.TaskClaimedByOther);

        Assert.Equal(before, await Fingerprint.OfAsync(app));
    }

    [Fact]
    public async Task Releasing_a_task_one_does_not_hold_is_403_and_changes_nothing()
    {
        await using var app = await TestApp.StartAsync();
        var task = await app.TaskOfAsync(await app.StartClaimAsync());
        await app.PostAsync($"/processkit/tasks/{task}/claim", TestUser.Clerk);
        var before = await Fingerprint.OfAsync(app);

        await (await app.PostAsync($"/processkit/tasks/{task}/release", TestUser.OtherClerk)).ProblemAsync(403, ProcessErrorCodes.NotAuthorized);

        Assert.Equal(before, await Fingerprint.OfAsync(app));
    }

    [Fact]
    public async Task Delegating_hands_the_task_to_the_named_user_who_then_sees_it()
    {
        await using var app = await TestApp.StartAsync();
        var task = await app.TaskOfAsync(await app.StartClaimAsync());

        var delegated = await (await app.PostAsync($"/processkit/tasks/{task}/delegate", TestUser.Clerk, """{ "toUserId": "max" }""")).JsonAsync();
        var managerSees = await (await app.GetAsync("/processkit/tasks", TestUser.Manager)).JsonAsync();

        Assert.Equal("max", delegated.GetProperty("assignedTo").GetString());
        Assert.Equal(task, Assert.Single(managerSees.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{ "toUserId": "  " }""")]
    [InlineData(null)]
    public async Task Delegating_without_a_user_is_400_naming_toUserId_and_changes_nothing(string? body)
    {
        await using var app = await TestApp.StartAsync();
        var task = await app.TaskOfAsync(await app.StartClaimAsync());
        var before = await Fingerprint.OfAsync(app);

        var problem = await (await app.PostAsync($"/processkit/tasks/{task}/delegate", TestUser.Clerk, body)).ProblemAsync(400, "request.invalid");

        Assert.Equal(["toUserId"], problem.Fields());
        Assert.Equal(before, await Fingerprint.OfAsync(app));
    }

    [Fact]
    public async Task Completing_with_an_outcome_and_data_moves_the_instance_on()
    {
        await using var app = await TestApp.StartAsync();
        var instance = await app.StartClaimAsync();
        var task = await app.TaskOfAsync(instance);

        var completed = await (await app.PostAsync($"/processkit/tasks/{task}/complete", TestUser.Clerk, """{ "outcome": "approve", "data": { "note": "fine", "approved": 100 } }""")).JsonAsync();
        var read = await (await app.GetAsync($"/processkit/instances/{instance}", TestUser.Clerk)).JsonAsync();

        Assert.Equal("Completed", completed.GetProperty("state").GetString());
        Assert.Equal(["receipt"], read.GetProperty("activeSteps").EnumerateArray().Select(static s => s.GetString()));
        Assert.Equal("fine", read.GetProperty("data").GetProperty("note").GetString());
        Assert.Equal(100m, read.GetProperty("data").GetProperty("approved").GetDecimal());
    }

    [Fact]
    public async Task Completing_a_task_of_a_role_one_lacks_is_403_and_changes_nothing()
    {
        await using var app = await TestApp.StartAsync();
        var task = await app.TaskOfAsync(await app.StartClaimAsync());
        var before = await Fingerprint.OfAsync(app);

        await (await app.PostAsync($"/processkit/tasks/{task}/complete", TestUser.Manager, """{ "outcome": "approve" }""")).ProblemAsync(403, ProcessErrorCodes.NotAuthorized);

        Assert.Equal(before, await Fingerprint.OfAsync(app));
    }

    [Fact]
    public async Task Completing_with_an_unknown_outcome_is_400_naming_outcome_and_changes_nothing()
    {
        await using var app = await TestApp.StartAsync();
        var task = await app.TaskOfAsync(await app.StartClaimAsync());
        var before = await Fingerprint.OfAsync(app);

        var problem = await (await app.PostAsync($"/processkit/tasks/{task}/complete", TestUser.Clerk, """{ "outcome": "shred" }""")).ProblemAsync(400, ProcessErrorCodes.UnknownOutcome);

        Assert.Equal(["outcome"], problem.Fields());
        Assert.Equal(before, await Fingerprint.OfAsync(app));
    }

    [Theory]
    [InlineData("""{ "outcome": "approve", "data": { "approved": -5 } }""", "data.approved")]
    [InlineData("""{ "outcome": "approve", "data": { "approved": "many" } }""", "data.approved")]
    [InlineData("""{ "outcome": "approve", "data": { "employee": "mallory" } }""", "data.employee")]
    public async Task Completing_with_data_that_does_not_fit_the_form_is_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        await using var app = await TestApp.StartAsync();
        var task = await app.TaskOfAsync(await app.StartClaimAsync());
        var before = await Fingerprint.OfAsync(app);

        var problem = await (await app.PostAsync($"/processkit/tasks/{task}/complete", TestUser.Clerk, body)).ProblemAsync(400, ProcessErrorCodes.TaskDataInvalid);

        Assert.Contains(field, problem.Fields());
        Assert.Equal(before, await Fingerprint.OfAsync(app));
    }

    [Fact]
    public async Task Completing_a_task_twice_is_409_the_second_time()
    {
        await using var app = await TestApp.StartAsync();
        var task = await app.TaskOfAsync(await app.StartClaimAsync());
        Assert.Equal(HttpStatusCode.OK, (await app.PostAsync($"/processkit/tasks/{task}/complete", TestUser.Clerk, """{ "outcome": "reject" }""")).StatusCode);
        var before = await Fingerprint.OfAsync(app);

        await (await app.PostAsync($"/processkit/tasks/{task}/complete", TestUser.Clerk, """{ "outcome": "reject" }""")).ProblemAsync(409, ProcessErrorCodes.TaskClosed);

        Assert.Equal(before, await Fingerprint.OfAsync(app));
    }

    [Fact]
    public async Task A_completion_body_over_the_size_limit_is_413_and_changes_nothing()
    {
        await using var app = await TestApp.StartAsync(o => o.MaxRequestBodySize = 128);
        var task = await app.TaskOfAsync(await app.StartClaimAsync());
        var before = await Fingerprint.OfAsync(app);
        var body = JsonSerializer.Serialize(new { outcome = "approve", data = new { note = new string('n', 200) } });

        await (await app.PostAsync($"/processkit/tasks/{task}/complete", TestUser.Clerk, body)).ProblemAsync(413, "request.too-large");

        Assert.Equal(before, await Fingerprint.OfAsync(app));
    }

    private static long[] Instances(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(static t => t.GetProperty("instance").GetInt64())];
}
