using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProcessKit.Definitions;
using ProcessKit.Definitions.Json;
using ProcessKit.Execution;
using ProcessKit.Hosting;
using ProcessKit.Sqlite;

namespace ProcessKit.AspNetCore.Throughput;

/// <summary>
/// The app under test: a real Kestrel server on a free loopback port, ProcessKit hosted on a new SQLite
/// file (<c>synchronous=FULL</c>, the store's group commit), the endpoints at <c>/processkit</c> and the
/// header sign-in. Each case gets its own host and file, deleted when it is disposed.
/// </summary>
internal sealed class BenchHost : IAsyncDisposable
{
    public const string ProcessId = "bench.http";
    public const string Role = "clerk";
    public const string Prefix = "/processkit";

    /// <summary>
    /// Two human tasks in a row, each assigned to the user named by the start data (so each user's list
    /// holds only their own tasks) and completed with the outcome <c>done</c> and a note.
    /// </summary>
    public const string ProcessJson = """
        {
          "id": "bench.http",
          "version": 1,
          "name": "Two tasks",
          "suppliers": [
            { "id": "requester", "name": "Requester", "inputs": [ { "name": "assignee", "type": "String", "required": true } ] }
          ],
          "roles": [ { "id": "clerk", "name": "Clerk" } ],
          "steps": [
            { "id": "first", "name": "First task", "kind": "HumanTask", "role": "clerk", "outcomes": ["done"],
              "allocation": { "strategy": "Expression", "assignee": "assignee" },
              "writes": [ { "name": "note", "type": "String" } ],
              "next": [ { "to": "second", "outcome": "done" } ] },
            { "id": "second", "name": "Second task", "kind": "HumanTask", "role": "clerk", "outcomes": ["done"],
              "allocation": { "strategy": "Expression", "assignee": "assignee" },
              "reads": ["note"],
              "writes": [ { "name": "note", "type": "String" } ],
              "next": [ { "to": "end", "outcome": "done" } ] },
            { "id": "end", "name": "Done", "kind": "End", "outcome": "Done" }
          ]
        }
        """;

    private readonly WebApplication _app;
    private readonly string _path;

    private BenchHost(WebApplication app, string path)
    {
        _app = app;
        _path = path;
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        Engine = app.Services.GetRequiredService<ProcessEngine>();
    }

    /// <summary>The server's base address (<c>http://127.0.0.1:PORT</c>).</summary>
    public Uri Address { get; }

    /// <summary>The engine behind the endpoints.</summary>
    public ProcessEngine Engine { get; }

    public static ProcessDefinition Process() => ProcessDefinitionJson.Read(Encoding.UTF8.GetBytes(ProcessJson));

    public static async Task<BenchHost> StartAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"processkit-httpbench-{Guid.NewGuid():N}.db");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(static o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddProcessKit(pk => pk
            .AddProcess(Process())
            .UseSqlite($"Data Source={path}", static o => o.Synchronous = SqliteSynchronousMode.Full));
        builder.Services.AddAuthentication(HeaderSignIn.SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderSignIn>(HeaderSignIn.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapProcessKit(Prefix).RequireAuthorization();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            Delete(path);
            throw;
        }

        return new BenchHost(app, path);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Delete(_path);
    }

    private static void Delete(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        foreach (var file in new[] { path, path + "-wal", path + "-shm" }.Concat(Directory.GetFiles(directory, Path.GetFileName(path) + "-*")))
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Best effort: a file still open elsewhere stays in the temp folder.
            }
        }
    }
}
