using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProcessKit.Execution;
using ProcessKit.Persistence;

namespace ProcessKit.Hosting;

/// <summary>Builds the engine singleton from the registrations; processes are deployed by the worker when the host starts.</summary>
internal static class ProcessEngineFactory
{
    public static ProcessEngine Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ProcessKitOptions>>().Value;
        var engineOptions = new ProcessEngineOptions();
        foreach (var setup in options.EngineSetup)
        {
            setup(engineOptions);
        }

        // Set after the user's setup: the container's clock and the chosen store win.
        engineOptions.TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        engineOptions.Store = options.StoreFactory?.Invoke(services) ?? new InMemoryProcessStore();
        engineOptions.LoggerFactory ??= services.GetService<ILoggerFactory>();
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        foreach (var handler in ProcessSources.Handlers(options, null).Values)
        {
            engineOptions.AddHandler(handler.Name, handler.Handler is { } run ? new DelegateStepHandler(run) : new ScopedStepHandler(scopes, handler.HandlerType!));
        }

        return new ProcessEngine(engineOptions);
    }

    private sealed class DelegateStepHandler(Func<StepContext, ValueTask> handler) : IStepHandler
    {
        public ValueTask ExecuteAsync(StepContext context) => handler(context);
    }

    /// <summary>Resolves the handler class in a new scope for every step run.</summary>
    private sealed class ScopedStepHandler(IServiceScopeFactory scopes, Type type) : IStepHandler
    {
        public async ValueTask ExecuteAsync(StepContext context)
        {
            var scope = scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var handler = (IStepHandler)scope.ServiceProvider.GetRequiredService(type);
                await handler.ExecuteAsync(context).ConfigureAwait(false);
            }
        }
    }
}
