using Microsoft.Extensions.DependencyInjection;
using ProcessKit.AspNetCore.Http;

namespace ProcessKit.AspNetCore.Tests;

public sealed class ProblemStatusTests
{
    [Theory]
    [InlineData(ProcessErrorCodes.ProcessNotFound, 404)]
    [InlineData(ProcessErrorCodes.InstanceNotFound, 404)]
    [InlineData(ProcessErrorCodes.TaskNotFound, 404)]
    [InlineData(ProcessErrorCodes.IncidentNotFound, 404)]
    [InlineData(ProcessErrorCodes.NotAuthorized, 403)]
    [InlineData(ProcessErrorCodes.Conflict, 409)]
    [InlineData(ProcessErrorCodes.TaskClaimedByOther, 409)]
    [InlineData(ProcessErrorCodes.TaskClosed, 409)]
    [InlineData(ProcessErrorCodes.InstanceEnded, 409)]
    [InlineData(ProcessErrorCodes.StartRequestConflict, 409)]
    [InlineData(ProcessErrorCodes.StartDataInvalid, 400)]
    [InlineData(ProcessErrorCodes.TaskDataInvalid, 400)]
    [InlineData(ProcessErrorCodes.UnknownOutcome, 400)]
    [InlineData(ProcessErrorCodes.StoreUnavailable, 503)]
    [InlineData(ProcessErrorCodes.StoreOutcomeUnknown, 503)]
    [InlineData(ProcessErrorCodes.StoreFormatUnsupported, 500)]
    [InlineData("user.unauthenticated", 401)]
    [InlineData("process.not-authorized", 403)]
    [InlineData("request.invalid", 400)]
    [InlineData("request.too-large", 413)]
    public void Each_error_code_has_its_http_status(string code, int status) =>
        Assert.Equal(status, Problems.StatusOf(code));

    [Fact]
    public async Task A_version_conflict_from_the_engine_becomes_a_409_problem_carrying_its_code()
    {
        var result = Problems.From(new ProcessConflictException("The instance 7 kept changing."));
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        http.Response.Body = new MemoryStream();

        await result.ExecuteAsync(http);

        Assert.Equal(409, http.Response.StatusCode);
        http.Response.Body.Position = 0;
        using var document = await System.Text.Json.JsonDocument.ParseAsync(http.Response.Body, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(ProcessErrorCodes.Conflict, document.RootElement.GetProperty("code").GetString());
        Assert.Equal("The instance 7 kept changing.", document.RootElement.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(null, "body")]
    [InlineData("$", "body")]
    [InlineData("$.data", "data")]
    [InlineData("$.data.amount", "data.amount")]
    [InlineData("$.instances[2]", "instances[2]")]
    public void A_json_path_becomes_the_field_name(string? path, string field) =>
        Assert.Equal(field, RequestBody.FieldOf(path));
}

public sealed class EndpointOptionsTests
{
    [Theory]
    [InlineData("MaxRequestBodySize")]
    [InlineData("MaxPageSize")]
    [InlineData("DefaultPageSize")]
    [InlineData("MaxReportInstances")]
    [InlineData("RoleClaimType")]
    [InlineData("MessagePublisherRole")]
    public async Task A_setting_out_of_range_fails_when_the_endpoints_are_mapped_naming_it(string setting)
    {
        Action<ProcessKitEndpointOptions> configure = setting switch
        {
            "MaxRequestBodySize" => static o => o.MaxRequestBodySize = 0,
            "MaxPageSize" => static o => o.MaxPageSize = 0,
            "DefaultPageSize" => static o => o.DefaultPageSize = o.MaxPageSize + 1,
            "MaxReportInstances" => static o => o.MaxReportInstances = -1,
            "RoleClaimType" => static o => o.RoleClaimType = " ",
            _ => static o => o.MessagePublisherRole = "",
        };

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => TestApp.StartAsync(configure));

        Assert.Equal(setting, error.ParamName);
    }

    [Fact]
    public void The_defaults_are_documented_values()
    {
        var options = new ProcessKitEndpointOptions();

        Assert.Equal(System.Security.Claims.ClaimTypes.Role, options.RoleClaimType);
        Assert.Equal(System.Security.Claims.ClaimTypes.NameIdentifier, options.UserIdClaimType);
        Assert.Equal(64 * 1024, options.MaxRequestBodySize);
        Assert.Equal(50, options.DefaultPageSize);
        Assert.Equal(500, options.MaxPageSize);
        Assert.Equal(1000, options.MaxReportInstances);
        Assert.Null(options.MessagePublisherRole);
    }
}
