using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ProcessKit.AspNetCore.Contracts;
using ProcessKit.AspNetCore.Http;
using ProcessKit.Definitions;
using ProcessKit.Tasks;

namespace ProcessKit.AspNetCore.Endpoints;

/// <summary>The user's tasks: list them (by their roles and assignments), read one, claim, release, delegate, complete.</summary>
internal static class TaskEndpoints
{
    public static void Map(RouteGroupBuilder group, ProcessKitEndpointOptions options)
    {
        group.MapGet("/tasks", (HttpContext http, string? state, string? process, string? overdue, string? page, string? pageSize) =>
                Call.RunAsync(http, options, call => ListAsync(call, state, process, overdue, page, pageSize)))
            .Describe("ListTasks", "Lists the open tasks the user may work on (offered to one of their roles, assigned to them or held by them), overdue and earliest due first; filters: state (Offered, Claimed), process, overdue; paged by page (from 1) and pageSize.")
            .Produces<TaskPageDto>()
            .ProducesProblems(StatusCodes.Status400BadRequest);

        group.MapGet("/tasks/{taskId:long}", (HttpContext http, long taskId) =>
                Call.RunAsync(http, options, call => ReadAsync(call, taskId)))
            .Describe("GetTask", "Reads a task: its state, due date, outcomes and the fields it writes (the form).")
            .Produces<TaskDto>()
            .ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);

