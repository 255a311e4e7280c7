using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ProcessKit.AspNetCore.Endpoints;

/// <summary>The OpenAPI description every endpoint shares: a name, a summary, the problems it may answer.</summary>
internal static class EndpointDescriptions
{
    /// <summary>The prefix of every endpoint name, so they stay unique in an app's OpenAPI document.</summary>
    public const string NamePrefix = "ProcessKit";

    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder builder, string name, string summary) =>
        builder
            .WithName(NamePrefix + name)
            .WithSummary(summary)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }
}
