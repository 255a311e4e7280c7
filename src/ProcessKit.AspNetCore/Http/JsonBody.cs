using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace ProcessKit.AspNetCore.Http;

/// <summary>
/// A JSON response body serialized at once, straight into the response's pipe, with the package's
/// generated serializer context: no asynchronous streamed serialization (what <c>TypedResults.Json</c> does)
/// and no intermediate copy. The bodies are small (a task, an instance, a page of tasks).
/// </summary>
/// <remarks>Immutable; one instance per response.</remarks>
internal sealed class JsonBody<T>(T value, JsonTypeInfo<T> info, int statusCode) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    /// <summary>What <c>TypedResults.Json</c> sends too.</summary>
    public const string JsonContentType = "application/json; charset=utf-8";

    public int? StatusCode => statusCode;

    public string ContentType => JsonContentType;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = JsonContentType;
        var options = info.Options;
        using (var writer = new Utf8JsonWriter(response.BodyWriter, new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented, MaxDepth = options.MaxDepth }))
        {
            JsonSerializer.Serialize(writer, value, info);
        }

        // A flush to a connection the client closed completes without sending; nothing to cancel.
        var flush = response.BodyWriter.FlushAsync();
        return flush.IsCompletedSuccessfully ? Task.CompletedTask : flush.AsTask();
    }
}

/// <summary>Makes <see cref="JsonBody{T}"/> results.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class JsonBody
{
    /// <summary>A 200 (or <paramref name="statusCode"/>) response with <paramref name="value"/> as JSON.</summary>
    public static IResult Of<T>(T value, JsonTypeInfo<T> info, int statusCode = StatusCodes.Status200OK) => new JsonBody<T>(value, info, statusCode);
}
