using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ProcessKit.AspNetCore.Endpoints;

namespace ProcessKit.AspNetCore;

/// <summary>Maps ProcessKit's HTTP endpoints into an ASP.NET Core app: <c>app.MapProcessKit("/processkit")</c>.</summary>
public static class ProcessKitEndpointRouteBuilderExtensions
{
    /// <summary>The route prefix <see cref="MapProcessKit"/> uses unless told otherwise.</summary>
    public const string DefaultPrefix = "/processkit";

    /// <summary>
    /// Maps the endpoints under <paramref name="prefix"/>: processes and their versions, diagrams, starting
    /// instances, reports; the signed-in user's tasks and claiming, releasing, delegating and completing them;
    /// publishing messages; reading an instance, its history and characteristics. The engine is the
    /// <see cref="Execution.ProcessEngine"/> registered in the app's services (for example by
    /// <c>services.AddProcessKit(...)</c> of ProcessKit.Hosting).
    /// </summary>
    /// <param name="endpoints">The app (or any endpoint route builder).</param>
    /// <param name="prefix">The route prefix. Default <see cref="DefaultPrefix"/>.</param>
    /// <param name="configure">Adjusts the settings (claim types, body size limit, page sizes). Optional.</param>
    /// <returns>
    /// The route group, so the app can add authorization policies, rate limiting or OpenAPI tags to every
    /// ProcessKit endpoint at once.
    /// </returns>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    /// <remarks>
    /// The acting user comes from the app's authentication (<see cref="HttpContext.User"/>): without a signed-in
    /// user every endpoint answers 401. Refusals are RFC 9457 problem details with the engine's error code in the
    /// extension member <c>code</c>; a refused command changes nothing. Every endpoint has an OpenAPI name
    /// (starting with <c>ProcessKit</c>), a summary and its response types. Call once per prefix, while the app is
    /// being built (not thread-safe, like every endpoint mapping).
    /// </remarks>
    public static RouteGroupBuilder MapProcessKit(this IEndpointRouteBuilder endpoints, string prefix = DefaultPrefix, Action<ProcessKitEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var settings = new ProcessKitEndpointOptions();
        configure?.Invoke(settings);
        var options = settings.Validated();
        var normalized = "/" + prefix.Trim('/');

        var group = endpoints.MapGroup(normalized).WithTags("ProcessKit");
        ProcessEndpoints.Map(group, options, normalized == "/" ? string.Empty : normalized);
        TaskEndpoints.Map(group, options);
        MessageEndpoints.Map(group, options);
        InstanceEndpoints.Map(group, options);
        return group;
    }
}
