using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ProcessKit.AspNetCore.Contracts;
using ProcessKit.AspNetCore.Http;
using ProcessKit.Execution;
using ProcessKit.Messaging;

namespace ProcessKit.AspNetCore.Endpoints;

/// <summary>Messages: publish one to the instance waiting for it, or to start the processes it triggers.</summary>
internal static class MessageEndpoints
{
    public static void Map(RouteGroupBuilder group, ProcessKitEndpointOptions options)
    {
        group.MapPost("/messages", (Delegate)((HttpContext http) => Call.RunAsync(http, options, PublishAsync)))
            .Describe("PublishMessage", "Publishes a message: delivered to the step waiting for its name and correlation key, else it starts the processes it triggers, else it is kept for a wait that comes later; a message id seen before changes nothing.")
            .Accepts<PublishMessageRequest>("application/json")
            .Produces<MessageResultDto>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge)
            .Produces(StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<IResult> PublishAsync(Call call)
    {
        if (call.Options.MessagePublisherRole is { } role && !call.User.IsInRole(role))
        {
            return Call.Forbidden($"Publishing messages is for the role '{role}'.");
        }

        var (body, bad) = await RequestBody.ReadAsync(call.Http, ProcessKitJsonContext.Default.PublishMessageRequest, call.Options.MaxRequestBodySize).ConfigureAwait(false);
        if (bad is not null)
        {
            return bad;
        }

        if (string.IsNullOrWhiteSpace(body?.Name))
        {
            return Problems.Invalid("name", "'name' is required: the message's name.");
        }

        if (body.Instance is < 1)
        {
            return Problems.Invalid("instance", "'instance' must be an instance id (a positive whole number).");
        }

        var message = new ProcessMessage(body.Name)
        {
            CorrelationKey = body.CorrelationKey,
            Instance = body.Instance is { } id ? new InstanceId(id) : null,
            MessageId = body.MessageId,
            Payload = DataJson.ToData(body.Payload),
        };
        var outcome = await call.Engine.PublishMessageAsync(message, call.Aborted).ConfigureAwait(false);
        return JsonBody.Of(new MessageResultDto(outcome.ToString()), ProcessKitJsonContext.Default.MessageResultDto);
    }
}
