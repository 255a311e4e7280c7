using System.Net;
using System.Xml.Linq;

namespace ProcessKit.AspNetCore.Tests;

public sealed class DiagramEndpointTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static Task<HttpResponseMessage> GetAcceptingAsync(TestApp app, string path, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(HeaderSignIn.UserHeader, TestUser.Clerk.Id);
        request.Headers.Add(HeaderSignIn.RolesHeader, string.Join(',', TestUser.Clerk.Roles));
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return app.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<XElement> SvgAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        return XDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Root!;
    }

    private static Dictionary<string, string> StepClasses(XElement svg) =>
        svg.Descendants(Svg + "g")
            .Where(static g => g.Attribute("data-step") is not null)
            .ToDictionary(static g => (string)g.Attribute("data-step")!, static g => (string)g.Attribute("class")!, StringComparer.Ordinal);

    [Fact]
    public async Task The_instance_diagram_as_SVG_marks_where_it_waits_and_where_it_has_been()
    {
        await using var app = await TestApp.StartAsync();
        var instance = await app.StartClaimAsync();
        var task = await app.TaskOfAsync(instance);
        Assert.Equal(HttpStatusCode.OK, (await app.PostAsync($"/processkit/tasks/{task}/complete", TestUser.Clerk, """{ "outcome": "approve" }""")).StatusCode);

        var response = await app.GetAsync($"/processkit/instances/{instance}/diagram?format=svg", TestUser.Clerk);
        var svg = await SvgAsync(response);
        var viaProcess = await GetAcceptingAsync(app, $"/processkit/processes/test.expense/diagram?instance={instance}", "image/svg+xml");

        var classes = StepClasses(svg);
        Assert.Equal(["done", "pay", "receipt", "rejected", "review"], classes.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("pk-current", classes["receipt"].Split(' '));
        Assert.Contains("pk-visited", classes["review"].Split(' '));
        Assert.DoesNotContain("pk-", classes["pay"].Replace("pk-node", string.Empty, StringComparison.Ordinal).Replace("pk-human-task", string.Empty, StringComparison.Ordinal));
        Assert.Equal("img", (string?)svg.Attribute("role"));
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            await viaProcess.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_definition_diagram_as_SVG_marks_nothing()
    {
        await using var app = await TestApp.StartAsync();

        var svg = await SvgAsync(await app.GetAsync("/processkit/processes/test.expense/diagram?format=SVG&version=1", TestUser.Clerk));

        Assert.Equal(5, StepClasses(svg).Count);
        Assert.DoesNotContain(StepClasses(svg).Values, static c => c.Contains("pk-current", StringComparison.Ordinal) || c.Contains("pk-visited", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("image/svg+xml", "image/svg+xml")]
    [InlineData("text/html, image/svg+xml;q=0.9, */*;q=0.8", "image/svg+xml")]
    [InlineData("*/*", "text/plain")]
    [InlineData("text/plain, image/svg+xml;q=0.5", "text/plain")]
    [InlineData("image/svg+xml;q=0", "text/plain")]
    public async Task Without_a_format_the_Accept_header_chooses_and_Mermaid_is_the_default(string accept, string expected)
    {
        await using var app = await TestApp.StartAsync();
        var instance = await app.StartClaimAsync();

        var response = await GetAcceptingAsync(app, $"/processkit/instances/{instance}/diagram", accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", response.Headers.Vary);
    }

    [Fact]
    public async Task The_format_parameter_wins_over_the_Accept_header()
    {
        await using var app = await TestApp.StartAsync();

        var response = await GetAcceptingAsync(app, "/processkit/processes/test.expense/diagram?format=mermaid", "image/svg+xml");

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%% ProcessKit process", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/processkit/processes/test.expense/diagram?format=png")]
    [InlineData("/processkit/instances/{0}/diagram?format=png")]
    public async Task An_unknown_format_is_400_naming_it(string path)
    {
        await using var app = await TestApp.StartAsync();
        var instance = await app.StartClaimAsync();

        var problem = await (await app.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, instance), TestUser.Clerk)).ProblemAsync(400, "request.invalid");

        Assert.Equal(["format"], problem.Fields());
    }

    [Fact]
    public async Task The_SVG_diagram_of_a_process_one_takes_no_part_in_is_403()
    {
        await using var app = await TestApp.StartAsync();
        var instance = await app.StartClaimAsync();

        await (await app.GetAsync($"/processkit/instances/{instance}/diagram?format=svg", TestUser.Outsider)).ProblemAsync(403, "process.not-authorized");
        await (await app.GetAsync("/processkit/processes/test.expense/diagram?format=svg", TestUser.Outsider)).ProblemAsync(403, "process.not-authorized");
    }

    [Fact]
    public async Task OpenAPI_describes_the_format_parameter_and_the_SVG_response()
    {
        await using var app = await TestApp.StartAsync();

        var document = await (await app.Client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).JsonAsync();

        foreach (var path in new[] { "/processkit/processes/{processId}/diagram", "/processkit/instances/{instanceId}/diagram" })
        {
            var operation = document.GetProperty("paths").GetProperty(path).GetProperty("get");
            Assert.Contains("format", operation.GetProperty("parameters").EnumerateArray().Select(static p => p.GetProperty("name").GetString()));
            var content = operation.GetProperty("responses").GetProperty("200").GetProperty("content");
            Assert.True(content.TryGetProperty("image/svg+xml", out _), $"{path} does not describe its SVG form");
            Assert.True(content.TryGetProperty("text/plain", out _), $"{path} does not describe its Mermaid form");
        }
    }
}
