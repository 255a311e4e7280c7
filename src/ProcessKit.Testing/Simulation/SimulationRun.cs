using System.Globalization;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Persistence;

namespace ProcessKit.Testing.Simulation;

/// <summary>One simulation: the engine on a simulated clock, the people, the queue of events.</summary>
internal sealed partial class SimulationRun
{
    private readonly SimulationOptions _options;
    private readonly ProcessDefinition _definition;
    private readonly int _seed;
    private readonly SimulationClock _clock;
    private readonly Dictionary<string, StepPlan> _steps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RoleDesk> _roles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Person> _people = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _assigneeFields = new(StringComparer.Ordinal);
    private readonly long[] _arrivals;
    private readonly List<string> _stubbed = [];
    private ProcessEngine _engine = null!;
    private IProcessStore _store = null!;

    private SimulationRun(SimulationOptions options)
    {
        _options = options;
        _definition = options.Definition;
        _seed = options.Seed;
        _clock = new SimulationClock(options.StartTime);
        Check(options);
        _arrivals = ArrivalTicks(options);
        Plan();
    }

    public static async ValueTask<SimulationRun> CreateAsync(SimulationOptions options, CancellationToken cancellationToken)
    {
        var run = new SimulationRun(options);
        var engineOptions = new ProcessEngineOptions
        {
            TimeProvider = run._clock,
            RoleMembers = run.RoleMembers,

            // Messages are addressed to their instance; none should linger longer than a run.
            MessageTimeToLive = TimeSpan.FromDays(3650),
        };
        foreach (var (name, handler) in options.Handlers)
        {
            engineOptions.AddHandler(name, handler);
        }

        if (options.StubMissingHandlers)
        {
            foreach (var name in ProcessTestHarness.MissingHandlers([options.Definition], options.Handlers.ContainsKey))
            {
                engineOptions.AddHandler(name, run.Stub);
                run._stubbed.Add(name);
            }
        }

        run._engine = new ProcessEngine(engineOptions);
        run._store = run._engine.Store;
        await run._engine.DeployAsync(options.Definition, cancellationToken).ConfigureAwait(false);
        return run;
    }

    /// <summary>The engine the run drives (for tests that read the history behind a report).</summary>
    internal ProcessEngine Engine => _engine;

    /// <summary>The instances started, in arrival order.</summary>
    internal IReadOnlyList<long> InstanceIds => _instanceOrder;

    private IReadOnlyList<string> RoleMembers(string role) =>
        _roles.TryGetValue(role, out var desk) ? desk.PeopleIds : [];

    private static void Check(SimulationOptions options)
    {
        var definition = options.Definition;
        var roles = definition.Roles.Select(static r => r.Id).ToHashSet(StringComparer.Ordinal);
        var steps = definition.Steps.ToDictionary(static s => s.Id, StringComparer.Ordinal);
        if (options.ArrivalTimes.Count == 0)
        {
            if (options.Count < 1)
            {
                throw Bad($"Count must be at least 1, not {options.Count}.");
            }

            if (!(options.ArrivalsPerHour > 0) || double.IsInfinity(options.ArrivalsPerHour))
            {
                throw Bad($"ArrivalsPerHour must be a positive number, not {options.ArrivalsPerHour}.");
            }
        }
        else if (options.ArrivalTimes.Any(static t => t < TimeSpan.Zero))
        {
            throw Bad($"ArrivalTimes must not hold a negative offset.");
        }

        if (options.DefaultStaff < 0)
        {
            throw Bad($"DefaultStaff must not be negative, not {options.DefaultStaff}.");
        }

        foreach (var (role, people) in options.Staff)
        {
            if (!roles.Contains(role))
            {
                throw Bad($"Staff names the role '{role}', which the process does not have; its roles: {List(roles)}.");
            }

            if (people < 0)
            {
                throw Bad($"Staff for the role '{role}' must not be negative, not {people}.");
            }
        }

        foreach (var step in options.WorkTimes.Keys)
        {
            if (!steps.TryGetValue(step, out var s) || s.Kind != StepKind.HumanTask)
            {
                throw Bad($"WorkTimes names '{step}', which is not a human task of the process; its human tasks: {List(definition.Steps.Where(static x => x.Kind == StepKind.HumanTask).Select(static x => x.Id))}.");
            }
        }

        foreach (var (step, weights) in options.OutcomeWeights)
        {
            if (!steps.TryGetValue(step, out var s) || s is not HumanTaskStep task || task.Outcomes.IsEmpty)
            {
                throw Bad($"OutcomeWeights names '{step}', which is not a human task with outcomes; those with outcomes: {List(definition.Steps.OfType<HumanTaskStep>().Where(static x => !x.Outcomes.IsEmpty).Select(static x => x.Id))}.");
            }

            ArgumentNullException.ThrowIfNull(weights, nameof(options));
            foreach (var (outcome, weight) in weights)
            {
                if (!task.Outcomes.Contains(outcome))
                {
                    throw Bad($"OutcomeWeights for '{step}' names the outcome '{outcome}', which the step does not have; its outcomes: {List(task.Outcomes)}.");
                }

                if (!(weight >= 0) || double.IsInfinity(weight))
                {
                    throw Bad($"OutcomeWeights for '{step}': the weight of '{outcome}' must be a number not below 0, not {weight}.");
                }
            }

            if (!weights.Values.Any(static w => w > 0))
            {
                throw Bad($"OutcomeWeights for '{step}': at least one weight must be above 0.");
            }
        }

        var messages = definition.Steps.OfType<WaitMessageStep>().Select(static s => s.Message).ToHashSet(StringComparer.Ordinal);
        foreach (var message in options.MessageDelays.Keys.Concat(options.NoMessageProbability.Keys))
        {
            if (!messages.Contains(message))
            {
                throw Bad($"The message '{message}' is not one the process waits for; it waits for: {List(messages)}.");
            }
        }

        foreach (var (message, probability) in options.NoMessageProbability)
        {
            if (!(probability >= 0 && probability <= 1))
            {
                throw Bad($"NoMessageProbability for '{message}' must be from 0 to 1, not {probability}.");
            }
        }

        if (options.DefaultWorkTime < TimeSpan.Zero || options.DefaultMessageDelay < TimeSpan.Zero)
        {
            throw Bad($"DefaultWorkTime and DefaultMessageDelay must not be negative.");
        }

        if (options.MaxDuration <= TimeSpan.Zero)
        {
            throw Bad($"MaxDuration must be positive, not {options.MaxDuration}.");
        }
    }

