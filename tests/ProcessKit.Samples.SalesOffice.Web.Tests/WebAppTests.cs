using System.Net;
using System.Text.Json;
using ProcessKit.Tasks;

namespace ProcessKit.Samples.SalesOffice.Web.Tests;

/// <summary>The web app on the framework's test server: its own pages, the demo sign-in, and ProcessKit's endpoints in it.</summary>
public sealed class WebAppTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_app_starts_on_its_own_database_file_and_the_crm_page_lists_the_clients_it_starts_with()
    {
        await using var app = WebApp.OnTestServer();
        var client = await app.SignedInAsync("olga");

        var page = await client.GetStringAsync("/", Ct);

        Assert.True(File.Exists(app.DatabasePath));
        Assert.Contains("Ingrid Holm", page, StringComparison.Ordinal);
        Assert.Contains("Nord Timber", page, StringComparison.Ordinal);
        Assert.Contains("<h2>Leads (0)</h2>", page, StringComparison.Ordinal);
        Assert.Contains("<h2>Companies (3)</h2>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_health_endpoint_reports_the_store_and_the_worker_healthy()
    {
        await using var app = WebApp.OnTestServer();
        var client = app.NewClient();

        var response = await client.GetAsync("/health", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_visitor_who_is_not_signed_in_is_sent_from_the_crm_and_the_inbox_to_the_sign_in_page()
    {
        await using var app = WebApp.OnTestServer();
        var client = app.NewClient();

        foreach (var path in new[] { "/", "/processkit/inbox" })
        {
            var response = await client.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/signin", response.Headers.Location!.AbsolutePath);
        }
    }

    [Fact]
    public async Task A_new_contact_registers_a_lead_in_the_crm_and_offers_its_review_to_the_operator_with_a_deadline()
    {
        await using var app = WebApp.OnTestServer();
        var client = await app.SignedInAsync("olga");

        var sent = await WebApp.PostFormAsync(client, "/", "/contacts", new()
        {
            ["channel"] = "call",
            ["contactName"] = "Ann Lee",
            ["phone"] = "+1-555-0100",
            ["request"] = "forty chairs",
            ["requestedDate"] = "2027-03-12",
        });

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var page = await client.GetStringAsync(sent.Headers.Location, Ct);
        Assert.Contains("The contact came in", page, StringComparison.Ordinal);
        Assert.Contains("<td>L-1</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>Ann Lee</td>", page, StringComparison.Ordinal);
        Assert.Contains("<td>forty chairs</td>", page, StringComparison.Ordinal);

        using var tasks = JsonDocument.Parse(await client.GetStringAsync("/processkit/tasks", Ct));
        var task = Assert.Single(tasks.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal("reviewLead", task.GetProperty("stepId").GetString());
        Assert.Equal("operator", task.GetProperty("role").GetString());
        var created = task.GetProperty("createdAt").GetDateTimeOffset();
        Assert.Equal(created + TimeSpan.FromMinutes(15), task.GetProperty("dueAt").GetDateTimeOffset());

        var instance = await app.Engine.GetInstanceAsync(new Execution.InstanceId(task.GetProperty("instance").GetInt64()), Ct);
        Assert.Equal("L-1", instance.Data["leadId"]);
        Assert.Equal("call", instance.Data["channel"]);
    }

    [Fact]
    public async Task A_contact_form_sent_twice_is_one_lead()
    {
        await using var app = WebApp.OnTestServer();
        var client = await app.SignedInAsync("olga");
        var form = await client.GetStringAsync("/", Ct);
        var fields = new Dictionary<string, string>
        {
            ["formId"] = WebApp.Hidden(form, "formId"),
            ["channel"] = "email",
            ["contactName"] = "Ben Ode",
            ["email"] = "ben@ode.example",
        };

        var first = await WebApp.PostFormAsync(client, "/", "/contacts", new(fields));
        var second = await WebApp.PostFormAsync(client, "/", "/contacts", new(fields));

        Assert.Equal("/?sent=Started", first.Headers.Location!.OriginalString);
        Assert.Equal("/?sent=Duplicate", second.Headers.Location!.OriginalString);
        Assert.Single(await app.Engine.QueryTasksAsync(new TaskQuery { Role = "operator" }, Ct));
    }

    [Fact]
    public async Task A_contact_without_a_name_is_refused_and_starts_nothing()
    {
        await using var app = WebApp.OnTestServer();
        var client = await app.SignedInAsync("olga");

        var response = await WebApp.PostFormAsync(client, "/", "/contacts", new() { ["channel"] = "call", ["contactName"] = " " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Say who made contact.", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(await app.Engine.QueryTasksAsync(new TaskQuery(), Ct));
    }

    [Fact]
    public async Task A_contact_form_without_its_antiforgery_token_is_refused()
    {
        await using var app = WebApp.OnTestServer();
        var client = await app.SignedInAsync("olga");

        var response = await client.PostAsync("/contacts", new FormUrlEncodedContent(new Dictionary<string, string> { ["channel"] = "call", ["contactName"] = "Eve" }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await app.Engine.QueryTasksAsync(new TaskQuery(), Ct));
    }

    [Theory]
    [InlineData("olga", "Operator")]
    [InlineData("mia", "Manager")]
    [InlineData("max", "Manager")]
    [InlineData("dan", "Dispatcher")]
    [InlineData("dora", "Dispatcher")]
    [InlineData("hal", "Head of sales")]
    public async Task The_demo_sign_in_acts_as_the_person_picked_in_their_role(string person, string role)
    {
        await using var app = WebApp.OnTestServer();
        var client = await app.SignedInAsync(person);

        var page = await client.GetStringAsync("/", Ct);

        Assert.Contains($"Signed in as <b id=\"who\">{person}</b> ({role})", page, StringComparison.Ordinal);
        var tasks = await client.GetAsync("/processkit/tasks", Ct);
        Assert.Equal(HttpStatusCode.OK, tasks.StatusCode);
    }

    [Fact]
    public async Task The_sign_in_page_offers_every_person_of_the_office_says_it_is_a_demo_and_refuses_someone_else()
    {
        await using var app = WebApp.OnTestServer();
        var client = app.NewClient();

        var page = await client.GetStringAsync("/signin", Ct);
        var refused = await WebApp.PostFormAsync(client, "/signin", "/signin", new() { ["person"] = "mallory" });

        foreach (var person in new[] { "olga", "mia", "max", "dan", "dora", "hal" })
        {
            Assert.Contains($"Sign in as {person}</button>", page, StringComparison.Ordinal);
        }

        Assert.Contains("A demo", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/", Ct)).StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        await using var app = WebApp.OnTestServer();
        var client = await app.SignedInAsync("hal");

        var response = await WebApp.PostFormAsync(client, "/", "/signout", []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/processkit/tasks", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("/processkit/tasks")]
    [InlineData("/processkit/processes")]
    [InlineData("/processkit/processes/sales.lead-to-deal")]
    public async Task ProcessKit_endpoints_are_under_processkit_and_refuse_an_anonymous_caller_with_401(string path)
    {
        await using var app = WebApp.OnTestServer();

        var response = await app.NewClient().GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("user.unauthenticated", await CodeAsync(response));
    }

    [Fact]
    public async Task The_process_is_listed_under_processkit_for_a_signed_in_person()
    {
        await using var app = WebApp.OnTestServer();
        var client = await app.SignedInAsync("olga");

        using var processes = JsonDocument.Parse(await client.GetStringAsync("/processkit/processes", Ct));

        Assert.Contains(processes.RootElement.EnumerateArray(), static p => p.GetProperty("id").GetString() == "sales.lead-to-deal");
    }

    [Fact]
    public async Task A_person_in_the_wrong_role_is_refused_with_403_and_nothing_changes()
    {
        await using var app = WebApp.OnTestServer();
        var operatorClient = await app.SignedInAsync("olga");
        var dispatcher = await app.SignedInAsync("dan");
        await WebApp.PostFormAsync(operatorClient, "/", "/contacts", new() { ["channel"] = "webForm", ["contactName"] = "Cy Wu" });
        var task = Assert.Single(await app.Engine.QueryTasksAsync(new TaskQuery { Role = "operator" }, Ct));

        var complete = await dispatcher.PostAsync($"/processkit/tasks/{task.TaskId}/complete", Json("{}"), Ct);
        var report = await operatorClient.PostAsync("/processkit/processes/sales.lead-to-deal/report", Json($$"""{ "instances": [{{task.Instance.Value}}] }"""), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, complete.StatusCode);
        Assert.Equal("task.not-authorized", await CodeAsync(complete));
        Assert.Equal(HttpStatusCode.Forbidden, report.StatusCode);
        Assert.Equal("process.not-authorized", await CodeAsync(report));
        var after = Assert.Single(await app.Engine.QueryTasksAsync(new TaskQuery { Role = "operator" }, Ct));
        Assert.Equal(TaskState.Offered, after.State);
        var headOfSales = await app.SignedInAsync("hal");
        Assert.Equal(HttpStatusCode.OK, (await headOfSales.PostAsync("/processkit/processes/sales.lead-to-deal/report", Json($$"""{ "instances": [{{task.Instance.Value}}] }"""), Ct)).StatusCode);
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return problem.RootElement.GetProperty("code").GetString();
    }
}
