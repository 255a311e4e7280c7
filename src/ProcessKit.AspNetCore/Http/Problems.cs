using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ProcessKit.AspNetCore.Http;

/// <summary>
/// Turns refusals into RFC 9457 problem details: the status from the error code, the engine's message as
/// the detail, the code as the extension member <c>code</c>, and for bad input the fields at fault under
/// <c>errors</c> (field name to messages, as ASP.NET Core's validation problems have them).
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static partial class Problems
{
    /// <summary>The request carries no signed-in user.</summary>
    public const string Unauthenticated = "user.unauthenticated";

    /// <summary>The user holds none of the roles the process (or the endpoint) asks for.</summary>
    public const string ProcessNotAuthorized = "process.not-authorized";

    /// <summary>The request is malformed: a field missing, of the wrong type, unknown or out of range.</summary>
    public const string RequestInvalid = "request.invalid";

    /// <summary>The request body is larger than <see cref="ProcessKitEndpointOptions.MaxRequestBodySize"/>.</summary>
    public const string RequestTooLarge = "request.too-large";

    /// <summary>The HTTP status for an error code.</summary>
    public static int StatusOf(string code) => code switch
    {
        Unauthenticated => StatusCodes.Status401Unauthorized,
        ProcessErrorCodes.NotAuthorized or ProcessNotAuthorized => StatusCodes.Status403Forbidden,
        ProcessErrorCodes.Conflict or ProcessErrorCodes.TaskClaimedByOther or ProcessErrorCodes.TaskClosed or ProcessErrorCodes.InstanceEnded or ProcessErrorCodes.StartRequestConflict => StatusCodes.Status409Conflict,
        ProcessErrorCodes.StartDataInvalid or ProcessErrorCodes.TaskDataInvalid or ProcessErrorCodes.UnknownOutcome or RequestInvalid => StatusCodes.Status400BadRequest,
        RequestTooLarge => StatusCodes.Status413PayloadTooLarge,
        ProcessErrorCodes.StoreUnavailable or ProcessErrorCodes.StoreOutcomeUnknown => StatusCodes.Status503ServiceUnavailable,
        _ when code.EndsWith(".not-found", StringComparison.Ordinal) => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The problem for an engine error.</summary>
    public static IResult From(ProcessKitException error)
    {
        Dictionary<string, string[]>? errors = null;
        switch (error)
        {
            case InvalidCommandException { ErrorCode: ProcessErrorCodes.UnknownOutcome }:
                errors = new(StringComparer.Ordinal) { ["outcome"] = [error.Message] };
                break;
            case InvalidCommandException { ErrorCode: ProcessErrorCodes.StartDataInvalid or ProcessErrorCodes.TaskDataInvalid } invalid:
                errors = new(StringComparer.Ordinal);
                foreach (var problem in invalid.Problems)
                {
                    // The engine starts each problem with the field's name in quotes.
                    var match = QuotedField().Match(problem);
                    var field = match.Success ? "data." + match.Groups[1].Value : "data";
                    errors[field] = errors.TryGetValue(field, out var known) ? [.. known, problem] : [problem];
                }

                break;
        }

        return Of(error.ErrorCode, error.Message, errors);
    }

    /// <summary>A problem with a code, a detail and optionally the fields at fault.</summary>
    public static IResult Of(string code, string detail, Dictionary<string, string[]>? errors = null)
    {
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = code };
        if (errors is { Count: > 0 })
        {
            extensions["errors"] = errors;
        }

        return TypedResults.Problem(detail: detail, statusCode: StatusOf(code), extensions: extensions);
    }

    /// <summary>A 400 naming one field.</summary>
    public static IResult Invalid(string field, string message) =>
        Of(RequestInvalid, message, new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    [GeneratedRegex("^'([^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedField();
}
