using ProcessKit.Analytics;
using ProcessKit.Definitions;
using ProcessKit.Execution;

namespace ProcessKit.Testing.Simulation;

/// <summary>
/// What <see cref="ProcessSimulator"/> simulates: the process, how instances arrive, how many
/// people work in each role, how long their work takes, which outcomes they choose, how long
/// messages take, and the seed.
/// </summary>
/// <remarks>
/// <para>Not thread-safe: configure on one thread, then run the simulation. Checked when the run starts.</para>
/// <para>
/// Defaults, in short: 100 instances arriving at random at 10 an hour; one person per role; work
/// times lognormal around each step's expected time (<see cref="StepDefinition.WorkTime"/>, else a
/// human task's goal time, else <see cref="DefaultWorkTime"/>); outcomes equally likely; data and
/// message payloads generated from the fields the steps declare; messages arriving after the wait
/// step's expected time, else half its timeout, else <see cref="DefaultMessageDelay"/>.
/// </para>
/// </remarks>
public sealed class SimulationOptions
{
    private readonly Dictionary<string, IStepHandler> _handlers = new(StringComparer.Ordinal);

    /// <summary>Creates options for simulating <paramref name="definition"/>.</summary>
    /// <param name="definition">The process to simulate; it is validated when the simulation deploys it.</param>
    public SimulationOptions(ProcessDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition;
    }

    /// <summary>The process to simulate.</summary>
    public ProcessDefinition Definition { get; }

    /// <summary>How many instances arrive, when <see cref="ArrivalTimes"/> is empty. Default 100; at least 1.</summary>
    public int Count { get; set; } = 100;

    /// <summary>
    /// The mean number of instances that arrive per hour, at random (a Poisson process: the times
    /// between arrivals are exponential), when <see cref="ArrivalTimes"/> is empty. Default 10; positive.
    /// </summary>
    public double ArrivalsPerHour { get; set; } = 10;

    /// <summary>
    /// When instances arrive, as offsets from <see cref="StartTime"/>; each starts one instance
    /// (<see cref="Count"/> and <see cref="ArrivalsPerHour"/> are then ignored). Empty by default.
    /// Offsets may come in any order; none may be negative.
    /// </summary>
    public IList<TimeSpan> ArrivalTimes { get; } = [];

    /// <summary>
    /// Makes the start data of each instance from its arrival number (from 0) and random numbers
    /// seeded for that arrival. Optional: by default every required input the process declares gets
    /// a generated value (see <see cref="ProcessSimulator"/>). Return a fixed dictionary for fixed data.
    /// </summary>
    public Func<int, Random, IReadOnlyDictionary<string, object?>?>? StartData { get; set; }

    /// <summary>How many people work in each role, by role id. Roles not listed get <see cref="DefaultStaff"/>. Each person works on one task at a time.</summary>
    public IDictionary<string, int> Staff { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>How many people a role not listed in <see cref="Staff"/> has. Default 1; not negative.</summary>
    public int DefaultStaff { get; set; } = 1;

    /// <summary>Which offered task a free person takes first. Default <see cref="SimulationTaskOrder.OldestFirst"/>.</summary>
    public SimulationTaskOrder TaskOrder { get; set; }

    /// <summary>
    /// How long the work on a human task takes, by step id. Steps not listed take
    /// <see cref="SimulationDistribution.LogNormal(TimeSpan, double)"/> with their expected time as the mean.
    /// </summary>
    public IDictionary<string, SimulationDistribution> WorkTimes { get; } = new Dictionary<string, SimulationDistribution>(StringComparer.Ordinal);

    /// <summary>The expected work time of a human task whose definition gives none. Default 5 minutes; not negative.</summary>
    public TimeSpan DefaultWorkTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How likely each outcome of a task is, by step id, then by outcome: relative weights, not
    /// negative, not all zero. Outcomes left out of a step's weights are never chosen. Steps not
    /// listed choose each of their outcomes with equal weight.
    /// </summary>
    public IDictionary<string, IReadOnlyDictionary<string, double>> OutcomeWeights { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);

    /// <summary>Called before each simulated completion of a task, to change its outcome or data. Optional.</summary>
    public Action<SimulationTaskContext>? OnTaskCompleting { get; set; }

    /// <summary>How long a message takes to reach the instance waiting for it, by message name (see <see cref="SimulationOptions"/> for the default).</summary>
    public IDictionary<string, SimulationDistribution> MessageDelays { get; } = new Dictionary<string, SimulationDistribution>(StringComparer.Ordinal);

    /// <summary>The expected delay of a message whose wait step gives no expected time and no timeout. Default 1 hour; not negative.</summary>
    public TimeSpan DefaultMessageDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The probability, by message name, that the message never comes (so that the wait's timeout, or
    /// the other branch of an event choice, is taken). From 0 to 1; messages not listed always come.
    /// </summary>
    public IDictionary<string, double> NoMessageProbability { get; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>Called before each simulated message is published, to change its payload. Optional.</summary>
    public Action<SimulationMessageContext>? OnMessage { get; set; }

    /// <summary>
    /// Whether an automated step whose handler is not registered runs as a stub. Default
    /// <see langword="false"/>: the simulation then refuses the definition. A stub does no work; it
    /// writes a generated value for each field the step declares as required, so that decisions
    /// and allocations downstream have data (a field that a later task's allocation names as its
    /// assignee gets one of the simulated people of that task's role).
    /// </summary>
    public bool StubMissingHandlers { get; set; }

    /// <summary>The seed: the same options with the same seed give the same report. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>When the simulated clock starts. Default <see cref="ProcessTestHarnessOptions.DefaultStartTime"/>.</summary>
    public DateTimeOffset StartTime { get; set; } = ProcessTestHarnessOptions.DefaultStartTime;

    /// <summary>
    /// How long after the last arrival the simulation stops at the latest; instances still running
    /// then are reported as running, measured at that time. Default 365 days; positive.
    /// </summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// Called once per instance when the run ends, with the figures the report is computed from
    /// (path included), on the simulation's thread: for breakdowns the report does
    /// not make (for example cost and satisfaction of the instances that took a given path). Optional.
    /// </summary>
    public Action<InstanceCharacteristics>? OnInstanceMeasured { get; set; }

    /// <summary>Told how far the run has got, now and then, on the simulation's thread. Optional.</summary>
    public IProgress<SimulationProgress>? Progress { get; set; }

    internal IReadOnlyDictionary<string, IStepHandler> Handlers => _handlers;

    /// <summary>Registers the handler of automated steps that name <paramref name="name"/>; it runs inline, on simulated time.</summary>
    /// <param name="name">The handler name the definition uses.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException">A handler is already registered under the name.</exception>
    public SimulationOptions AddHandler(string name, IStepHandler handler)
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
    /// <param name="name">The handler name the definition uses.</param>
    /// <param name="handler">The delegate.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException">A handler is already registered under the name.</exception>
    public SimulationOptions AddHandler(string name, Action<StepContext> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddHandler(name, new SyncHandler(handler));
    }

    private sealed class SyncHandler(Action<StepContext> handler) : IStepHandler
    {
        public ValueTask ExecuteAsync(StepContext context)
        {
            handler(context);
            return ValueTask.CompletedTask;
        }
    }
}
