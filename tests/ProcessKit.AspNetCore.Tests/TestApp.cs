using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;
using ProcessKit.Execution;
using ProcessKit.Hosting;

namespace ProcessKit.AspNetCore.Tests;

/// <summary>A user as the test sign-in presents them: an id and roles.</summary>
internal sealed record TestUser(string Id, params string[] Roles)
{
    public static readonly TestUser Clerk = new("ann", "clerk");
    public static readonly TestUser OtherClerk = new("bob", "clerk");
    public static readonly TestUser Manager = new("max", "manager");
    public static readonly TestUser Head = new("hal", "head", "manager");
    public static readonly TestUser Outsider = new("oz", "janitor");
}

/// <summary>
/// A web app on the in-memory test server with ProcessKit hosted on fake time, the endpoints mapped at
/// <c>/processkit</c>, a sign-in read from request headers, problem details and the OpenAPI document.
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    public const string ExpenseJson = """
        {
          "id": "test.expense",
          "version": 1,
          "name": "Expense claim",
          "ownerRole": "head",
          "suppliers": [
            { "id": "employee", "name": "Employee", "inputs": [
              { "name": "employee", "type": "String", "required": true },
              { "name": "amount", "type": "Number", "required": true, "minimum": 0 }
            ] }
          ],
          "roles": [
            { "id": "clerk", "name": "Clerk" },
            { "id": "manager", "name": "Manager" },
            { "id": "head", "name": "Head of finance" }
          ],
          "steps": [
            { "id": "review", "name": "Review the claim", "kind": "HumanTask", "role": "clerk",
              "outcomes": ["approve", "reject"], "reads": ["employee", "amount"],
              "writes": [ { "name": "note", "type": "String" }, { "name": "approved", "type": "Number", "minimum": 0 } ],
              "deadline": { "after": "PT1H" },
              "next": [ { "to": "receipt", "outcome": "approve" }, { "to": "rejected", "outcome": "reject", "path": "Alternate" } ] },
            { "id": "receipt", "name": "Wait for the receipt", "kind": "WaitMessage", "message": "receipt.received", "correlation": "employee",
              "next": [ { "to": "pay" } ] },
            { "id": "pay", "name": "Pay", "kind": "HumanTask", "role": "manager", "outcomes": ["paid"],
              "next": [ { "to": "done", "outcome": "paid" } ] },
            { "id": "done", "name": "Paid", "kind": "End", "outcome": "Paid" },
            { "id": "rejected", "name": "Rejected", "kind": "End", "outcome": "Rejected" }
          ]
        }
        """;

    private readonly WebApplication _app;

    private TestApp(WebApplication app, FakeTimeProvider time, bool kestrel)
    {
        _app = app;
        Time = time;
        if (kestrel)
        {
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            Client = new HttpClient { BaseAddress = new Uri(address) };
        }
        else
        {
            Client = app.GetTestClient();
        }

        Engine = app.Services.GetRequiredService<ProcessEngine>();
    }

    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public ProcessEngine Engine { get; }

    public IServiceProvider Services => _app.Services;

    public static ProcessDefinition Expense(int version = 1) =>
        ProcessDefinitionJson.Read(Encoding.UTF8.GetBytes(ExpenseJson)) with { Version = version };

    public static async Task<TestApp> StartAsync(
        Action<ProcessKitEndpointOptions>? configure = null,
        Action<ProcessKitBuilder>? processes = null,
        Action<RouteGroupBuilder>? group = null,
        Action<WebApplication>? map = null,
        bool kestrel = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (kestrel)
        {
            // A real port on loopback, for a browser.
            builder.WebHost.ConfigureKestrel(static o => o.Listen(IPAddress.Loopback, 0));
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Logging.ClearProviders();
        var time = new FakeTimeProvider(Start);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddProcessKit(processes ?? (pk => pk.AddProcess(Expense())));
        builder.Services.AddAuthentication(HeaderSignIn.SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderSignIn>(HeaderSignIn.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        var endpoints = app.MapProcessKit("/processkit", configure);
        group?.Invoke(endpoints);
        map?.Invoke(app);
        app.MapOpenApi();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new TestApp(app, time, kestrel);
    }

    public Task<HttpResponseMessage> GetAsync(string path, TestUser? user) => SendAsync(HttpMethod.Get, path, user);

    public Task<HttpResponseMessage> PostAsync(string path, TestUser? user, string? json = null) => SendAsync(HttpMethod.Post, path, user, json);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, TestUser? user, string? json = null, string contentType = "application/json", string? roleClaim = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (user is not null)
        {
            request.Headers.Add(HeaderSignIn.UserHeader, user.Id);
            request.Headers.Add(HeaderSignIn.RolesHeader, string.Join(',', user.Roles));
        }

        if (roleClaim is not null)
        {
            request.Headers.Add(HeaderSignIn.RoleClaimHeader, roleClaim);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Starts an expense claim through the engine (not through HTTP) and returns its id.</summary>
    public async Task<long> StartClaimAsync(string employee = "eve", decimal amount = 120m)
    {
        var id = await Engine.StartAsync("test.expense", new Dictionary<string, object?> { ["employee"] = employee, ["amount"] = amount }, cancellationToken: TestContext.Current.CancellationToken);
        return id.Value;
    }

    /// <summary>The open task of an instance.</summary>
    public async Task<long> TaskOfAsync(long instance)
    {
        var tasks = await Engine.QueryTasksAsync(new Tasks.TaskQuery { Instance = new InstanceId(instance) }, TestContext.Current.CancellationToken);
        return tasks.Single(static t => t.IsOpen).TaskId;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

/// <summary>Signs in the user the request's headers name (a test stand-in for cookies or bearer tokens).</summary>
internal sealed class HeaderSignIn(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TestHeaders";
    public const string UserHeader = "X-Test-User";
    public const string RolesHeader = "X-Test-Roles";
    public const string RoleClaimHeader = "X-Test-Role-Claim";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(UserHeader, out var id))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var roleClaim = Request.Headers.TryGetValue(RoleClaimHeader, out var type) ? type.ToString() : ClaimTypes.Role;
        var claims = new List<Claim>();
        if (id.ToString().Length > 0)
        {
            claims.Add(new Claim(ClaimTypes.NameIdentifier, id.ToString()));
        }

        foreach (var role in Request.Headers[RolesHeader].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            claims.Add(new Claim(roleClaim, role));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}

/// <summary>Reads response bodies.</summary>
internal static class Responses
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Checks the response is a problem with the status and code, and returns it.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, int status, string code)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }

    /// <summary>The fields a 400 names.</summary>
    public static string[] Fields(this JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors) ? [.. errors.EnumerateObject().Select(static p => p.Name)] : [];
}