        group.MapPost("/tasks/{taskId:long}/claim", (HttpContext http, long taskId) =>
                Call.RunAsync(http, options, call => ActAsync(call, taskId, static (c, id) => c.Engine.ClaimTaskAsync(id, c.User, c.Aborted))))
            .Describe("ClaimTask", "Claims a task for the user: it leaves the other role members' lists. Claiming a task one holds changes nothing.")
            .Produces<TaskDto>()
            .ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        group.MapPost("/tasks/{taskId:long}/release", (HttpContext http, long taskId) =>
                Call.RunAsync(http, options, call => ActAsync(call, taskId, static (c, id) => c.Engine.ReleaseTaskAsync(id, c.User, c.Aborted))))
            .Describe("ReleaseTask", "Gives a claimed task back to its role (or to the user it is assigned to).")
            .Produces<TaskDto>()
            .ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);

        group.MapPost("/tasks/{taskId:long}/delegate", (HttpContext http, long taskId) =>
                Call.RunAsync(http, options, call => DelegateAsync(call, taskId)))
            .Describe("DelegateTask", "Delegates a task to another user, who may then claim and complete it even outside the role.")
            .Accepts<DelegateTaskRequest>("application/json")
            .Produces<TaskDto>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge)
            .Produces(StatusCodes.Status415UnsupportedMediaType);

        group.MapPost("/tasks/{taskId:long}/complete", (HttpContext http, long taskId) =>
                Call.RunAsync(http, options, call => CompleteAsync(call, taskId)))
            .Describe("CompleteTask", "Completes a task with one of its outcomes and values for the fields it writes; the instance runs on to its next wait.")
            .Accepts<CompleteTaskRequest>("application/json")
            .Produces<TaskDto>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge)
            .Produces(StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<IResult> ListAsync(Call call, string? stateText, string? process, string? overdueText, string? pageText, string? sizeText)
    {
        if (!Query.TryEnum<TaskState>(stateText, "state", out var state, out var problem)
            || !Query.TryBool(overdueText, "overdue", out var overdue, out problem)
            || !Query.TryInt(pageText, "page", 1, int.MaxValue, out var page, out problem)
            || !Query.TryInt(sizeText, "pageSize", 1, call.Options.MaxPageSize, out var size, out problem))
        {
            return problem!;
        }

        if (state is TaskState.Completed or TaskState.Cancelled)
        {
            return Problems.Invalid("state", "The task list holds open tasks only: 'state' is Offered or Claimed.");
        }

        var now = call.Now;
        var tasks = await call.Engine.QueryTasksAsync(new TaskQuery { AvailableTo = call.User, State = state }, call.Aborted).ConfigureAwait(false);
        var matching = tasks
            .Where(t => process is null || string.Equals(t.ProcessId, process, StringComparison.Ordinal))
            .Where(t => overdue is null || Dtos.IsOverdue(t, now) == overdue.Value)
            .OrderByDescending(t => Dtos.IsOverdue(t, now))
            .ThenBy(static t => t.DueAt ?? DateTimeOffset.MaxValue)
            .ThenBy(static t => t.CreatedAt)
            .ThenBy(static t => t.TaskId)
            .ToList();

        var pageSize = size ?? call.Options.DefaultPageSize;
        var pageNumber = page ?? 1;
        var skip = (long)(pageNumber - 1) * pageSize;
        var items = new List<TaskDto>(pageSize);
        var definitions = new Dictionary<(string, int), ProcessDefinition>();
        foreach (var task in matching.Skip((int)Math.Min(skip, int.MaxValue)).Take(pageSize))
        {
            if (!definitions.TryGetValue((task.ProcessId, task.ProcessVersion), out var definition))
            {
                definition = await call.Engine.GetDefinitionAsync(task.ProcessId, task.ProcessVersion, call.Aborted).ConfigureAwait(false);
                definitions[(task.ProcessId, task.ProcessVersion)] = definition;
            }

            items.Add(Dtos.Task(task, definition, now));
        }

        var page1 = new TaskPageDto([.. items], pageNumber, pageSize, matching.Count, skip + items.Count < matching.Count, now);
        return JsonBody.Of(page1, ProcessKitJsonContext.Default.TaskPageDto);
    }

    private static async Task<IResult> ReadAsync(Call call, long taskId)
    {
        var task = await call.Engine.GetTaskAsync(taskId, call.Aborted).ConfigureAwait(false);
        var (definition, denied) = await call.ParticipantDefinitionAsync(task.ProcessId, task.ProcessVersion).ConfigureAwait(false);
        return denied ?? JsonBody.Of(Dtos.Task(task, definition, call.Now), ProcessKitJsonContext.Default.TaskDto);
    }

    private static async Task<IResult> ActAsync(Call call, long taskId, Func<Call, long, ValueTask<HumanTaskInfo>> act) =>
        await AfterAsync(call, await act(call, taskId).ConfigureAwait(false)).ConfigureAwait(false);

    private static async Task<IResult> DelegateAsync(Call call, long taskId)
    {
        var (body, bad) = await RequestBody.ReadAsync(call.Http, ProcessKitJsonContext.Default.DelegateTaskRequest, call.Options.MaxRequestBodySize).ConfigureAwait(false);
        if (bad is not null)
        {
            return bad;
        }

        if (string.IsNullOrWhiteSpace(body?.ToUserId))
        {
            return Problems.Invalid("toUserId", "'toUserId' is required: the user the task goes to.");
        }

        var task = await call.Engine.DelegateTaskAsync(taskId, call.User, body.ToUserId, call.Aborted).ConfigureAwait(false);
        return await AfterAsync(call, task).ConfigureAwait(false);
    }

    private static async Task<IResult> CompleteAsync(Call call, long taskId)
    {
        var (body, bad) = await RequestBody.ReadAsync(call.Http, ProcessKitJsonContext.Default.CompleteTaskRequest, call.Options.MaxRequestBodySize).ConfigureAwait(false);
        if (bad is not null)
        {
            return bad;
        }

        var task = await call.Engine.CompleteTaskAsync(taskId, call.User, body?.Outcome, DataJson.ToData(body?.Data), call.Aborted).ConfigureAwait(false);
        return await AfterAsync(call, task).ConfigureAwait(false);
    }

    /// <summary>The task as the command left it (the engine returns it: no second read).</summary>
    private static async Task<IResult> AfterAsync(Call call, HumanTaskInfo task)
    {
        var definition = await call.Engine.GetDefinitionAsync(task.ProcessId, task.ProcessVersion, call.Aborted).ConfigureAwait(false);
        return JsonBody.Of(Dtos.Task(task, definition, call.Now), ProcessKitJsonContext.Default.TaskDto);
    }
}
