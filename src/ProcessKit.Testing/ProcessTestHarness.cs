using Microsoft.Extensions.Time.Testing;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Messaging;

namespace ProcessKit.Testing;

/// <summary>
/// A <see cref="ProcessEngine"/> for tests: fake time that only moves when the test advances it,
/// the definitions under test deployed, their handlers registered (or stubbed), and helpers to act
/// as users in roles and to assert where an instance stands.
/// </summary>
/// <remarks>
/// Build one with <see cref="CreateAsync(ProcessTestHarnessOptions, CancellationToken)"/>. Not
/// thread-safe: drive it from one test at a time (the engine underneath is thread-safe).
/// </remarks>
/// <example>
/// <code>
/// var harness = await ProcessTestHarness.CreateAsync(definition, ct);
/// var order = await harness.StartAsync("cafe.serve-guest", new Dictionary&lt;string, object?&gt; { ["partySize"] = 2 }, cancellationToken: ct);
/// await order.CompleteAsync("greetGuest", ProcessTestHarness.User("hana", "host"), data: new Dictionary&lt;string, object?&gt; { ["table"] = 7 }, cancellationToken: ct);
/// await order.AssertOpenTasksAsync(["takeOrder"], ct);
/// </code>
/// </example>
public sealed class ProcessTestHarness
{
    private const int MaxTimerRounds = 100_000;
    private readonly Dictionary<(string, int), ProcessDefinition> _definitions = [];
    private long _highestInstance;

    private readonly bool _runDueWork;

    private ProcessTestHarness(ProcessEngine engine, FakeTimeProvider clock, IReadOnlyList<string> stubbedHandlers, bool runDueWork)
    {
        _runDueWork = runDueWork;
        Engine = engine;
        Clock = clock;
        StubbedHandlers = stubbedHandlers;
    }

    /// <summary>The engine under test; use it directly for anything the harness does not wrap.</summary>
    public ProcessEngine Engine { get; }

    /// <summary>The fake clock the engine reads. Move it with <see cref="AdvanceAsync(TimeSpan, CancellationToken)"/> so that due timers fire.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>The current fake time.</summary>
    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>The handler names that run as no-ops (see <see cref="ProcessTestHarnessOptions.StubMissingHandlers"/>), sorted. Empty when none.</summary>
    public IReadOnlyList<string> StubbedHandlers { get; }

    /// <summary>Builds a harness and deploys <see cref="ProcessTestHarnessOptions.Definitions"/>.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="cancellationToken">Cancels the deployments.</param>
    /// <returns>The harness.</returns>
    /// <exception cref="DefinitionException">A definition is not valid.</exception>
    /// <exception cref="InvalidCommandException">A definition names a handler that is not registered and <see cref="ProcessTestHarnessOptions.StubMissingHandlers"/> is off (<see cref="ProcessErrorCodes.HandlerNotRegistered"/>).</exception>
    public static async ValueTask<ProcessTestHarness> CreateAsync(ProcessTestHarnessOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = new FakeTimeProvider(options.StartTime);
        var engineOptions = new ProcessEngineOptions();
        foreach (var (name, handler) in options.Handlers)
        {
            engineOptions.AddHandler(name, handler);
        }

        options.ConfigureEngine?.Invoke(engineOptions);
        engineOptions.TimeProvider = clock;
        var stubbed = new List<string>();
        if (options.StubMissingHandlers)
        {
            foreach (var name in MissingHandlers(options.Definitions, options.HasHandler))
            {
                if (TryAddStub(engineOptions, name))
                {
                    stubbed.Add(name);
                }
            }
        }

        var harness = new ProcessTestHarness(new ProcessEngine(engineOptions), clock, stubbed, options.RunDueWorkAfterActions);
        foreach (var definition in options.Definitions)
        {
            await harness.DeployAsync(definition, cancellationToken).ConfigureAwait(false);
        }

        return harness;
    }

