using Microsoft.Extensions.Logging;
using ProcessKit.Persistence;

namespace ProcessKit.Execution;

/// <summary>
/// The settings of a <see cref="ProcessEngine"/>: clock, store, handlers, limits. Checked when the
/// engine is built; a bad setting fails there with a clear message.
/// </summary>
/// <remarks>Not thread-safe: configure on one thread, then build the engine (which copies what it needs).</remarks>
public sealed class ProcessEngineOptions
{
    private readonly Dictionary<string, IStepHandler> _handlers = new(StringComparer.Ordinal);

    /// <summary>The clock every due time and history event reads. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where state is kept. Default: a new <see cref="InMemoryProcessStore"/>.</summary>
    public IProcessStore? Store { get; set; }

    /// <summary>How many steps one command may run before the instance is stopped with an incident (an automated loop that never waits). Default 10,000; at least 1.</summary>
    public int StepBudget { get; set; } = 10_000;

    /// <summary>How long a message nobody waits for is kept, and how long a message id is remembered for de-duplication. Default one day; positive.</summary>
    public TimeSpan MessageTimeToLive { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long a start's request id (<see cref="StartRequest.RequestId"/>) is kept: a repeat within that time answers the
    /// instance the first start made; after it the id is purged (by <see cref="ProcessEngine.RunDueAsync"/>, a bounded
    /// batch at most once a minute of engine time) and a repeat starts a new instance. Default 7 days; positive.
    /// </summary>
    public TimeSpan StartRequestRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How many times a command is retried after a version conflict before <see cref="ProcessConflictException"/>. Default 5; not negative.</summary>
    public int MaxConflictRetries { get; set; } = 5;

    /// <summary>
    /// The users of a role, for the round-robin and shortest-queue allocations. Optional: without it
    /// those tasks are offered to the whole role. Called during commands; must be thread-safe and fast.
    /// </summary>
    public Func<string, IReadOnlyList<string>>? RoleMembers { get; set; }

    /// <summary>
    /// Where the engine logs (definitions deployed, job retries, incidents, late timers, commit conflicts; the event ids
    /// are listed in docs/telemetry.md), under the category <c>ProcessKit.Execution.ProcessEngine</c>. Optional: default
    /// none (nothing is logged). The hosting package sets it from the container.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal IReadOnlyDictionary<string, IStepHandler> Handlers => _handlers;

    /// <summary>Registers the handler of automated steps that name <paramref name="name"/>.</summary>
    /// <param name="name">The handler name the definitions use.</param>
    /// <param name="handler">The handler; one instance serves every step run (thread-safe).</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException">A handler is already registered under the name.</exception>
    public ProcessEngineOptions AddHandler(string name, IStepHandler handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(handler);
        if (!_handlers.TryAdd(name, handler))
        {
            throw new ArgumentException($"A handler named '{name}' is already registered.", nameof(name));
        }

        return this;
    }

    /// <summary>Registers an asynchronous delegate as the handler named <paramref name="name"/>.</summary>
    /// <param name="name">The handler name the definitions use.</param>
    /// <param name="handler">The delegate; thread-safe.</param>
    /// <returns>These options.</returns>
    public ProcessEngineOptions AddHandler(string name, Func<StepContext, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddHandler(name, new DelegateHandler(handler));
    }

    /// <summary>Registers a synchronous delegate as the handler named <paramref name="name"/>.</summary>
    /// <param name="name">The handler name the definitions use.</param>
    /// <param name="handler">The delegate; thread-safe.</param>
    /// <returns>These options.</returns>
    public ProcessEngineOptions AddHandler(string name, Action<StepContext> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddHandler(name, new ActionHandler(handler));
    }

    internal void Validate()
    {
        var problems = new List<string>();
        if (TimeProvider is null)
        {
            problems.Add("TimeProvider must be set.");
        }

        if (StepBudget < 1)
        {
            problems.Add($"StepBudget must be at least 1, not {StepBudget}.");
        }

        if (MessageTimeToLive <= TimeSpan.Zero)
        {
            problems.Add($"MessageTimeToLive must be positive, not {MessageTimeToLive}.");
        }

        if (StartRequestRetention <= TimeSpan.Zero)
        {
            problems.Add($"StartRequestRetention must be positive, not {StartRequestRetention}.");
        }

        if (MaxConflictRetries < 0)
        {
            problems.Add($"MaxConflictRetries must not be negative, not {MaxConflictRetries}.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("The process engine options are not valid: " + string.Join(" ", problems), "options");
        }
    }

    private sealed class DelegateHandler(Func<StepContext, ValueTask> handler) : IStepHandler
    {
        public ValueTask ExecuteAsync(StepContext context) => handler(context);
    }

    private sealed class ActionHandler(Action<StepContext> handler) : IStepHandler
    {
        public ValueTask ExecuteAsync(StepContext context)
        {
            handler(context);
            return ValueTask.CompletedTask;
        }
    }
}
