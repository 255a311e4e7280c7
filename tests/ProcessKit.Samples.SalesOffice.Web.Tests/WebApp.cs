using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using ProcessKit.Execution;

namespace ProcessKit.Samples.SalesOffice.Web.Tests;

/// <summary>
/// The web app as its <c>Program.cs</c> builds it, on a SQLite file in a temporary folder of its own, with
/// the console telemetry off; on the framework's test server, or on Kestrel at a free loopback port.
/// </summary>
internal sealed class WebApp : WebApplicationFactory<Program>
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "salesoffice-web-tests", Guid.NewGuid().ToString("N"));

    private readonly bool _consoleTelemetry;

    private WebApp(bool kestrel, bool consoleTelemetry = false)
    {
        _consoleTelemetry = consoleTelemetry;
        Directory.CreateDirectory(_folder);
        DatabasePath = Path.Combine(_folder, "salesoffice-web.db");
        if (kestrel)
        {
            UseKestrel(static o => o.Listen(IPAddress.Loopback, 0));
        }
    }

    public string DatabasePath { get; }

    public ProcessEngine Engine => Services.GetRequiredService<ProcessEngine>();

    /// <summary>The app on the test server (with the console telemetry exporter on when told).</summary>
    public static WebApp OnTestServer(bool consoleTelemetry = false) => new(kestrel: false, consoleTelemetry);

    /// <summary>The app on Kestrel, started, at <see cref="Address"/>.</summary>
    public static WebApp OnKestrel()
    {
        var app = new WebApp(kestrel: true);
        app.StartServer();
        return app;
    }

    /// <summary>Where Kestrel listens (after <see cref="OnKestrel"/>).</summary>
    public Uri Address => new(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

    /// <summary>A client that keeps its cookies and does not follow redirects.</summary>
    public HttpClient NewClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A client signed in with the demo sign-in as <paramref name="person"/>.</summary>
    public async Task<HttpClient> SignedInAsync(string person)
    {
        var client = NewClient();
        var response = await PostFormAsync(client, "/signin", "/signin", new() { ["person"] = person, ["returnUrl"] = "/" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>Reads <paramref name="formPage"/> for its antiforgery token and posts the form to <paramref name="action"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string formPage, string action, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(formPage, TestContext.Current.CancellationToken);
        fields["__RequestVerificationToken"] = Hidden(page, "__RequestVerificationToken");
        if (!fields.ContainsKey("formId") && page.Contains("name=\"formId\"", StringComparison.Ordinal))
        {
            fields["formId"] = Hidden(page, "formId");
        }

        return await client.PostAsync(action, new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
    }

    public static string Hidden(string page, string name)
    {
        var match = Regex.Match(page, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"");
        Assert.True(match.Success, $"The page has no hidden field '{name}'.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("SalesOffice:Database", DatabasePath);
        builder.UseSetting("SalesOffice:ConsoleTelemetry", _consoleTelemetry ? "true" : "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left to the system's temporary folder.
        }
    }
}
