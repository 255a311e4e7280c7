using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ProcessKit.Execution;

namespace ProcessKit.Hosting;

/// <summary>Adds ProcessKit's health checks: <c>services.AddHealthChecks().AddProcessKit()</c>.</summary>
public static class ProcessKitHealthChecksBuilderExtensions
{
    /// <summary>The name of the store check: <c>processkit.store</c>.</summary>
    public const string StoreCheckName = "processkit.store";

    /// <summary>The name of the worker check: <c>processkit.worker</c>.</summary>
    public const string WorkerCheckName = "processkit.worker";

    /// <summary>
    /// Adds two checks. <see cref="StoreCheckName"/> makes one cheap read of the engine's store (the open incidents of an
    /// instance that does not exist) and is <c>Unhealthy</c> with the store's error message when it fails.
    /// <see cref="WorkerCheckName"/> reads the background worker's heartbeat: <c>Healthy</c> while it sleeps waiting for
    /// work or finished a pass recently, <c>Degraded</c> after <see cref="ProcessKitHealthCheckOptions.WorkerDegradedAfter"/>
    /// without a finished pass, <c>Unhealthy</c> after <see cref="ProcessKitHealthCheckOptions.WorkerUnhealthyAfter"/> or
    /// when its loop is not running; <c>Healthy</c>, saying so in its data, when the host disabled it on purpose
    /// (<see cref="ProcessKitBuilder.DisableWorker"/>). Times are read from the engine's clock.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="configure">Changes the thresholds and tags. Optional.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">A threshold is out of range.</exception>
    /// <remarks>Needs <c>services.AddProcessKit(...)</c>. Not thread-safe (like every service registration); the checks are.</remarks>
    public static IHealthChecksBuilder AddProcessKit(this IHealthChecksBuilder builder, Action<ProcessKitHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new ProcessKitHealthCheckOptions();
        configure?.Invoke(options);
        options.Validate();
        var degraded = options.WorkerDegradedAfter;
        var unhealthy = options.WorkerUnhealthyAfter;
        var tags = options.Tags.ToArray();
        builder.Services.TryAddSingleton<WorkerHeartbeat>();
        builder.Add(new HealthCheckRegistration(StoreCheckName, static services => new StoreHealthCheck(services.GetRequiredService<ProcessEngine>()), HealthStatus.Unhealthy, tags));
        builder.Add(new HealthCheckRegistration(
            WorkerCheckName,
            services => new WorkerHealthCheck(services.GetRequiredService<ProcessEngine>().TimeProvider, services.GetRequiredService<WorkerHeartbeat>(), degraded, unhealthy),
            HealthStatus.Unhealthy,
            tags));
        return builder;
    }
}
