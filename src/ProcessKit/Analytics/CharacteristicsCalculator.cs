using System.Globalization;
using System.Runtime.CompilerServices;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;

namespace ProcessKit.Analytics;

/// <summary>One pass over an instance's history: checks it, then folds it into <see cref="InstanceCharacteristics"/>.</summary>
internal sealed class CharacteristicsCalculator
{
    // The step lookup of each definition, built once rather than for every instance measured.
    private static readonly ConditionalWeakTable<ProcessDefinition, Dictionary<string, StepDefinition>> StepLookups = [];

    private readonly ProcessDefinition _definition;
    private readonly Dictionary<string, StepDefinition> _steps;
    private readonly Dictionary<(string Step, int Run), TaskClock> _tasks = [];
    private readonly HashSet<string> _taskSteps = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Step, int Run), DateTimeOffset> _eventWaits = [];
    private readonly Dictionary<string, StepTotals> _totals = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Step, int Run), int> _pathIndex = [];
    private readonly List<PathEntry> _path = [];
    private readonly List<DeadlineBreach> _breaches = [];

    private TimeSpan _work;
    private TimeSpan _wait;
    private TimeSpan _eventWait;
    private decimal _cost;
    private DateTimeOffset? _firstReaction;

    private CharacteristicsCalculator(ProcessDefinition definition, Dictionary<string, StepDefinition> steps)
    {
        _definition = definition;
        _steps = steps;
    }

    public static InstanceCharacteristics Compute(ProcessDefinition definition, IEnumerable<HistoryEvent> events, DateTimeOffset? asOf)
    {
        var list = events as IReadOnlyList<HistoryEvent> ?? [.. events];
        var steps = StepLookups.GetValue(definition, static d => StepsOf(d));
        Check(definition, steps, list);
        return new CharacteristicsCalculator(definition, steps).Fold(list, asOf);
    }

    private static Dictionary<string, StepDefinition> StepsOf(ProcessDefinition definition)
    {
        var steps = new Dictionary<string, StepDefinition>(StringComparer.Ordinal);
        foreach (var step in definition.Steps)
        {
            steps.TryAdd(step.Id, step);
        }

        return steps;
    }

    private static void Check(ProcessDefinition definition, Dictionary<string, StepDefinition> stepIds, IReadOnlyList<HistoryEvent> events)
    {
        if (events.Count == 0)
        {
            throw new ArgumentException("The history is empty: an instance's history starts with its InstanceStarted event.", nameof(events));
        }

        var first = events[0];
        if (!string.Equals(first.ProcessId, definition.Id, StringComparison.Ordinal) || first.ProcessVersion != definition.Version)
        {
            throw new ArgumentException(
                Format($"The events belong to process '{first.ProcessId}' version {first.ProcessVersion}, but the definition is '{definition.Id}' version {definition.Version}."),
                nameof(events));
        }

        if (first.Type != HistoryEventType.InstanceStarted)
        {
            throw new ArgumentException(
                Format($"The history of instance {first.Instance} starts with {first.Type} (sequence {first.Sequence}); it must start with InstanceStarted. Pass every event of the instance, in order."),
                nameof(events));
        }

        var ended = false;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.StepId is { } stepId && !stepIds.ContainsKey(stepId))
            {
                throw new ArgumentException(
                    Format($"Event {e.Sequence} of instance {e.Instance} names step '{stepId}', which process '{definition.Id}' version {definition.Version} does not have."),
                    nameof(events));
            }

            if (i == 0)
            {
                continue;
            }

            var previous = events[i - 1];
            if (e.Instance != first.Instance)
            {
                throw new ArgumentException(
                    Format($"The events mix instances {first.Instance} and {e.Instance} (sequence {e.Sequence}): pass the events of one instance at a time."),
                    nameof(events));
            }

            if (!string.Equals(e.ProcessId, first.ProcessId, StringComparison.Ordinal) || e.ProcessVersion != first.ProcessVersion)
            {
                throw new ArgumentException(
                    Format($"Event {e.Sequence} of instance {e.Instance} names process '{e.ProcessId}' version {e.ProcessVersion}, but the instance runs '{first.ProcessId}' version {first.ProcessVersion}."),
                    nameof(events));
            }

            if (e.Sequence <= previous.Sequence)
            {
                throw new ArgumentException(
                    Format($"The events of instance {e.Instance} are out of sequence: {e.Sequence} follows {previous.Sequence}. Pass them ordered by sequence, each once."),
                    nameof(events));
            }

            if (e.Time < previous.Time)
            {
                throw new ArgumentException(
                    Format($"Event {e.Sequence} of instance {e.Instance} happened at {e.Time:O}, before event {previous.Sequence} at {previous.Time:O}: times must not go back."),
                    nameof(events));
            }

            if (e.Type == HistoryEventType.InstanceStarted)
            {
                throw new ArgumentException(
                    Format($"Instance {e.Instance} starts twice (sequence {first.Sequence} and {e.Sequence})."),
                    nameof(events));
            }

            if (IsEnd(e.Type))
            {
                if (ended)
                {
                    throw new ArgumentException(
                        Format($"Instance {e.Instance} ends twice: {e.Type} at sequence {e.Sequence} follows an earlier end."),
                        nameof(events));
                }

                ended = true;
            }
        }
    }

    private InstanceCharacteristics Fold(IReadOnlyList<HistoryEvent> events, DateTimeOffset? asOf)
    {
        var start = events[0];
        var state = InstanceState.Running;
        string? outcome = null;
        decimal? satisfaction = null;
        DateTimeOffset? endedAt = null;

        foreach (var e in events)
        {
            _cost += e.Cost;
            if (e.StepId is { } stepId)
            {
                var totals = Totals(stepId);
                totals.Cost += e.Cost;
                if (e.Type is HistoryEventType.StepEntered or HistoryEventType.TaskCreated or HistoryEventType.StepCompleted or HistoryEventType.StepCancelled)
                {
                    totals.Runs.Add(e.StepInstance);
                }
            }

            switch (e.Type)
            {
                case HistoryEventType.InstanceCompleted:
                    state = InstanceState.Completed;
                    outcome = e.Detail;
                    satisfaction = e.Value;
                    endedAt = e.Time;
                    break;
                case HistoryEventType.InstanceCancelled:
                    state = InstanceState.Cancelled;
                    endedAt = e.Time;
                    break;
                case HistoryEventType.InstanceFailed:
                    state = InstanceState.Failed;
                    endedAt = e.Time;
                    break;
                case HistoryEventType.StepEntered when e.StepId is not null:
                    Entered(e);
                    break;
                case HistoryEventType.StepCompleted when e.StepId is not null:
                    if (IsHumanTask(e.StepId))
                    {
                        _firstReaction ??= e.Time;
                    }

                    if (_pathIndex.TryGetValue((e.StepId, e.StepInstance), out var index))
                    {
                        _path[index] = _path[index] with { Outcome = e.Detail };
                    }

                    Finish(e);
                    break;
                case HistoryEventType.StepCancelled when e.StepId is not null:
                    Finish(e);
                    break;
                case HistoryEventType.TaskCreated when e.StepId is not null:
                    _taskSteps.Add(e.StepId);
                    _tasks.TryAdd((e.StepId, e.StepInstance), new TaskClock(Working: false, e.Time));
                    break;
                case HistoryEventType.TaskClaimed when e.StepId is not null:
                    _firstReaction ??= e.Time;
                    Claim(e);
                    break;
                case HistoryEventType.TaskReleased or HistoryEventType.TaskDelegated when e.StepId is not null:
                    Release(e);
                    break;
                case HistoryEventType.DeadlineBreached:
                    _breaches.Add(new DeadlineBreach
                    {
                        Time = e.Time,
                        Deadline = e.Detail,
                        StepId = e.StepId,
                        StepInstance = e.StepInstance,
                        RoleId = e.RoleId ?? (e.StepId is null ? null : _steps[e.StepId].Role),
                    });
                    break;
                default:
                    break;
            }
        }

        var last = events[^1].Time;
        if (endedAt is null && asOf is { } measuredAt && measuredAt < last)
        {
            throw new ArgumentException(
                Format($"asOf ({measuredAt:O}) is before the last event of instance {start.Instance} ({last:O}); measure a running instance at or after its last event."),
                nameof(asOf));
        }

        var horizon = endedAt ?? asOf;
        if (horizon is { } until)
        {
            CloseOpenIntervals(until);
        }

        return new InstanceCharacteristics
        {
            Instance = start.Instance,
            ProcessId = start.ProcessId,
            ProcessVersion = start.ProcessVersion,
            State = state,
            EndOutcome = outcome,
            StartedAt = start.Time,
            EndedAt = endedAt,
            AsOf = endedAt is null ? asOf : null,
            CycleTime = horizon - start.Time,
            WorkTime = _work,
            WaitTime = _wait,
            EventWaitTime = _eventWait,
            TimeToFirstReaction = _firstReaction - start.Time,
            Cost = _cost,
            Satisfaction = satisfaction,
            Breaches = [.. _breaches],
            Path = [.. _path],
            Steps = [.. StepFigures()],
        };
    }

    private void Entered(HistoryEvent e)
    {
        var stepId = e.StepId!;
        _pathIndex[(stepId, e.StepInstance)] = _path.Count;
        _path.Add(new PathEntry { StepId = stepId, StepInstance = e.StepInstance, Path = e.Path, EnteredAt = e.Time });
        if (_steps[stepId].Kind is StepKind.WaitMessage or StepKind.Timer)
        {
            _eventWaits.TryAdd((stepId, e.StepInstance), e.Time);
        }
    }

    private void Finish(HistoryEvent e)
    {
        var key = (e.StepId!, e.StepInstance);
        if (_tasks.Remove(key, out var clock))
        {
            Close(e.StepId!, clock, e.Time);
        }

        if (_eventWaits.Remove(key, out var since))
        {
            AddEventWait(e.StepId!, e.Time - since);
        }
    }

    private void Claim(HistoryEvent e)
    {
        var key = (e.StepId!, e.StepInstance);
        if (_tasks.TryGetValue(key, out var clock))
        {
            if (!clock.Working)
            {
                Close(e.StepId!, clock, e.Time);
                _tasks[key] = new TaskClock(Working: true, e.Time);
            }
        }
        else
        {
            // A claim with no creation before it: the task waited for nobody that the history shows.
            _tasks[key] = new TaskClock(Working: true, e.Time);
        }
    }

    private void Release(HistoryEvent e)
    {
        var key = (e.StepId!, e.StepInstance);
        if (_tasks.TryGetValue(key, out var clock) && clock.Working)
        {
            Close(e.StepId!, clock, e.Time);
            _tasks[key] = new TaskClock(Working: false, e.Time);
        }
    }

    private void Close(string stepId, TaskClock clock, DateTimeOffset at)
    {
        var length = at - clock.Since;
        var totals = Totals(stepId);
        if (clock.Working)
        {
            _work += length;
            totals.Work += length;
        }
        else
        {
            _wait += length;
            totals.Wait += length;
        }
    }

    private void AddEventWait(string stepId, TimeSpan length)
    {
        _eventWait += length;
        Totals(stepId).EventWait += length;
    }

    private void CloseOpenIntervals(DateTimeOffset until)
    {
        foreach (var ((stepId, _), clock) in _tasks)
        {
            Close(stepId, clock, until);
        }

        foreach (var ((stepId, _), since) in _eventWaits)
        {
            AddEventWait(stepId, until - since);
        }

        _tasks.Clear();
        _eventWaits.Clear();
    }

    private IEnumerable<StepFigures> StepFigures()
    {
        foreach (var step in _definition.Steps)
        {
            if (_totals.TryGetValue(step.Id, out var totals) && totals.Runs.Count > 0)
            {
                yield return new StepFigures
                {
                    StepId = step.Id,
                    Runs = totals.Runs.Count,
                    WaitTime = totals.Wait,
                    WorkTime = totals.Work,
                    EventWaitTime = totals.EventWait,
                    Cost = totals.Cost,
                };
            }
        }
    }

    // A step the definition calls a human task, or one the engine opened tasks for.
    private bool IsHumanTask(string stepId) => _steps[stepId].Kind == StepKind.HumanTask || _taskSteps.Contains(stepId);

    private StepTotals Totals(string stepId)
    {
        if (!_totals.TryGetValue(stepId, out var totals))
        {
            totals = new StepTotals();
            _totals.Add(stepId, totals);
        }

        return totals;
    }

    private static bool IsEnd(HistoryEventType type) =>
        type is HistoryEventType.InstanceCompleted or HistoryEventType.InstanceCancelled or HistoryEventType.InstanceFailed;

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private readonly record struct TaskClock(bool Working, DateTimeOffset Since);

    private sealed class StepTotals
    {
        public HashSet<int> Runs { get; } = [];

        public TimeSpan Wait { get; set; }

        public TimeSpan Work { get; set; }

        public TimeSpan EventWait { get; set; }

        public decimal Cost { get; set; }
    }
}
