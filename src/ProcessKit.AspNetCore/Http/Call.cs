using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ProcessKit.Definitions;
using ProcessKit.Execution;

namespace ProcessKit.AspNetCore.Http;

/// <summary>One request to a ProcessKit endpoint: the engine, the acting user and the settings.</summary>
internal sealed class Call
{
    private Call(HttpContext http, ProcessEngine engine, ProcessUser user, ProcessKitEndpointOptions options)
    {
        Http = http;
        Engine = engine;
        User = user;
        Options = options;
    }

    public HttpContext Http { get; }

    public ProcessEngine Engine { get; }

    public ProcessUser User { get; }

    public ProcessKitEndpointOptions Options { get; }

    public CancellationToken Aborted => Http.RequestAborted;

    public DateTimeOffset Now => Engine.TimeProvider.GetUtcNow();

    /// <summary>
    /// Runs an endpoint's work for a signed-in user: 401 without one; a <see cref="ProcessKitException"/>
    /// becomes its problem (the engine changed nothing when it refused).
    /// </summary>
    public static async Task<IResult> RunAsync(HttpContext http, ProcessKitEndpointOptions options, Func<Call, Task<IResult>> work)
    {
        if (UserOf(http, options) is not { } user)
        {
            return Problems.Of(Problems.Unauthenticated, "Sign in first: the request carries no signed-in user.");
        }

        var engine = http.RequestServices.GetRequiredService<ProcessEngine>();
        try
        {
            return await work(new Call(http, engine, user, options)).ConfigureAwait(false);
        }
        catch (ProcessKitException e)
        {
            return Problems.From(e);
        }
    }

    /// <summary>Reads the definition and checks that the user takes part in the process (else 403).</summary>
    public async Task<(ProcessDefinition Definition, IResult? Problem)> ParticipantDefinitionAsync(string processId, int? version)
    {
        var definition = await Engine.GetDefinitionAsync(processId, version, Aborted).ConfigureAwait(false);
        return Access.IsParticipant(definition, User)
            ? (definition, null)
            : (definition, Forbidden($"The user '{User.Id}' holds none of the roles of the process '{processId}'."));
    }

    public static IResult Forbidden(string detail) => Problems.Of(Problems.ProcessNotAuthorized, detail);

    private static ProcessUser? UserOf(HttpContext http, ProcessKitEndpointOptions options)
    {
        var principal = http.User;
        if (principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        try
        {
            return ProcessUser.FromClaimsPrincipal(principal, options.RoleClaimType, options.UserIdClaimType);
        }
        catch (ArgumentException)
        {
            // Signed in, but naming no user: nobody the engine could record as acting.
            return null;
        }
    }
}