    private static ArgumentException Bad(FormattableString message) =>
        new(message.ToString(CultureInfo.InvariantCulture), "options");

    private static string List(IEnumerable<string> names)
    {
        var sorted = names.Order(StringComparer.Ordinal).ToList();
        return sorted.Count == 0 ? "none" : string.Join(", ", sorted);
    }

    /// <summary>Arrival times in ticks from the start, in order.</summary>
    private long[] ArrivalTicks(SimulationOptions options)
    {
        if (options.ArrivalTimes.Count > 0)
        {
            return [.. options.ArrivalTimes.Select(static t => t.Ticks).Order()];
        }

        var ticks = new long[options.Count];
        var meanTicks = TimeSpan.TicksPerHour / options.ArrivalsPerHour;
        var at = 0d;
        for (var i = 0; i < ticks.Length; i++)
        {
            at += -Math.Log(1 - SimulationRandom.Uniform(_seed, SimulationRandom.Arrival, i)) * meanTicks;

            // Whole seconds, like every other simulated duration.
            ticks[i] = (long)Math.Round(at / TimeSpan.TicksPerSecond, MidpointRounding.AwayFromZero) * TimeSpan.TicksPerSecond;
        }

        return ticks;
    }

    private void Plan()
    {
        foreach (var role in _definition.Roles)
        {
            var count = _options.Staff.TryGetValue(role.Id, out var n) ? n : _options.DefaultStaff;
            var desk = new RoleDesk(role);
            for (var i = 1; i <= count; i++)
            {
                var person = new Person(string.Create(CultureInfo.InvariantCulture, $"{role.Id}-{i}"), desk);
                desk.People.Add(person);
                desk.Free.Add(person);
                _people.Add(person.Id, person);
            }

            desk.PeopleIds = [.. desk.People.Select(static p => p.Id)];
            _roles.Add(role.Id, desk);
        }

        var satisfaction = _definition.Targets?.SatisfactionField;
        foreach (var step in _definition.Steps.OfType<HumanTaskStep>())
        {
            if (step.Allocation.Assignee is { IsLambda: false } assignee && IsFieldName(assignee.Text) && step.Role is { } role && _roles.TryGetValue(role, out var desk))
            {
                _assigneeFields.TryAdd(assignee.Text.Trim(), desk.PeopleIds);
            }
        }

        for (var index = 0; index < _definition.Steps.Count; index++)
        {
            var step = _definition.Steps[index];
            var plan = new StepPlan(step, index);
            switch (step)
            {
                case HumanTaskStep task:
                    var expected = task.WorkTime ?? task.GoalTime ?? _options.DefaultWorkTime;
                    plan.Work = _options.WorkTimes.TryGetValue(task.Id, out var work) ? work
                        : expected > TimeSpan.Zero ? SimulationDistribution.LogNormal(expected) : SimulationDistribution.Fixed(TimeSpan.Zero);
                    plan.Outcomes = [.. task.Outcomes];
                    var weights = _options.OutcomeWeights.TryGetValue(task.Id, out var given) ? given : null;
                    var sum = 0d;
                    plan.CumulativeWeights = [.. task.Outcomes.Select(o => sum += weights is null ? 1 : weights.GetValueOrDefault<string, double>(o))];
                    plan.Generated = Generated(task.Writes, satisfaction);
                    break;
                case WaitMessageStep wait:
                    plan.Message = wait.Message;
                    plan.Delay = _options.MessageDelays.TryGetValue(wait.Message, out var delay) ? delay : DefaultDelay(wait);
                    plan.NoMessage = _options.NoMessageProbability.TryGetValue(wait.Message, out var never) ? never : 0;
                    plan.Generated = Generated(wait.Writes, satisfaction);
                    break;
                case AutomatedStep automated:
                    plan.Generated = Generated(automated.Writes, null);
                    break;
                default:
                    break;
            }

            _steps.Add(step.Id, plan);
        }
    }

