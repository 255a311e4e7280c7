using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Persistence;

namespace ProcessKit.Hosting;

/// <summary>
/// Chooses what <see cref="ProcessKitServiceCollectionExtensions.AddProcessKit"/> registers:
/// processes, step handlers, the store and engine settings. Each call adds to the service
/// collection's configuration; everything is checked when the host starts.
/// </summary>
/// <remarks>Not thread-safe: use it inside the <c>AddProcessKit</c> callback only.</remarks>
public sealed class ProcessKitBuilder
{
    internal ProcessKitBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection being configured, for extensions (a store package's <c>UseXxx</c>).</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds a process definition, deployed when the host starts. The same definition added twice counts once.</summary>
    /// <param name="definition">The definition; validated when the host starts.</param>
    /// <returns>This builder.</returns>
    public ProcessKitBuilder AddProcess(ProcessDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Configure(o => o.Processes.Add(new ProcessSource(definition, null)));
    }

    /// <summary>Adds a process from a JSON definition file, read and validated when the host starts.</summary>
    /// <param name="path">The file; a relative path is taken from <see cref="AppContext.BaseDirectory"/>.</param>
    /// <returns>This builder.</returns>
    public ProcessKitBuilder AddProcessFromJson(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path, AppContext.BaseDirectory);
        return Configure(o => o.Processes.Add(new ProcessSource(null, full)));
    }

    /// <summary>Registers a delegate as the handler of the automated steps that name <paramref name="name"/>.</summary>
    /// <param name="name">The handler name the definitions use.</param>
    /// <param name="handler">The delegate; called concurrently for different instances, so it must be thread-safe.</param>
    /// <returns>This builder.</returns>
    public ProcessKitBuilder AddHandler(string name, Func<StepContext, ValueTask> handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(handler);
        return Configure(o => o.Handlers.Add(new HandlerRegistration(name, null, handler)));
    }

    /// <summary>
    /// Registers a handler class, resolved from the container for every step run in a new service
    /// scope (so it may take scoped services such as a database context), then disposed with the scope.
    /// </summary>
    /// <typeparam name="THandler">The handler class; registered as transient unless already registered.</typeparam>
    /// <param name="name">The handler name the definitions use.</param>
    /// <returns>This builder.</returns>
    public ProcessKitBuilder AddHandler<THandler>(string name)
        where THandler : class, IStepHandler
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Services.TryAddTransient<THandler>();
        return Configure(o => o.Handlers.Add(new HandlerRegistration(name, typeof(THandler), null)));
    }

    /// <summary>Keeps state in memory (the default when no store is chosen): lost when the process exits, for tests and demos.</summary>
    /// <returns>This builder.</returns>
    public ProcessKitBuilder UseInMemoryStore() => UseStore(static _ => new InMemoryProcessStore());

    /// <summary>
    /// Chooses the store the engine keeps state in. Durable stores (SQLite, PostgreSQL) come in their
    /// own packages as <c>UseXxx</c> extensions on this builder that call this method. The last call wins.
    /// </summary>
    /// <param name="factory">Builds the store once, from the container.</param>
    /// <returns>This builder.</returns>
    public ProcessKitBuilder UseStore(Func<IServiceProvider, IProcessStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Configure(o => o.StoreFactory = factory);
    }

    /// <summary>Changes engine settings (step budget, message time to live, conflict retries, role members). The clock and store are set by the host.</summary>
    /// <param name="configure">Called once when the engine is built.</param>
    /// <returns>This builder.</returns>
    public ProcessKitBuilder ConfigureEngine(Action<ProcessEngineOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Configure(o => o.EngineSetup.Add(configure));
    }

    /// <summary>
    /// Sets the longest time the worker sleeps before it looks for due work again. Default: no limit
    /// (it sleeps until the next due time and is woken by this engine's commands; on PostgreSQL also
    /// by other nodes' timers and jobs, with the store's backoff polling as the backstop). Set it when
    /// several hosts share a store whose commits do not wake this host (SQLite, a store of your own).
    /// </summary>
    /// <param name="maxWait">Positive.</param>
    /// <returns>This builder.</returns>
    public ProcessKitBuilder WithMaxWait(TimeSpan maxWait)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxWait, TimeSpan.Zero);
        return Configure(o => o.MaxWait = maxWait);
    }

    /// <summary>
    /// Keeps this host from firing timers and running jobs: the worker still prepares the store and deploys the processes
    /// when the host starts, then stops (for a node that only serves requests while another node runs the due work). The
    /// worker health check reports such a worker healthy and says it is disabled. Default: the worker runs.
    /// </summary>
    /// <returns>This builder.</returns>
    public ProcessKitBuilder DisableWorker() => Configure(static o => o.WorkerDisabled = true);

    private ProcessKitBuilder Configure(Action<ProcessKitOptions> change)
    {
        Services.Configure(change);
        return this;
    }
}
