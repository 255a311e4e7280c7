using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ProcessKit.AspNetCore.Inbox;

/// <summary>Serves the inbox page and its script and styles, with headers that keep other origins' content out.</summary>
internal static class InboxEndpoints
{
    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void Map(RouteGroupBuilder group, string apiPrefix, string path)
    {
        // Absolute links, so the page works with or without a trailing slash and under the app's path base.
        group.MapGet("", (HttpContext http) => File(http, InboxAssets.Page(http.Request.PathBase + apiPrefix, http.Request.PathBase + path), "text/html; charset=utf-8"))
            .WithName("ProcessKitInboxPage")
            .WithSummary("The task inbox page (HTML).")
            .ExcludeFromDescription();
        group.MapGet("/inbox.js", (HttpContext http) => File(http, InboxAssets.Script.Value, "text/javascript; charset=utf-8"))
            .WithName("ProcessKitInboxScript")
            .ExcludeFromDescription();
        group.MapGet("/inbox.css", (HttpContext http) => File(http, InboxAssets.Styles.Value, "text/css; charset=utf-8"))
            .WithName("ProcessKitInboxStyles")
            .ExcludeFromDescription();
    }

    private static IResult File(HttpContext http, byte[] content, string contentType)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-cache";
        headers["Referrer-Policy"] = "same-origin";
        return TypedResults.Bytes(content, contentType);
    }
}
