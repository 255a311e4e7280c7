using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;

namespace ProcessKit.AspNetCore.Tests;

public sealed partial class InboxTests
{
    [Fact]
    public async Task The_inbox_page_is_html_pointing_at_the_api_and_its_own_files()
    {
        await using var app = await TestApp.StartAsync(map: a => a.MapProcessKitInbox());

        var response = await app.Client.GetAsync("/processkit/inbox", TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("""<meta name="processkit-api" content="/processkit">""", html, StringComparison.Ordinal);
        Assert.Contains("""src="/processkit/inbox/inbox.js""", html, StringComparison.Ordinal);
        Assert.Contains("""href="/processkit/inbox/inbox.css""", html, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/processkit/inbox/inbox.js", "text/javascript")]
    [InlineData("/processkit/inbox/inbox.css", "text/css")]
    public async Task The_inbox_files_are_served_with_their_type_and_a_same_origin_policy(string path, string type)
    {
        await using var app = await TestApp.StartAsync(map: a => a.MapProcessKitInbox());

        var response = await app.Client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True((await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length > 500);
    }

    [Fact]
    public async Task The_inbox_follows_the_paths_it_is_given()
    {
        await using var app = await TestApp.StartAsync(map: a => a.MapProcessKitInbox("/desk/", "/processkit/"));

        var html = await app.Client.GetStringAsync("/desk", TestContext.Current.CancellationToken);
        var script = await app.Client.GetAsync("/desk/inbox.js", TestContext.Current.CancellationToken);

        Assert.Contains("""content="/processkit">""", html, StringComparison.Ordinal);
        Assert.Contains("""src="/desk/inbox.js""", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task Every_api_path_the_script_calls_is_an_endpoint_that_exists()
    {
        await using var app = await TestApp.StartAsync(map: a => a.MapProcessKitInbox());
        var script = await app.Client.GetStringAsync("/processkit/inbox/inbox.js", TestContext.Current.CancellationToken);
        var instance = await app.StartClaimAsync();
        var task = await app.TaskOfAsync(instance);

        var paths = CalledPaths().Matches(script).Select(static m => m.Groups[1].Value).Distinct().ToList();

        Assert.Contains("/tasks", paths);
        Assert.Contains("/instances/", paths);
        foreach (var path in paths)
        {
            var url = "/processkit" + path switch
            {
                "/tasks" => "/tasks",
                "/tasks/" => $"/tasks/{task}",
                "/instances/" => $"/instances/{instance}",
                "/processes/" => "/processes/test.expense",
                _ => throw new Xunit.Sdk.XunitException($"The script calls '{path}', which this test does not know."),
            };
            var response = await app.GetAsync(url, TestUser.Clerk);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task The_task_view_has_a_link_back_to_the_task_list_that_works_without_script()
    {
        await using var app = await TestApp.StartAsync(map: a => a.MapProcessKitInbox());

        var html = await app.Client.GetStringAsync("/processkit/inbox", TestContext.Current.CancellationToken);
        var script = await app.Client.GetStringAsync("/processkit/inbox/inbox.js", TestContext.Current.CancellationToken);

        var detail = html[html.IndexOf("""<section id="detail" """, StringComparison.Ordinal)..];
        Assert.Contains("""<a id="back" href="#tasks">""", detail, StringComparison.Ordinal);
        Assert.Contains("Back to my tasks</a>", detail, StringComparison.Ordinal);
        Assert.Contains("""<ol id="tasks" """, html, StringComparison.Ordinal);
        Assert.Contains("""$("back").addEventListener("click",""", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_diagram_the_inbox_inlines_has_ids_prefixed_with_its_process_and_version_that_resolve_inside_it()
    {
        await using var app = await TestApp.StartAsync(map: a => a.MapProcessKitInbox());
        var instance = await app.StartClaimAsync();
        var script = await app.Client.GetStringAsync("/processkit/inbox/inbox.js", TestContext.Current.CancellationToken);
        Assert.Contains("""call("GET", "/instances/" + task.instance + "/diagram?format=svg")""", script, StringComparison.Ordinal);

        var response = await app.GetAsync($"/processkit/instances/{instance}/diagram?format=svg", TestUser.Clerk);
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Root!;

        var ids = svg.Descendants().Select(static e => (string?)e.Attribute("id")).OfType<string>().ToList();
        var references = svg.Descendants().Select(static e => (string?)e.Attribute("marker-end")).OfType<string>().ToList();
        Assert.NotEmpty(ids);
        Assert.All(ids, static id => Assert.StartsWith("pk-test.expense-v1-", id, StringComparison.Ordinal));
        Assert.NotEmpty(references);
        Assert.All(references, reference => Assert.Contains(reference["url(#".Length..^1], ids));
    }

    [Fact]
    public async Task The_app_can_ask_for_sign_in_on_the_inbox_group()
    {
        await using var app = await TestApp.StartAsync(map: a => a.MapProcessKitInbox().RequireAuthorization());

        var anonymous = await app.GetAsync("/processkit/inbox", user: null);
        var signedIn = await app.GetAsync("/processkit/inbox", TestUser.Clerk);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
    }

    [GeneratedRegex("""call\("(?:GET|POST)", "(/[a-z]+/?)""")]
    private static partial Regex CalledPaths();
}
