using ProcessKit.Definitions;
using ProcessKit.Execution;

namespace ProcessKit.Testing;

/// <summary>
/// The settings of a <see cref="ProcessTestHarness"/>: the definitions to deploy, the handlers of
/// their automated steps (or stubs), the fake clock's start time and any other engine setting.
/// </summary>
/// <remarks>Not thread-safe: configure on one thread, then build the harness (which copies what it needs).</remarks>
public sealed class ProcessTestHarnessOptions
{
    private readonly Dictionary<string, IStepHandler> _handlers = new(StringComparer.Ordinal);

    /// <summary>The default start time of the fake clock: Monday 5 January 2026, 09:00 UTC.</summary>
    public static DateTimeOffset DefaultStartTime { get; } = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The definitions deployed when the harness is built, in order. Empty by default.</summary>
    public IList<ProcessDefinition> Definitions { get; } = [];

    /// <summary>Where the fake clock starts. Default <see cref="DefaultStartTime"/>.</summary>
    public DateTimeOffset StartTime { get; set; } = DefaultStartTime;

    /// <summary>
    /// Whether an automated step whose handler is not registered runs as a no-op that returns no
    /// data. Default <see langword="false"/>: deploying such a definition fails with
    /// <see cref="ProcessErrorCodes.HandlerNotRegistered"/>, as it would in production.
    /// </summary>
    public bool StubMissingHandlers { get; set; }

    /// <summary>
    /// Whether the harness runs what is due at the current fake time after each action (start,
    /// task action, message, cancel): work a host's background worker would pick up at once, such
    /// as asynchronous steps queued as jobs and timers that are already due. Default
    /// <see langword="true"/>; turn off to run them explicitly with
    /// <see cref="ProcessTestHarness.AdvanceAsync(TimeSpan, CancellationToken)"/> and
    /// <see cref="TimeSpan.Zero"/>.
    /// </summary>
    public bool RunDueWorkAfterActions { get; set; } = true;

    /// <summary>
    /// Changes any other engine setting (step budget, message time to live, role members, a store
    /// other than the in-memory one). Optional. The harness sets the engine's
    /// <see cref="ProcessEngineOptions.TimeProvider"/> to its fake clock after this runs.
    /// </summary>
    public Action<ProcessEngineOptions>? ConfigureEngine { get; set; }

    internal IReadOnlyDictionary<string, IStepHandler> Handlers => _handlers;

    /// <summary>Registers the handler of automated steps that name <paramref name="name"/>.</summary>
    /// <param name="name">The handler name the definitions use.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException">A handler is already registered under the name.</exception>
    public ProcessTestHarnessOptions AddHandler(string name, IStepHandler handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(handler);
        if (!_handlers.TryAdd(name, handler))
        {
            throw new ArgumentException($"A handler named '{name}' is already registered.", nameof(name));
        }

        return this;
    }

    /// <summary>Registers a synchronous delegate as the handler named <paramref name="name"/>.</summary>
    /// <param name="name">The handler name the definitions use.</param>
    /// <param name="handler">The delegate: reads with <see cref="StepContext.Get(string)"/>, writes with <see cref="StepContext.Set(string, object?)"/>.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException">A handler is already registered under the name.</exception>
    public ProcessTestHarnessOptions AddHandler(string name, Action<StepContext> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddHandler(name, new SyncHandler(handler));
    }

    /// <summary>Registers an asynchronous delegate as the handler named <paramref name="name"/>.</summary>
    /// <param name="name">The handler name the definitions use.</param>
    /// <param name="handler">The delegate.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException">A handler is already registered under the name.</exception>
    public ProcessTestHarnessOptions AddHandler(string name, Func<StepContext, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddHandler(name, new AsyncHandler(handler));
    }

    /// <summary>Whether a handler is registered under <paramref name="name"/> with these options.</summary>
    /// <param name="name">A handler name.</param>
    /// <returns><see langword="true"/> when registered.</returns>
    public bool HasHandler(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _handlers.ContainsKey(name);
    }

    private sealed class SyncHandler(Action<StepContext> handler) : IStepHandler
    {
        public ValueTask ExecuteAsync(StepContext context)
        {
            handler(context);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class AsyncHandler(Func<StepContext, ValueTask> handler) : IStepHandler
    {
        public ValueTask ExecuteAsync(StepContext context) => handler(context);
    }
}
