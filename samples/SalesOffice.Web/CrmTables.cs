using ProcessKit.Execution;
using ProcessKit.Samples.SalesOffice.Crm;

namespace ProcessKit.Samples.SalesOffice.Web;

/// <summary>
/// Creates the CRM's tables when the app starts, after the process store has marked the file as its own
/// (the store refuses a file with tables it did not make). Registered before ProcessKit's worker, which
/// prepares the store again (a no-op) and deploys the process.
/// </summary>
internal sealed class CrmTables(ProcessEngine engine, CrmDatabase crm) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await engine.InitializeAsync(cancellationToken);
        await crm.EnsureCreatedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
