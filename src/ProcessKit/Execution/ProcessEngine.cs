using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProcessKit.Definitions;
using ProcessKit.Diagnostics;
using ProcessKit.History;
using ProcessKit.Persistence;
using ProcessKit.Scheduling;

namespace ProcessKit.Execution;

/// <summary>
/// Runs instances of deployed process definitions: starts them, moves them through every step that
/// needs nobody, and resumes them when a person completes a task, a message arrives or a timer is
/// due. Every command runs to the next wait and commits once.
/// </summary>
/// <remarks>
/// Thread-safe: commands may come from any thread. Commands for one instance are serialized inside
/// the engine; across engines sharing a store, a version conflict makes the engine reload and retry.
/// Time comes only from <see cref="ProcessEngineOptions.TimeProvider"/>: one reading per command.
/// The engine never polls: a host calls <see cref="RunDueAsync(CancellationToken)"/> at
/// <see cref="NextDueTime"/>, or awaits <see cref="WaitForWorkAsync(TimeSpan?, CancellationToken)"/>, which also wakes when a command schedules earlier work.
/// </remarks>
public sealed partial class ProcessEngine : IModelSource
{
    private readonly Lock _deployGate = new();
    private readonly InstanceLocks _locks = new();
    private readonly Lock _allocationGate = new();
    private readonly Dictionary<ModelNode, int> _roundRobin = new(ReferenceEqualityComparer.Instance);
    private readonly List<TimerRecord> _kept = [];
    private Models _models = new([], [], []);

