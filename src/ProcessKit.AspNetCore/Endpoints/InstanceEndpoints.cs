using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ProcessKit.Analytics;
using ProcessKit.AspNetCore.Contracts;
using ProcessKit.AspNetCore.Http;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Export;

namespace ProcessKit.AspNetCore.Endpoints;

/// <summary>Instances: read one, its history, its characteristics, its diagram.</summary>
internal static class InstanceEndpoints
{
    public static void Map(RouteGroupBuilder group, ProcessKitEndpointOptions options)
    {
        group.MapGet("/instances/{instanceId:long}", (HttpContext http, long instanceId) =>
                Call.RunAsync(http, options, call => WithInstanceAsync(call, instanceId, static (_, _, s) =>
                    Task.FromResult(JsonBody.Of(Dtos.Instance(s), ProcessKitJsonContext.Default.InstanceDto) as IResult))))
            .Describe("GetInstance", "Reads an instance: state, data, the steps where it waits and its version.")
            .Produces<InstanceDto>()
            .ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);

        group.MapGet("/instances/{instanceId:long}/history", (HttpContext http, long instanceId) =>
                Call.RunAsync(http, options, call => WithInstanceAsync(call, instanceId, HistoryAsync)))
            .Describe("GetInstanceHistory", "Reads an instance's history, in order: one event per lifecycle change.")
            .Produces<HistoryEventDto[]>()
            .ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);

        group.MapGet("/instances/{instanceId:long}/characteristics", (HttpContext http, long instanceId) =>
                Call.RunAsync(http, options, call => WithInstanceAsync(call, instanceId, CharacteristicsAsync)))
            .Describe("GetInstanceCharacteristics", "Measures an instance from its history: cycle, work and wait times, cost, path taken, deadline breaches (a running one as of now).")
            .Produces<CharacteristicsDto>()
            .ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);

        group.MapGet("/instances/{instanceId:long}/diagram", (HttpContext http, long instanceId, string? format) =>
                Call.RunAsync(http, options, call => WithInstanceAsync(call, instanceId, (c, d, s) => ProcessEndpoints.DiagramAsync(c, d, s, format))))
            .Describe("GetInstanceDiagram", "Draws the instance's process version as a Mermaid flowchart (the default) or, with 'format=svg' or 'Accept: image/svg+xml', as an SVG image, with the steps where it waits marked (class 'current' in Mermaid, 'pk-current' in SVG) and, in SVG, the steps it has been through ('pk-visited').")
            .Produces<string>(StatusCodes.Status200OK, "text/plain", SvgExporter.MediaType)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> WithInstanceAsync(Call call, long instanceId, Func<Call, ProcessDefinition, InstanceSnapshot, Task<IResult>> then)
    {
        var snapshot = await call.Engine.GetInstanceAsync(new InstanceId(instanceId), call.Aborted).ConfigureAwait(false);
        var (definition, denied) = await call.ParticipantDefinitionAsync(snapshot.ProcessId, snapshot.ProcessVersion).ConfigureAwait(false);
        return denied ?? await then(call, definition, snapshot).ConfigureAwait(false);
    }

    private static async Task<IResult> HistoryAsync(Call call, ProcessDefinition definition, InstanceSnapshot snapshot)
    {
        var history = await call.Engine.GetHistoryAsync(snapshot.Id, call.Aborted).ConfigureAwait(false);
        return JsonBody.Of([.. history.Select(Dtos.Event)], ProcessKitJsonContext.Default.HistoryEventDtoArray);
    }

    private static async Task<IResult> CharacteristicsAsync(Call call, ProcessDefinition definition, InstanceSnapshot snapshot)
    {
        var history = await call.Engine.GetHistoryAsync(snapshot.Id, call.Aborted).ConfigureAwait(false);
        var asOf = snapshot.State == InstanceState.Running ? ProcessEndpoints.Latest(history, call.Now) : (DateTimeOffset?)null;
        var characteristics = ProcessAnalytics.Characteristics(definition, history, asOf);
        return JsonBody.Of(Dtos.Characteristics(characteristics), ProcessKitJsonContext.Default.CharacteristicsDto);
    }
}
