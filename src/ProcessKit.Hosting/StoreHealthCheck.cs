using Microsoft.Extensions.Diagnostics.HealthChecks;
using ProcessKit.Execution;

namespace ProcessKit.Hosting;

/// <summary>One cheap read of the engine's store: unhealthy with the store's message when it fails.</summary>
internal sealed class StoreHealthCheck(ProcessEngine engine) : IHealthCheck
{
    /// <summary>No instance has this id: the read finds nothing, through the store's index.</summary>
    private static readonly InstanceId Nobody = new(0);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["store"] = engine.Store.GetType().Name };
        try
        {
            await engine.GetIncidentsAsync(Nobody, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The ProcessKit store answered.", data);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (e is ProcessKitException known)
            {
                data["error_code"] = known.ErrorCode;
            }

            return new HealthCheckResult(context.Registration.FailureStatus, e.Message, e, data);
        }
    }
}