    private SimulationDistribution DefaultDelay(WaitMessageStep wait)
    {
        var expected = wait.WorkTime
            ?? (wait.Timeout?.After.After is { } timeout ? timeout / 2 : _options.DefaultMessageDelay);
        return expected > TimeSpan.Zero ? SimulationDistribution.LogNormal(expected) : SimulationDistribution.Fixed(TimeSpan.Zero);
    }

    private static DataField[] Generated(ValueArray<DataField> writes, string? satisfaction) =>
        [.. writes.Where(w => w.Required || string.Equals(w.Name, satisfaction, StringComparison.Ordinal))];

    private static bool IsFieldName(string text)
    {
        var name = text.Trim();
        return name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(static c => char.IsLetterOrDigit(c) || c == '_');
    }

    /// <summary>A stubbed handler: writes generated values for the step's required fields.</summary>
    private void Stub(StepContext context)
    {
        if (!_steps.TryGetValue(context.StepId, out var plan))
        {
            return;
        }

        var arrival = ArrivalOf(context.Instance.Value);
        for (var i = 0; i < plan.Generated.Length; i++)
        {
            var field = plan.Generated[i];
            var u = SimulationRandom.Uniform(_seed, SimulationRandom.Handler, arrival, plan.Index, context.StepInstance, i);
            context.Set(field.Name, FieldValues.Generate(field, u, arrival, _clock.Now, _assigneeFields.GetValueOrDefault(field.Name)));
        }
    }

    private Dictionary<string, object?>? GenerateData(StepPlan plan, int purpose, int arrival, int occurrence)
    {
        if (plan.Generated.Length == 0)
        {
            return null;
        }

        var data = new Dictionary<string, object?>(plan.Generated.Length, StringComparer.Ordinal);
        for (var i = 0; i < plan.Generated.Length; i++)
        {
            var field = plan.Generated[i];
            var u = SimulationRandom.Uniform(_seed, purpose, arrival, plan.Index, occurrence, i);
            data[field.Name] = FieldValues.Generate(field, u, arrival, _clock.Now, _assigneeFields.GetValueOrDefault(field.Name));
        }

        return data;
    }

    private sealed class RoleDesk(RoleDefinition role)
    {
        public RoleDefinition Role { get; } = role;

        public List<Person> People { get; } = [];

        public string[] PeopleIds { get; set; } = [];

        /// <summary>Idle people, longest idle first.</summary>
        public List<Person> Free { get; } = [];

        /// <summary>Tasks offered to the role that nobody has taken, by task id (creation order).</summary>
        public SortedSet<long> Offered { get; } = [];

        public int TasksCompleted { get; set; }
    }

    private sealed class Person(string id, RoleDesk desk)
    {
        public string Id { get; } = id;

        public RoleDesk Desk { get; } = desk;

        public ProcessUser User { get; } = new(id, [desk.Role.Id]);

        public bool Busy { get; set; }

        public long BusySince { get; set; }

        public TimeSpan BusyTime { get; set; }

        /// <summary>Tasks assigned to this person that wait for them, by task id.</summary>
        public SortedSet<long> Assigned { get; } = [];
    }

    private sealed class Track(int arrival)
    {
        public int Arrival { get; } = arrival;

        public bool Ended { get; set; }

        /// <summary>How many runs of each step (by index) the simulation has seen: part of the key of their random numbers.</summary>
        public Dictionary<int, int>? Occurrences { get; set; }

        /// <summary>The message waits a message is on its way to (or will never come to).</summary>
        public HashSet<string>? Waits { get; set; }

        public int Next(int step)
        {
            Occurrences ??= [];
            var n = Occurrences.GetValueOrDefault(step);
            Occurrences[step] = n + 1;
            return n;
        }
    }
}
