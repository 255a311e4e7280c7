namespace ProcessKit.AspNetCore.Tests;

public sealed class AuthenticationTests
{
    public static readonly TheoryData<string, string> Endpoints = new()
    {
        { "GET", "/processkit/processes" },
        { "GET", "/processkit/processes/test.expense" },
        { "GET", "/processkit/processes/test.expense/diagram" },
        { "POST", "/processkit/processes/test.expense/instances" },
        { "GET", "/processkit/processes/test.expense/report" },
        { "POST", "/processkit/processes/test.expense/report" },
        { "GET", "/processkit/tasks" },
        { "GET", "/processkit/tasks/1" },
        { "POST", "/processkit/tasks/1/claim" },
        { "POST", "/processkit/tasks/1/release" },
        { "POST", "/processkit/tasks/1/delegate" },
        { "POST", "/processkit/tasks/1/complete" },
        { "POST", "/processkit/messages" },
        { "GET", "/processkit/instances?process=test.expense" },
        { "GET", "/processkit/instances/1" },
        { "GET", "/processkit/instances/1/history" },
        { "GET", "/processkit/instances/1/characteristics" },
        { "GET", "/processkit/instances/1/diagram" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Without_a_signed_in_user_every_endpoint_is_401_and_nothing_changes(string method, string path)
    {
        await using var app = await TestApp.StartAsync();
        await app.StartClaimAsync("eve");
        var before = await Fingerprint.OfAsync(app);
        var body = method == "POST" ? """{ "outcome": "approve" }""" : null;

        await (await app.SendAsync(new HttpMethod(method), path, user: null, body)).ProblemAsync(401, "user.unauthenticated");

        Assert.Equal(before, await Fingerprint.OfAsync(app));
    }

    [Fact]
    public async Task A_principal_that_names_no_user_is_401()
    {
        await using var app = await TestApp.StartAsync();

        await (await app.GetAsync("/processkit/tasks", new TestUser("", "clerk"))).ProblemAsync(401, "user.unauthenticated");
    }

    [Fact]
    public async Task Roles_come_from_the_claim_type_the_options_name()
    {
        await using var app = await TestApp.StartAsync(o => o.RoleClaimType = "groups");
        await app.StartClaimAsync();

        var byGroups = await (await app.SendAsync(HttpMethod.Get, "/processkit/tasks", TestUser.Clerk, roleClaim: "groups")).JsonAsync();
        var byDefaultClaim = await (await app.SendAsync(HttpMethod.Get, "/processkit/tasks", TestUser.Clerk)).JsonAsync();

        Assert.Equal(1, byGroups.GetProperty("total").GetInt32());
        Assert.Equal(0, byDefaultClaim.GetProperty("total").GetInt32());
    }
}
