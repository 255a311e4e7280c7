using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ProcessKit.Execution;

namespace ProcessKit.Hosting;

/// <summary>Registers ProcessKit in a service collection: <c>services.AddProcessKit(pk => pk.AddProcess(...).AddHandler(...))</c>.</summary>
public static class ProcessKitServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="ProcessEngine"/> singleton, the processes, handlers and store chosen in
    /// <paramref name="configure"/>, a validation of them that runs when the host starts, and one
    /// background worker that deploys the processes on start, then fires timers and runs jobs,
    /// sleeping until the next due time and waking on new work.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Chooses processes, handlers, store and settings. Optional.</param>
    /// <returns>The service collection.</returns>
    /// <remarks>
    /// Calling it more than once is harmless: the engine, worker and validation are registered once
    /// (<c>TryAdd</c>); processes and handlers add up (the same process or the same handler twice counts
    /// once; two different handlers under one name fail the host's start). The engine reads a
    /// <see cref="TimeProvider"/> registered in the container, else <see cref="TimeProvider.System"/>.
    /// Not thread-safe (like every service registration).
    /// </remarks>
    public static IServiceCollection AddProcessKit(this IServiceCollection services, Action<ProcessKitBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ProcessKitOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProcessKitOptions>, ProcessKitOptionsValidator>());
        services.TryAddSingleton(ProcessEngineFactory.Create);
        services.TryAddSingleton<WorkerHeartbeat>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ProcessKitWorker>());
        configure?.Invoke(new ProcessKitBuilder(services));
        return services;
    }
}
