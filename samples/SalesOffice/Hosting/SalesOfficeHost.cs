using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Hosting;
using ProcessKit.Samples.SalesOffice.Crm;

namespace ProcessKit.Samples.SalesOffice.Hosting;

/// <summary>
/// The sample's generic host: ProcessKit with the JSON process, the CRM handlers and the SQLite store
/// in one file, the CRM over the same file, and the clock the commands choose.
/// </summary>
/// <remarks>
/// <see cref="OpenAsync"/> prepares the store, creates the CRM's tables and deploys the process. With
/// <c>runWorker</c> off, ProcessKit's background worker is left out: the scripted day moves a fake clock
/// and fires due work itself, and two runners of due work at once would race for the same timers.
/// </remarks>
internal sealed class SalesOfficeHost : IAsyncDisposable
{
    private readonly IHost _host;

    private SalesOfficeHost(IHost host, ProcessDefinition definition)
    {
        _host = host;
        Definition = definition;
        Engine = host.Services.GetRequiredService<ProcessEngine>();
        Crm = host.Services.GetRequiredService<CrmDatabase>();
        Clock = host.Services.GetRequiredService<TimeProvider>();
    }

    public ProcessDefinition Definition { get; }

    public ProcessEngine Engine { get; }

    public CrmDatabase Crm { get; }

    public TimeProvider Clock { get; }

    public string DatabasePath => Crm.DatabasePath;

    /// <summary>Builds and starts the host on the database file <paramref name="databasePath"/> (created when missing).</summary>
    public static async Task<SalesOfficeHost> OpenAsync(string databasePath, ProcessDefinition definition, TimeProvider clock, SalesStaff staff, bool runWorker, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton(new CrmDatabase(databasePath, staff.Dispatchers));
        builder.Services.AddProcessKit(pk => pk
            .AddProcess(definition)
            .AddHandler<RegisterLeadHandler>(SalesHandlers.RegisterLead)
            .AddHandler<ConvertLeadToDealHandler>(SalesHandlers.ConvertLeadToDeal)
            .AddHandler<CreateDealHandler>(SalesHandlers.CreateDeal)
            .AddHandler<AssignDispatcherHandler>(SalesHandlers.AssignDispatcher)
            .ConfigureEngine(o => o.RoleMembers = staff.Members)
            .UseSqlite(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = databasePath }.ToString()));
        if (!runWorker)
        {
            var worker = builder.Services.Single(static d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Assembly == typeof(ProcessKitBuilder).Assembly);
            builder.Services.Remove(worker);
        }

        var host = builder.Build();
        try
        {
            var opened = new SalesOfficeHost(host, definition);

            // The store first: it marks a new file as a ProcessKit file, and refuses a file that has
            // tables without that mark; then the CRM's tables beside the store's.
            await opened.Engine.InitializeAsync(cancellationToken);
            await opened.Crm.EnsureCreatedAsync(cancellationToken);
            await host.StartAsync(cancellationToken);
            if (!runWorker)
            {
                await opened.Engine.DeployAsync(definition, cancellationToken);
            }

            return opened;
        }
        catch
        {
            await DisposeHostAsync(host);
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await DisposeHostAsync(_host);

    private static async Task DisposeHostAsync(IHost host)
    {
        try
        {
            await host.StopAsync(CancellationToken.None);
        }
        finally
        {
            if (host is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
            else
            {
                host.Dispose();
            }
        }
    }
}
