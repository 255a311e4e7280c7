using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ProcessKit.Hosting;

/// <summary>Whether the background worker's loop is alive and has finished a pass recently, from its heartbeat.</summary>
internal sealed class WorkerHealthCheck(TimeProvider time, WorkerHeartbeat heartbeat, TimeSpan degradedAfter, TimeSpan unhealthyAfter) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = heartbeat.Read();
        var now = time.GetUtcNow();
        var data = new Dictionary<string, object> { ["state"] = StateName(status.Phase) };
        if (status.Phase != WorkerPhase.NotStarted)
        {
            data["since"] = status.Since;
        }

        if (status.LastPassAt is { } last)
        {
            data["last_pass_at"] = last;
        }

        if (status.LastError is { } error)
        {
            data["last_error"] = error;
        }

        var result = status.Phase switch
        {
            WorkerPhase.Disabled => HealthCheckResult.Healthy("The ProcessKit worker is disabled on this host on purpose: another host runs timers and jobs.", data),
            WorkerPhase.NotStarted => new HealthCheckResult(context.Registration.FailureStatus, "The ProcessKit worker has not started.", null, data),
            WorkerPhase.Stopped => new HealthCheckResult(context.Registration.FailureStatus, "The ProcessKit worker has stopped: no timers or jobs run.", null, data),
            WorkerPhase.Waiting => HealthCheckResult.Healthy("The ProcessKit worker is waiting for due work.", data),
            _ => Overdue(status, now, data),
        };
        return Task.FromResult(result);
    }

    private HealthCheckResult Overdue(WorkerStatus status, DateTimeOffset now, Dictionary<string, object> data)
    {
        var quiet = now - (status.LastPassAt ?? status.StartedAt);
        var failing = status.LastError is { } error ? $" The last pass failed: {error}" : string.Empty;
        if (quiet >= unhealthyAfter)
        {
            return HealthCheckResult.Unhealthy($"The ProcessKit worker has not finished a pass for {quiet}.{failing}", null, data);
        }

        if (quiet >= degradedAfter)
        {
            return HealthCheckResult.Degraded($"The ProcessKit worker has not finished a pass for {quiet}.{failing}", null, data);
        }

        return HealthCheckResult.Healthy($"The ProcessKit worker is running.{failing}", data);
    }

    private static string StateName(WorkerPhase phase) => phase switch
    {
        WorkerPhase.NotStarted => "not-started",
        WorkerPhase.Running => "running",
        WorkerPhase.Waiting => "waiting",
        WorkerPhase.BackingOff => "backing-off",
        WorkerPhase.Stopped => "stopped",
        _ => "disabled",
    };
}