    /// <summary>Builds a harness with one definition deployed; its handlers must be registered (so none here): use the options overload otherwise.</summary>
    /// <param name="definition">The definition under test.</param>
    /// <param name="cancellationToken">Cancels the deployment.</param>
    /// <returns>The harness.</returns>
    /// <exception cref="DefinitionException">The definition is not valid.</exception>
    /// <exception cref="InvalidCommandException">The definition names a handler (<see cref="ProcessErrorCodes.HandlerNotRegistered"/>).</exception>
    public static ValueTask<ProcessTestHarness> CreateAsync(ProcessDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var options = new ProcessTestHarnessOptions();
        options.Definitions.Add(definition);
        return CreateAsync(options, cancellationToken);
    }

    /// <summary>The handler names that the automated steps of <paramref name="definitions"/> use and that are not registered, sorted and distinct.</summary>
    /// <param name="definitions">The definitions.</param>
    /// <param name="isRegistered">Whether a handler name is registered.</param>
    /// <returns>The missing names; empty when none.</returns>
    internal static IReadOnlyList<string> MissingHandlers(IEnumerable<ProcessDefinition> definitions, Func<string, bool> isRegistered)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(isRegistered);
        return [.. definitions
            .SelectMany(static d => d.Steps.OfType<AutomatedStep>())
            .Select(static s => s.Handler)
            .Where(h => !isRegistered(h))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Makes a user with roles, to act on tasks.</summary>
    /// <param name="id">The user id.</param>
    /// <param name="roles">The role ids the user holds.</param>
    /// <returns>The user.</returns>
    public static ProcessUser User(string id, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return new ProcessUser(id, roles);
    }

    /// <summary>Deploys a definition (for example a new version). Its handlers must be registered; stubs are only made at build time.</summary>
    /// <param name="definition">The definition.</param>
    /// <param name="cancellationToken">Cancels the deployment.</param>
    /// <returns>The version deployed.</returns>
    /// <exception cref="DefinitionException">The definition is not valid.</exception>
    /// <exception cref="InvalidCommandException">See <see cref="ProcessEngine.DeployAsync(ProcessDefinition, CancellationToken)"/>.</exception>
    public async ValueTask<int> DeployAsync(ProcessDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var version = await Engine.DeployAsync(definition, cancellationToken).ConfigureAwait(false);
        _definitions[(definition.Id, definition.Version)] = definition;
        return version;
    }

    /// <summary>Starts an instance of the newest deployed version of a process and runs it to its first wait.</summary>
    /// <param name="processId">The process id.</param>
    /// <param name="data">The start data. Optional.</param>
    /// <param name="businessKey">The business key. Optional.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The instance, to act on and assert.</returns>
    /// <exception cref="ProcessNotFoundException">No such process is deployed.</exception>
    /// <exception cref="InvalidCommandException">The start data does not match the declared inputs.</exception>
    public async ValueTask<TestInstance> StartAsync(string processId, IReadOnlyDictionary<string, object?>? data = null, string? businessKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(processId);
        var id = await Engine.StartAsync(processId, data, businessKey, cancellationToken).ConfigureAwait(false);
        await SettleAsync(cancellationToken).ConfigureAwait(false);
        return Instance(id);
    }

    /// <summary>
    /// Publishes a message that starts the processes whose trigger names it, and returns the
    /// instances it started.
    /// </summary>
    /// <param name="message">The message; its payload is the start data.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The instances started, oldest first.</returns>
    /// <remarks>
    /// The engine does not report the ids it starts; the harness finds them after the highest
    /// instance id it has handed out, which relies on the store numbering instances in order (the
    /// in-memory store does). Instances started through <see cref="Engine"/> directly since then
    /// are included.
    /// </remarks>
    /// <exception cref="ProcessAssertionException">The message started nothing (it was delivered to a waiting instance, buffered or a duplicate).</exception>
    public async ValueTask<IReadOnlyList<TestInstance>> StartByMessageAsync(ProcessMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var before = _highestInstance;
        var outcome = await Engine.PublishMessageAsync(message, cancellationToken).ConfigureAwait(false);
        if (outcome != MessageOutcome.Started)
        {
            throw new ProcessAssertionException($"Expected the message '{message.Name}' to start a process, but it was {outcome.ToString().ToLowerInvariant()}.");
        }

        // The engine does not return the ids it started; the in-memory store numbers instances in
        // order, so the new ones follow the highest id the harness has seen.
        var started = new List<TestInstance>();
        for (var next = before + 1; ; next++)
        {
            var id = new InstanceId(next);
            try
            {
                await Engine.GetInstanceAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (ProcessNotFoundException)
            {
                break;
            }

            started.Add(Instance(id));
        }

        await SettleAsync(cancellationToken).ConfigureAwait(false);
        return started;
    }

    /// <summary>Publishes a message to whoever waits for it (or starts, or buffers it).</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>What happened to the message.</returns>
    public async ValueTask<MessageOutcome> PublishAsync(ProcessMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var outcome = await Engine.PublishMessageAsync(message, cancellationToken).ConfigureAwait(false);
        await SettleAsync(cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>
    /// Moves the fake clock on by <paramref name="by"/>, stopping at each due time on the way to
    /// fire what falls due then (timer steps, message timeouts, deadlines, escalations), so that
    /// every event carries the time it was due.
    /// </summary>
    /// <param name="by">How far to move; zero fires what is due now.</param>
    /// <param name="cancellationToken">Cancels between timers.</param>
    /// <returns>How many timers changed an instance.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="by"/> is negative.</exception>
    public ValueTask<int> AdvanceAsync(TimeSpan by, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        return AdvanceToAsync(Now + by, cancellationToken);
    }

    /// <summary>Moves the fake clock on to <paramref name="time"/>, firing what falls due on the way (see <see cref="AdvanceAsync(TimeSpan, CancellationToken)"/>).</summary>
    /// <param name="time">Where the clock ends; not before <see cref="Now"/>.</param>
    /// <param name="cancellationToken">Cancels between timers.</param>
    /// <returns>How many timers changed an instance.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="time"/> is before <see cref="Now"/>.</exception>
    /// <exception cref="InvalidOperationException">Timers kept falling due without end (a timer that reschedules itself at once).</exception>
    public async ValueTask<int> AdvanceToAsync(DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(time, Now);
        var fired = 0;
        for (var round = 0; Engine.NextDueTime is { } due && due <= time; round++)
        {
            if (round >= MaxTimerRounds)
            {
                throw new InvalidOperationException($"Timers kept falling due after {MaxTimerRounds} rounds before {time:O}.");
            }

            if (due > Now)
            {
                Clock.SetUtcNow(due);
            }

            fired += await Engine.RunDueAsync(cancellationToken).ConfigureAwait(false);
        }

        if (time > Now)
        {
            Clock.SetUtcNow(time);
        }

        return fired;
    }

    /// <summary>A handle on an instance that already exists (for example one started through <see cref="Engine"/>).</summary>
    /// <param name="id">The instance id.</param>
    /// <returns>The handle; the instance is read when the handle acts or asserts.</returns>
    public TestInstance Instance(InstanceId id)
    {
        _highestInstance = Math.Max(_highestInstance, id.Value);
        return new TestInstance(this, id);
    }

    /// <summary>Runs what is due now, after an action, unless <see cref="ProcessTestHarnessOptions.RunDueWorkAfterActions"/> is off.</summary>
    internal async ValueTask SettleAsync(CancellationToken cancellationToken)
    {
        if (_runDueWork)
        {
            await AdvanceToAsync(Now, cancellationToken).ConfigureAwait(false);
        }
    }

    internal ProcessDefinition? FindDefinition(string processId, int version) =>
        _definitions.GetValueOrDefault((processId, version));

    private static bool TryAddStub(ProcessEngineOptions options, string name)
    {
        try
        {
            options.AddHandler(name, static _ => { });
            return true;
        }
        catch (ArgumentException)
        {
            // Registered by ConfigureEngine: not missing after all.
            return false;
        }
    }
}