    /// <summary>Builds an engine.</summary>
    /// <param name="options">The settings; checked here.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public ProcessEngine(ProcessEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        TimeProvider = options.TimeProvider;
        Store = options.Store ?? new InMemoryProcessStore();
        Logger = options.LoggerFactory?.CreateLogger<ProcessEngine>() ?? NullLogger<ProcessEngine>.Instance;
        EngineTelemetry.Register(this);
    }

    /// <summary>The clock the engine reads.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The store the engine keeps state in.</summary>
    public IProcessStore Store { get; }

    /// <summary>
    /// When the earliest timer falls due (a timer step, a message timeout, a deadline or an
    /// escalation), or <see langword="null"/> when none is scheduled. A host sleeps until then and
    /// calls <see cref="RunDueAsync(CancellationToken)"/>. The time may belong to a wait that has
    /// since moved on; firing it then does nothing.
    /// </summary>
    public DateTimeOffset? NextDueTime => Store.NextDueTicks() is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    internal ProcessEngineOptions Options { get; }

    internal ILogger Logger { get; }

    /// <summary>
    /// Prepares the engine's store: opens it and creates or migrates its schema (nothing to do for the
    /// in-memory store). Idempotent. The hosting package calls it when the host starts; call it yourself
    /// before the first command when you build an engine over a store you did not open.
    /// </summary>
    /// <param name="cancellationToken">Cancels the preparation.</param>
    /// <returns>A task that completes when the store is ready.</returns>
    /// <exception cref="ProcessStoreException">The store cannot be opened, or its schema is newer than this version of ProcessKit knows.</exception>
    public ValueTask InitializeAsync(CancellationToken cancellationToken = default) => Store.InitializeAsync(cancellationToken);

    /// <summary>
    /// Validates, compiles and deploys a definition. New instances of its process take the newest
    /// deployed version; running instances keep theirs.
    /// </summary>
    /// <param name="definition">The definition.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version deployed.</returns>
    /// <exception cref="DefinitionException">The definition is not valid.</exception>
    /// <exception cref="InvalidCommandException">A handler it names is not registered (<see cref="ProcessErrorCodes.HandlerNotRegistered"/>), or the same version is deployed with other content (<see cref="ProcessErrorCodes.VersionExists"/>).</exception>
    public async ValueTask<int> DeployAsync(ProcessDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        cancellationToken.ThrowIfCancellationRequested();
        var model = ModelCompiler.Compile(definition, Options.Handlers);
        await Store.SaveDefinitionAsync(definition, cancellationToken).ConfigureAwait(false);
        AddModel(model);
        EngineLog.DefinitionDeployed(Logger, definition.Id, definition.Version);
        return definition.Version;
    }

    /// <summary>Reads an instance: state, data, the steps where it waits.</summary>
    /// <param name="instance">The instance id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A snapshot.</returns>
    /// <exception cref="ProcessNotFoundException">No such instance.</exception>
    public async ValueTask<InstanceSnapshot> GetInstanceAsync(InstanceId instance, CancellationToken cancellationToken = default)
    {
        var record = await Store.FindInstanceAsync(instance, this, false, cancellationToken).ConfigureAwait(false) ?? throw InstanceNotFound(instance);
        var model = record.Model;
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < record.Slots.Length; i++)
        {
            if (record.Slots[i] is { } value)
            {
                data[model.FieldNames[i]] = value;
            }
        }

        var active = new string[record.TokenCount];
        for (var i = 0; i < active.Length; i++)
        {
            active[i] = model.Nodes[record.Tokens[i].Node].Id;
        }

        return new InstanceSnapshot(
            record.Id,
            model.Id,
            model.Version,
            record.Version,
            record.State,
            record.BusinessKey,
            record.EndOutcome,
            new DateTimeOffset(record.StartedTicks, TimeSpan.Zero),
            record.IsEnded ? new DateTimeOffset(record.EndedTicks, TimeSpan.Zero) : null,
            data,
            active);
    }

    /// <summary>Reads the history of an instance, in order.</summary>
    /// <param name="instance">The instance id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One event per lifecycle change.</returns>
    /// <exception cref="ProcessNotFoundException">No such instance.</exception>
    public async ValueTask<IReadOnlyList<HistoryEvent>> GetHistoryAsync(InstanceId instance, CancellationToken cancellationToken = default)
    {
        var record = await Store.FindInstanceAsync(instance, this, true, cancellationToken).ConfigureAwait(false) ?? throw InstanceNotFound(instance);
        var model = record.Model;
        var events = new HistoryEvent[record.HistoryCount];
        for (var i = 0; i < events.Length; i++)
        {
            ref readonly var r = ref record.History[i];
            var note = record.NoteOf(r);
            events[i] = new HistoryEvent
            {
                Sequence = i + 1,
                Instance = record.Id,
                ProcessId = model.Id,
                ProcessVersion = model.Version,
                Type = r.Type,
                Time = new DateTimeOffset(r.UtcTicks, TimeSpan.Zero),
                StepId = r.Node >= 0 ? model.Nodes[r.Node].Id : null,
                StepInstance = r.StepInstance,
                UserId = note.User,
                RoleId = r.Role >= 0 ? model.RoleIds[r.Role] : null,
                Cost = r.Type == HistoryEventType.StepCompleted ? note.Amount / HistoryNote.AmountScale : 0m,
                Value = note.HasValue ? note.Amount / HistoryNote.AmountScale : null,
                Path = r.Path,
                Detail = note.Detail,
            };
        }

        return events;
    }

    /// <summary>Fires every timer that is due now: timer steps, message timeouts, deadlines and escalations.</summary>
    /// <param name="cancellationToken">Cancels the run between timers; timers not run yet stay scheduled.</param>
    /// <returns>How many timers changed an instance (stale ones are dropped silently).</returns>
    /// <remarks>
    /// After the timers, at most once a minute of engine time, it also deletes a bounded batch of start request ids older
    /// than <see cref="ProcessEngineOptions.StartRequestRetention"/>.
    /// When a command fails (for example a version conflict on every retry, a commit the store refused on every retry,
    /// or the store failing), its timer and the ones after it stay scheduled and the error is thrown; when the store cannot even take them back, the engine
    /// keeps them and the next call fires them first. A timer whose commit was stored is not run again.
    /// </remarks>
    public async ValueTask<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        using var activity = EngineTelemetry.StartCommand("processkit.run_due", "run_due");
        var due = TakeKept();
        var now = TimeProvider.GetUtcNow().UtcTicks;
        try
        {
            await Store.TakeDueAsync(now, due, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (EngineTelemetry.Fail(activity, e))
        {
            throw;
        }
        catch
        {
            Keep(due);
            throw;
        }

        var fired = 0;
        for (var i = 0; i < due.Count; i++)
        {
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                ReportLateness(due[i], now);
                if (await FireAsync(due[i], cancellationToken).ConfigureAwait(false))
                {
                    fired++;
                }
                else
                {
                    // Not fired, and never to be: the timer is obsolete (its instance ended, its wait moved on, or it is an
                    // earlier attempt of a job) or no longer this engine's (its lease was taken over, or another owner fired
                    // it). A refusal that leaves the timer this engine's is retried and then thrown (ExecuteAsync), so it
                    // is put back below rather than dropped. Dropping is fenced by the lease: a lost one deletes nothing.
                    await Store.DropTimerAsync(due[i], cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (EngineTelemetry.Fail(activity, e))
            {
                throw;
            }
            catch
            {
                // The failed command stored nothing (a stored one took its timer with it): put its timer and the
                // ones not run yet back for the next call, or keep them here when the store cannot take them back.
                var left = due.GetRange(i, due.Count - i);
                try
                {
                    await Store.RescheduleAsync(left, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Keep(left);
                }

                throw;
            }
        }

        await PurgeStartRequestsIfDueAsync(cancellationToken).ConfigureAwait(false);
        return fired;
    }

    /// <summary>Timers taken from the store that a failed run could not put back: the next run fires them first.</summary>
    private List<TimerRecord> TakeKept()
    {
        lock (_kept)
        {
            var kept = new List<TimerRecord>(_kept);
            _kept.Clear();
            return kept;
        }
    }

    private void Keep(List<TimerRecord> timers)
    {
        lock (_kept)
        {
            _kept.AddRange(timers);
        }
    }

    /// <inheritdoc />
    ProcessModel? IModelSource.FindModel(string processId, int? version) => FindModel(processId, version);

    internal ProcessModel? FindModel(string processId, int? version)
    {
        var models = _models;
        if (version is null ? models.Newest.TryGetValue(processId, out var newest) : models.All.TryGetValue((processId, version.Value), out newest))
        {
            return newest;
        }

        if (Store.FindDefinition(processId, version) is not { } definition)
        {
            return null;
        }

        var model = ModelCompiler.Compile(definition, Options.Handlers);
        AddModel(model);
        return model;
    }

    internal IReadOnlyList<ProcessModel> ModelsStartedBy(string message)
    {
        var known = _models.Triggers.TryGetValue(message, out var list) ? list : [];
        return known;
    }

    /// <summary>Picks a user for round-robin and shortest-queue allocation, skipping those separation of duties bars.</summary>
    internal string? Allocate(ModelNode node, string role, string?[]? performers)
    {
        if (Options.RoleMembers?.Invoke(role) is not { Count: > 0 } members)
        {
            return null;
        }

        var allowed = new List<string>(members.Count);
        foreach (var member in members)
        {
            var barred = false;
            foreach (var other in node.SeparateFrom)
            {
                barred |= performers?[other] is { } p && string.Equals(p, member, StringComparison.Ordinal);
            }

            if (!barred)
            {
                allowed.Add(member);
            }
        }

        if (allowed.Count == 0)
        {
            return null;
        }

        if (node.Strategy == AllocationStrategy.ShortestQueue)
        {
            string? best = null;
            var fewest = int.MaxValue;
            foreach (var member in allowed)
            {
                var open = Store.CountOpenTasks(member);
                if (open < fewest)
                {
                    fewest = open;
                    best = member;
                }
            }

            return best;
        }

        lock (_allocationGate)
        {
            var next = _roundRobin.GetValueOrDefault(node);
            _roundRobin[node] = next + 1;
            return allowed[next % allowed.Count];
        }
    }

    private void AddModel(ProcessModel model)
    {
        lock (_deployGate)
        {
            var current = _models;
            var all = new Dictionary<(string, int), ProcessModel>(current.All) { [(model.Id, model.Version)] = model };
            var newest = new Dictionary<string, ProcessModel>(current.Newest, StringComparer.Ordinal);
            if (!newest.TryGetValue(model.Id, out var existing) || existing.Version <= model.Version)
            {
                newest[model.Id] = model;
            }

            var triggers = new Dictionary<string, ProcessModel[]>(StringComparer.Ordinal);
            foreach (var m in newest.Values)
            {
                foreach (var message in m.MessageTriggers)
                {
                    triggers[message] = triggers.TryGetValue(message, out var list) ? [.. list, m] : [m];
                }
            }

            _models = new Models(all, newest, triggers);
        }
    }

    private static ProcessNotFoundException InstanceNotFound(InstanceId instance) =>
        new(ProcessErrorCodes.InstanceNotFound, $"No instance has the id {instance}.");

    private sealed record Models(
        Dictionary<(string, int), ProcessModel> All,
        Dictionary<string, ProcessModel> Newest,
        Dictionary<string, ProcessModel[]> Triggers);
}
