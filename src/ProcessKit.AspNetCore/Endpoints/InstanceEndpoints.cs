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

/// <summary>Instances: list a process's, read one, its history, its characteristics, its diagram.</summary>
internal static class InstanceEndpoints
{
    public static void Map(RouteGroupBuilder group, ProcessKitEndpointOptions options)
    {
        group.MapGet("/instances", (HttpContext http, string? process, string? version, string? state, string? businessKey, string? startedFrom, string? startedBefore, string? after, string? pageSize) =>
                Call.RunAsync(http, options, call => ListAsync(call, new ListParameters(process, version, state, businessKey, startedFrom, startedBefore, after, pageSize))))
            .Describe("ListInstances", "Lists the instances of a process ('process', required) by version then id: filters version, state (one or several, comma-separated: Running, Completed, Cancelled, Failed), businessKey, startedFrom and startedBefore (ISO 8601); paged by 'after' (the previous page's continueAfter) and pageSize.")
            .Produces<InstanceListDto>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);

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

    private static async Task<IResult> ListAsync(Call call, ListParameters p)
    {
        if (string.IsNullOrWhiteSpace(p.Process))
        {
            return Problems.Invalid("process", "'process' is required: the id of the process whose instances to list.");
        }

        if (!Query.TryInt(p.Version, "version", 1, int.MaxValue, out var version, out var problem)
            || !Query.TryTime(p.StartedFrom, "startedFrom", out var startedFrom, out problem)
            || !Query.TryTime(p.StartedBefore, "startedBefore", out var startedBefore, out problem)
            || !Query.TryLong(p.After, "after", out var after, out problem)
            || !Query.TryInt(p.PageSize, "pageSize", 1, Math.Min(call.Options.MaxPageSize, InstanceQuery.MaxPageSize), out var size, out problem))
        {
            return problem!;
        }

        List<InstanceState>? states = null;
        if (!string.IsNullOrEmpty(p.State))
        {
            states = [];
            foreach (var part in p.State.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!Query.TryEnum<InstanceState>(part, "state", out var one, out problem) || one is null)
                {
                    return problem ?? Problems.Invalid("state", "'state' lists an empty state.");
                }

                states.Add(one.Value);
            }
        }

        var (_, denied) = await call.ParticipantDefinitionAsync(p.Process, version).ConfigureAwait(false);
        if (denied is not null)
        {
            return denied;
        }

        var page = await call.Engine.QueryInstancesAsync(
            new InstanceQuery(p.Process)
            {
                Version = version,
                States = states,
                BusinessKey = string.IsNullOrEmpty(p.BusinessKey) ? null : p.BusinessKey,
                StartedFrom = startedFrom,
                StartedBefore = startedBefore,
                After = after is { } a ? new InstanceId(a) : null,
                PageSize = size ?? Math.Min(call.Options.DefaultPageSize, InstanceQuery.MaxPageSize),
            },
            call.Aborted).ConfigureAwait(false);
        return JsonBody.Of(new InstanceListDto([.. page.Instances.Select(Dtos.Summary)], page.ContinueAfter?.Value), ProcessKitJsonContext.Default.InstanceListDto);
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

    /// <summary>The query values of an instance listing, as sent.</summary>
    private sealed record ListParameters(
        string? Process,
        string? Version,
        string? State,
        string? BusinessKey,
        string? StartedFrom,
        string? StartedBefore,
        string? After,
        string? PageSize);
}
