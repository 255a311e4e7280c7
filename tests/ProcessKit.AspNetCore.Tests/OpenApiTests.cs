using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ProcessKit.AspNetCore.Tests;

public sealed class OpenApiTests
{
    [Fact]
    public async Task The_openapi_document_describes_every_endpoint_with_a_name_a_summary_and_its_responses()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        var document = await response.JsonAsync();

        var operations = new List<(string Path, string Method, JsonElement Operation)>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(static o => o.Name is "get" or "post"))
            {
                operations.Add((path.Name, operation.Name, operation.Value));
            }
        }

        var mine = operations.Where(static o => o.Path.StartsWith("/processkit/", StringComparison.Ordinal)).ToList();
        Assert.Equal(AuthenticationTests.Endpoints.Count, mine.Count);
        foreach (var (path, method, operation) in mine)
        {
            Assert.StartsWith("ProcessKit", operation.GetProperty("operationId").GetString());
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method} {path} has no summary");
            var responses = operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty("401", out _), $"{method} {path} does not describe 401");
            Assert.True(responses.TryGetProperty("200", out _) || responses.TryGetProperty("201", out _), $"{method} {path} does not describe its success");
            Assert.Contains("ProcessKit", operation.GetProperty("tags").EnumerateArray().Select(static t => t.GetString()));
        }

        var start = mine.Single(static o => o.Path == "/processkit/processes/{processId}/instances").Operation;
        Assert.True(start.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(start.GetProperty("responses").TryGetProperty("413", out _));
        var tasks = mine.Single(static o => o.Path == "/processkit/tasks").Operation;
        Assert.Equal(
            ["state", "process", "overdue", "page", "pageSize"],
            tasks.GetProperty("parameters").EnumerateArray().Select(static p => p.GetProperty("name").GetString()));
        var instances = mine.Single(static o => o.Path == "/processkit/instances").Operation;
        Assert.Equal(
            ["process", "version", "state", "businessKey", "startedFrom", "startedBefore", "after", "pageSize"],
            instances.GetProperty("parameters").EnumerateArray().Select(static p => p.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task The_group_returned_configures_every_endpoint_and_each_has_its_own_name()
    {
        var marker = new GroupMarker();
        await using var app = await TestApp.StartAsync(group: g => g.WithMetadata(marker));
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(static e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName.StartsWith("ProcessKit", StringComparison.Ordinal) == true)
            .ToList();

        Assert.Equal(AuthenticationTests.Endpoints.Count, endpoints.Count);
        Assert.All(endpoints, e => Assert.Same(marker, e.Metadata.GetMetadata<GroupMarker>()));
        Assert.Equal(endpoints.Count, endpoints.Select(static e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName).Distinct().Count());
    }

    private sealed class GroupMarker;
}
