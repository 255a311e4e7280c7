using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ProcessKit.AspNetCore.Endpoints;
using ProcessKit.AspNetCore.Inbox;

namespace ProcessKit.AspNetCore;

/// <summary>Maps ProcessKit's HTTP endpoints into an ASP.NET Core app: <c>app.MapProcessKit("/processkit")</c>.</summary>
public static class ProcessKitEndpointRouteBuilderExtensions
{
    /// <summary>The route prefix <see cref="MapProcessKit"/> uses unless told otherwise.</summary>
    public const string DefaultPrefix = "/processkit";

    /// <summary>The path <see cref="MapProcessKitInbox"/> serves the inbox page at unless told otherwise.</summary>
    public const string DefaultInboxPath = "/processkit/inbox";

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

    /// <summary>
    /// Serves the task inbox page at <paramref name="path"/> (opt-in): plain HTML with a little script and
    /// styles from the package's embedded files, no build step. It lists the signed-in user's tasks by
    /// deadline, overdue first and marked; shows a task's form (the fields it writes) with its outcomes as
    /// buttons, the data it reads, where its instance stands, the Mermaid diagram and the history; and is
    /// worked from the keyboard (<c>j</c>/<c>k</c> or arrows, <c>Enter</c>, <c>c</c> claim, <c>r</c> release,
    /// <c>g</c> refresh). It calls the endpoints <see cref="MapProcessKit"/> mapped under
    /// <paramref name="apiPrefix"/> with the browser's credentials (cookies), so map those too.
    /// </summary>
    /// <param name="endpoints">The app (or any endpoint route builder).</param>
    /// <param name="path">Where the page is served. Default <see cref="DefaultInboxPath"/>; its files are under it (<c>inbox.js</c>, <c>inbox.css</c>).</param>
    /// <param name="apiPrefix">The prefix the ProcessKit endpoints are mapped at. Default <see cref="DefaultPrefix"/>.</param>
    /// <returns>The route group of the page and its files, so the app can ask for sign-in (for example <c>RequireAuthorization()</c>, which lets a cookie scheme redirect to its login page).</returns>
    /// <remarks>
    /// The files carry a Content-Security-Policy allowing only same-origin scripts, styles and requests, and
    /// <c>X-Content-Type-Options: nosniff</c>. They hold no data: everything the page shows comes from the
    /// endpoints, which check the user. Call once per path while the app is being built (not thread-safe).
    /// </remarks>
    public static RouteGroupBuilder MapProcessKitInbox(this IEndpointRouteBuilder endpoints, string path = DefaultInboxPath, string apiPrefix = DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiPrefix);
        var page = "/" + path.Trim('/');
        var api = "/" + apiPrefix.Trim('/');
        var group = endpoints.MapGroup(page);
        InboxEndpoints.Map(group, api == "/" ? string.Empty : api, page == "/" ? string.Empty : page);
        return group;
    }
}
