using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Data.Sqlite;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ProcessKit.AspNetCore;
using ProcessKit.Diagnostics;
using ProcessKit.Hosting;
using ProcessKit.Samples.SalesOffice.Crm;
using ProcessKit.Samples.SalesOffice.Web;
using ProcessKit.Samples.SalesOffice.Web.Pages;

// The sales office's web app: a small CRM (companies, contacts, leads, deals) and a "new contact" form,
// with a demo sign-in. It embeds ProcessKit in the two blocks marked "ProcessKit" below; the rest is the
// app's own.
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, WebSettings.SwitchMappings);
var settings = WebSettings.Read(builder.Configuration, builder.Environment.ContentRootPath);
var staff = SalesStaff.Default;

builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(staff);
builder.Services.AddSingleton(new CrmDatabase(settings.DatabasePath, staff.Dispatchers));
builder.Services.AddHostedService<CrmTables>();
builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(o =>
    {
        o.LoginPath = "/signin";
        o.AccessDeniedPath = "/signin";
        o.Cookie.Name = "salesoffice";
    });
builder.Services.AddAuthorization();
builder.Services.AddAntiforgery();
builder.Services.AddProblemDetails();

// ---- ProcessKit (1 of 2): the engine with the console sample's JSON process, its CRM handlers and the
// SQLite store, in the same file as the CRM's tables; the round robin picks managers from the staff. ----
builder.Services.AddProcessKit(pk => pk
    .AddProcessFromJson(Path.Combine(AppContext.BaseDirectory, "definitions", "sales-office.json"))
    .AddHandler<RegisterLeadHandler>(SalesHandlers.RegisterLead)
    .AddHandler<ConvertLeadToDealHandler>(SalesHandlers.ConvertLeadToDeal)
    .AddHandler<CreateDealHandler>(SalesHandlers.CreateDeal)
    .AddHandler<AssignDispatcherHandler>(SalesHandlers.AssignDispatcher)
    .ConfigureEngine(o => o.RoleMembers = staff.Members)
    .UseSqlite(new SqliteConnectionStringBuilder { DataSource = settings.DatabasePath }.ToString()));
builder.Services.AddHealthChecks().AddProcessKit();

// OpenTelemetry: ProcessKit's spans and metrics (ProcessKitDiagnostics.SourceName and MeterName, both "ProcessKit")
// and ASP.NET Core's, to the console unless SalesOffice:ConsoleTelemetry is false (the tests turn it off).
builder.Services.AddOpenTelemetry()
    .WithTracing(tracing =>
    {
        tracing.AddSource(ProcessKitDiagnostics.SourceName).AddAspNetCoreInstrumentation();
        if (settings.ConsoleTelemetry)
        {
            tracing.AddConsoleExporter();
        }
    })
    .WithMetrics(metrics =>
    {
        metrics.AddMeter(ProcessKitDiagnostics.MeterName).AddAspNetCoreInstrumentation();
        if (settings.ConsoleTelemetry)
        {
            metrics.AddConsoleExporter();
        }
    });

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

// ---- ProcessKit (2 of 2): the HTTP endpoints (they answer 401 and 403 themselves, so no cookie
// redirect there) and the task inbox page, which sends a visitor who is not signed in to /signin. ----
app.MapProcessKit("/processkit");
app.MapProcessKitInbox().RequireAuthorization();
app.MapHealthChecks("/health");

app.MapCrmPages();
app.MapDemoSignIn();
await app.RunAsync();
