using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ProcessKit.Analytics;
using ProcessKit.AspNetCore.Contracts;
using ProcessKit.AspNetCore.Http;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Export;
using ProcessKit.History;

namespace ProcessKit.AspNetCore.Endpoints;

/// <summary>Processes: list them with their versions, read one, draw it, start an instance, report on instances.</summary>
internal static class ProcessEndpoints
{
    public static void Map(RouteGroupBuilder group, ProcessKitEndpointOptions options, string prefix)
    {
        group.MapGet("/processes", (Delegate)((HttpContext http) => Call.RunAsync(http, options, ListAsync)))
            .Describe("ListProcesses", "Lists the deployed processes the user takes part in, with every version.")
            .Produces<ProcessSummaryDto[]>();

        group.MapGet("/processes/{processId}", (HttpContext http, string processId, string? version) =>
                Call.RunAsync(http, options, call => ReadAsync(call, processId, version)))
            .Describe("GetProcess", "Reads one version of a process (the newest unless 'version' is given): roles, start inputs, steps.")
            .Produces<ProcessDefinitionDto>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);

        group.MapGet("/processes/{processId}/diagram", (HttpContext http, string processId, string? version, string? instance, string? format) =>
                Call.RunAsync(http, options, call => DiagramAsync(call, processId, version, instance, format)))
            .Describe("GetProcessDiagram", "Draws a process as a Mermaid flowchart (the default) or, with 'format=svg' or 'Accept: image/svg+xml', as an SVG image; with 'instance', the steps where that instance waits are marked (class 'current' in Mermaid, 'pk-current' in SVG) and, in SVG, the steps it has been through ('pk-visited').")
            .Produces<string>(StatusCodes.Status200OK, "text/plain", SvgExporter.MediaType)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);

        group.MapPost("/processes/{processId}/instances", (HttpContext http, string processId) =>
                Call.RunAsync(http, options, call => StartAsync(call, processId, prefix)))
            .Describe("StartInstance", "Starts an instance of the newest version with start data checked against the process's declared inputs.")
            .Accepts<StartInstanceRequest>("application/json")
            .Produces<InstanceDto>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge)
            .Produces(StatusCodes.Status415UnsupportedMediaType);

        group.MapGet("/processes/{processId}/report", (HttpContext http, string processId, string? version, string? startedFrom, string? startedBefore) =>
                Call.RunAsync(http, options, call => ProcessReportAsync(call, processId, version, startedFrom, startedBefore)))
            .Describe("GetProcessVersionReport", "Reports on every instance of one version of a process (the newest unless 'version' is given), optionally those started from 'startedFrom' and before 'startedBefore' (ISO 8601): outcomes, cycle times, costs, deadline breaches, steps.")
            .Produces<ReportDto>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);

        group.MapPost("/processes/{processId}/report", (HttpContext http, string processId) =>
                Call.RunAsync(http, options, call => ReportAsync(call, processId)))
            .Describe("GetProcessReport", "Reports on the named instances of one version of a process (the newest unless 'version' is given), or on all its instances when 'instances' is left out: outcomes, cycle times, costs, deadline breaches, steps.")
            .Accepts<ReportRequest>("application/json")
            .Produces<ReportDto>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge)
            .Produces(StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<IResult> ListAsync(Call call)
    {
        var definitions = await call.Engine.GetDefinitionsAsync(call.Aborted).ConfigureAwait(false);
        var list = new List<ProcessSummaryDto>();
        foreach (var versions in definitions.GroupBy(static d => d.Id, StringComparer.Ordinal).OrderBy(static g => g.Key, StringComparer.Ordinal))
        {
            var newest = versions.MaxBy(static d => d.Version)!;
            if (Access.IsParticipant(newest, call.User))
            {
                list.Add(new ProcessSummaryDto(newest.Id, newest.Name, newest.Description, newest.Category, newest.Version, Versions(versions)));
            }
        }

        return JsonBody.Of([.. list], ProcessKitJsonContext.Default.ProcessSummaryDtoArray);
    }

    private static async Task<IResult> ReadAsync(Call call, string processId, string? versionText)
    {
        if (!Query.TryInt(versionText, "version", 1, int.MaxValue, out var version, out var problem))
        {
            return problem!;
        }

        var (definition, denied) = await call.ParticipantDefinitionAsync(processId, version).ConfigureAwait(false);
        if (denied is not null)
        {
            return denied;
        }

        var all = await call.Engine.GetDefinitionsAsync(call.Aborted).ConfigureAwait(false);
        var versions = Versions(all.Where(d => string.Equals(d.Id, processId, StringComparison.Ordinal)));
        return JsonBody.Of(Dtos.Definition(definition, versions), ProcessKitJsonContext.Default.ProcessDefinitionDto);
    }

    private static async Task<IResult> DiagramAsync(Call call, string processId, string? versionText, string? instanceText, string? formatText)
    {
        if (!Query.TryInt(versionText, "version", 1, int.MaxValue, out var version, out var problem)
            || !Query.TryLong(instanceText, "instance", out var instanceId, out problem)
            || !TryDiagramFormat(call.Http, formatText, out _, out problem))
        {
            return problem!;
        }

        InstanceSnapshot? instance = null;
        if (instanceId is { } id)
        {
            instance = await call.Engine.GetInstanceAsync(new InstanceId(id), call.Aborted).ConfigureAwait(false);
            if (!string.Equals(instance.ProcessId, processId, StringComparison.Ordinal))
            {
                return Problems.Invalid("instance", $"The instance {id} belongs to the process '{instance.ProcessId}', not '{processId}'.");
            }

            if (version is { } v && v != instance.ProcessVersion)
            {
                return Problems.Invalid("version", $"The instance {id} runs version {instance.ProcessVersion}, not {v}.");
            }

            version = instance.ProcessVersion;
        }

        var (definition, denied) = await call.ParticipantDefinitionAsync(processId, version).ConfigureAwait(false);
        return denied ?? await DiagramAsync(call, definition, instance, formatText).ConfigureAwait(false);
    }

    /// <summary>
    /// The diagram of <paramref name="definition"/> as Mermaid text (the default) or an SVG image ('format=svg', or
    /// 'image/svg+xml' accepted ahead of 'text/plain'), marking where <paramref name="instance"/> waits and, in SVG,
    /// the steps its history says it entered.
    /// </summary>
    internal static async Task<IResult> DiagramAsync(Call call, ProcessDefinition definition, InstanceSnapshot? instance, string? formatText)
    {
        if (!TryDiagramFormat(call.Http, formatText, out var svg, out var problem))
        {
            return problem!;
        }

        call.Http.Response.Headers.Vary = "Accept";
        var current = instance is null ? ValueArray<string>.Empty : ValueArray.Create<string>([.. instance.ActiveSteps.Distinct(StringComparer.Ordinal)]);
        if (!svg)
        {
            return TypedResults.Text(MermaidExporter.Export(definition, MermaidOptions.Default with { HighlightSteps = current }), "text/plain; charset=utf-8");
        }

        var visited = ValueArray<string>.Empty;
        if (instance is not null)
        {
            var history = await call.Engine.GetHistoryAsync(instance.Id, call.Aborted).ConfigureAwait(false);
            visited = ValueArray.Create<string>([.. history.Where(static e => e.Type == HistoryEventType.StepEntered && e.StepId is not null).Select(static e => e.StepId!).Distinct(StringComparer.Ordinal)]);
        }

        // The image needs no script and no outside resource: opened on its own it may run nothing.
        call.Http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        call.Http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Text(SvgExporter.Export(definition, new SvgOptions { HighlightSteps = current, VisitedSteps = visited }), SvgExporter.MediaType + "; charset=utf-8");
    }

    /// <summary>Reads 'format' (mermaid or svg); without it, SVG when the request accepts image/svg+xml at least as much as text/plain.</summary>
    private static bool TryDiagramFormat(HttpContext http, string? formatText, out bool svg, out IResult? problem)
    {
        problem = null;
        svg = false;
        if (!string.IsNullOrEmpty(formatText))
        {
            if (string.Equals(formatText, "svg", StringComparison.OrdinalIgnoreCase))
            {
                svg = true;
            }
            else if (!string.Equals(formatText, "mermaid", StringComparison.OrdinalIgnoreCase))
            {
                problem = Problems.Invalid("format", $"'format' must be mermaid or svg, not '{formatText}'.");
                return false;
            }

            return true;
        }

        double? svgQuality = null;
        double textQuality = 0;
        foreach (var accept in http.Request.GetTypedHeaders().Accept)
        {
            var quality = accept.Quality ?? 1;
            if (accept.MediaType.Equals(SvgExporter.MediaType, StringComparison.OrdinalIgnoreCase))
            {
                svgQuality = Math.Max(svgQuality ?? 0, quality);
            }
            else if (accept.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
            {
                textQuality = Math.Max(textQuality, quality);
            }
        }

        svg = svgQuality is > 0 && svgQuality >= textQuality;
        return true;
    }

    private static async Task<IResult> StartAsync(Call call, string processId, string prefix)
    {
        var (_, denied) = await call.ParticipantDefinitionAsync(processId, null).ConfigureAwait(false);
        if (denied is not null)
        {
            return denied;
        }

        var (body, bad) = await RequestBody.ReadAsync(call.Http, ProcessKitJsonContext.Default.StartInstanceRequest, call.Options.MaxRequestBodySize).ConfigureAwait(false);
        if (bad is not null)
        {
            return bad;
        }

        if (body?.BusinessKey is { } key && string.IsNullOrWhiteSpace(key))
        {
            return Problems.Invalid("businessKey", "'businessKey' may not be blank; leave it out instead.");
        }

        if (body?.RequestId is { } requestId && string.IsNullOrWhiteSpace(requestId))
        {
            return Problems.Invalid("requestId", "'requestId' may not be blank; leave it out instead.");
        }

        // With a request id the start is safe to repeat (a client retrying after a lost response gets the same instance).
        var start = new StartRequest(processId) { Data = DataJson.ToData(body?.Data), BusinessKey = body?.BusinessKey, RequestId = body?.RequestId };
        var id = await call.Engine.StartAsync(start, call.Aborted).ConfigureAwait(false);
        var snapshot = await call.Engine.GetInstanceAsync(id, call.Aborted).ConfigureAwait(false);
        call.Http.Response.Headers.Location = $"{call.Http.Request.PathBase}{prefix}/instances/{id.Value}";
        return JsonBody.Of(Dtos.Instance(snapshot), ProcessKitJsonContext.Default.InstanceDto, StatusCodes.Status201Created);
    }

    private static async Task<IResult> ReportAsync(Call call, string processId)
    {
        var (body, bad) = await RequestBody.ReadAsync(call.Http, ProcessKitJsonContext.Default.ReportRequest, call.Options.MaxRequestBodySize).ConfigureAwait(false);
        if (bad is not null)
        {
            return bad;
        }

        if (body?.Version is < 1)
        {
            return Problems.Invalid("version", "'version' must be 1 or more.");
        }

        if (body?.Instances is { Length: > 0 } tooMany && tooMany.Length > call.Options.MaxReportInstances)
        {
            return Problems.Invalid("instances", $"A report covers at most {call.Options.MaxReportInstances} named instances, not {tooMany.Length}: leave 'instances' out to report on all of the version's.");
        }

        var definition = await call.Engine.GetDefinitionAsync(processId, body?.Version, call.Aborted).ConfigureAwait(false);
        if (!Access.MayReport(definition, call.User))
        {
            return Call.Forbidden($"Reports on the process '{processId}' are for its owner role '{definition.OwnerRole}'.");
        }

        if (body?.Instances is not { } ids)
        {
            var all = await call.Engine.GetReportAsync(definition.Id, definition.Version, cancellationToken: call.Aborted).ConfigureAwait(false);
            return JsonBody.Of(Dtos.Report(all), ProcessKitJsonContext.Default.ReportDto);
        }

        var now = call.Now;
        var seen = new HashSet<long>();
        var characteristics = new List<InstanceCharacteristics>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            var field = $"instances[{i}]";
            if (ids[i] < 1 || !seen.Add(ids[i]))
            {
                return Problems.Invalid(field, $"{field} must be a distinct instance id, not {ids[i]}.");
            }

            InstanceSnapshot instance;
            try
            {
                instance = await call.Engine.GetInstanceAsync(new InstanceId(ids[i]), call.Aborted).ConfigureAwait(false);
            }
            catch (ProcessNotFoundException e)
            {
                return Problems.Invalid(field, e.Message);
            }

            if (!string.Equals(instance.ProcessId, definition.Id, StringComparison.Ordinal) || instance.ProcessVersion != definition.Version)
            {
                return Problems.Invalid(field, $"The instance {ids[i]} runs '{instance.ProcessId}' version {instance.ProcessVersion}, not version {definition.Version} of '{definition.Id}'.");
            }

            var history = await call.Engine.GetHistoryAsync(instance.Id, call.Aborted).ConfigureAwait(false);
            characteristics.Add(ProcessAnalytics.Characteristics(definition, history, instance.State == InstanceState.Running ? Latest(history, now) : null));
        }

        return JsonBody.Of(Dtos.Report(ProcessAnalytics.Report(definition, characteristics)), ProcessKitJsonContext.Default.ReportDto);
    }

    private static async Task<IResult> ProcessReportAsync(Call call, string processId, string? versionText, string? fromText, string? beforeText)
    {
        if (!Query.TryInt(versionText, "version", 1, int.MaxValue, out var version, out var problem)
            || !Query.TryTime(fromText, "startedFrom", out var startedFrom, out problem)
            || !Query.TryTime(beforeText, "startedBefore", out var startedBefore, out problem))
        {
            return problem!;
        }

        var definition = await call.Engine.GetDefinitionAsync(processId, version, call.Aborted).ConfigureAwait(false);
        if (!Access.MayReport(definition, call.User))
        {
            return Call.Forbidden($"Reports on the process '{processId}' are for its owner role '{definition.OwnerRole}'.");
        }

        var report = await call.Engine.GetReportAsync(definition.Id, definition.Version, startedFrom, startedBefore, call.Aborted).ConfigureAwait(false);
        return JsonBody.Of(Dtos.Report(report), ProcessKitJsonContext.Default.ReportDto);
    }

    /// <summary>Now, or the last event's time when the clock reads earlier (a clock may lag the store's node).</summary>
    internal static DateTimeOffset Latest(IReadOnlyList<History.HistoryEvent> history, DateTimeOffset now) =>
        history.Count > 0 && history[^1].Time > now ? history[^1].Time : now;

    private static int[] Versions(IEnumerable<ProcessDefinition> versions) =>
        [.. versions.Select(static d => d.Version).Distinct().Order()];
}
