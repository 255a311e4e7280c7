using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ProcessKit.AspNetCore.Http;

/// <summary>
/// Reads a JSON request body within the size limit and deserializes it with the package's own
/// serializer context, so that a bad body becomes a problem naming the field instead of an exception.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class RequestBody
{
    /// <summary>Reads the body: the value, or the problem to answer with. An empty body gives the default value.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> info, long limit)
        where T : class
    {
        var request = http.Request;
        if (request.ContentLength > limit)
        {
            return (null, TooLarge(limit));
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            // Kestrel then refuses a larger chunked body too, before it is buffered.
            sizeFeature.MaxRequestBodySize = limit;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(4096);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read;
                try
                {
                    read = await request.Body.ReadAsync(buffer.AsMemory(length), http.RequestAborted).ConfigureAwait(false);
                }
                catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    return (null, TooLarge(limit));
                }

                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    return (null, TooLarge(limit));
                }
            }

            if (length == 0)
            {
                return (null, null);
            }

            try
            {
                return (JsonSerializer.Deserialize(buffer.AsSpan(0, length), info), null);
            }
            catch (JsonException e)
            {
                var field = FieldOf(e.Path);
                return (null, Problems.Invalid(field, $"The request body is not valid at '{field}': {FirstSentence(e.Message)}"));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IResult TooLarge(long limit) =>
        Problems.Of(Problems.RequestTooLarge, $"The request body is larger than the {limit} bytes allowed.");

    /// <summary>A JSON path such as <c>$.data.amount</c> or <c>$['to user']</c> as a field name (<c>data.amount</c>); the body itself is <c>body</c>.</summary>
    internal static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }

    private static string FirstSentence(string message)
    {
        // The serializer appends the path and position after the first sentence; the field is named already.
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
