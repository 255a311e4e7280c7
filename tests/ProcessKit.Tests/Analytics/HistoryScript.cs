using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;

namespace ProcessKit.Tests.Analytics;

/// <summary>
/// Writes an instance's history by hand, in minutes after a fixed start, the way the engine would
/// record it. Calls must come in time order: each appends one event with the next sequence number.
/// </summary>
internal sealed class HistoryScript
{
    public static readonly DateTimeOffset Origin = new(2026, 11, 27, 18, 0, 0, TimeSpan.Zero);

    private readonly List<HistoryEvent> _events = [];
    private readonly ProcessDefinition _definition;
    private readonly InstanceId _instance;

    public HistoryScript(ProcessDefinition definition, long instance = 1, double startMinute = 0)
    {
        _definition = definition;
        _instance = new InstanceId(instance);
        Add(HistoryEventType.InstanceStarted, startMinute);
    }

    public IReadOnlyList<HistoryEvent> Events => _events;

    public static DateTimeOffset At(double minute) => Origin + TimeSpan.FromMinutes(minute);

    public HistoryScript Add(
        HistoryEventType type,
        double minute,
        string? step = null,
        int run = 0,
        decimal cost = 0,
        string? detail = null,
        string? role = null,
        string? user = null,
        decimal? value = null,
        PathKind path = PathKind.Happy)
    {
        _events.Add(new HistoryEvent
        {
            Sequence = _events.Count + 1,
            Instance = _instance,
            ProcessId = _definition.Id,
            ProcessVersion = _definition.Version,
            Type = type,
            Time = At(minute),
            StepId = step,
            StepInstance = run,
            Cost = cost,
            Detail = detail,
            RoleId = role,
            UserId = user,
            Value = value,
            Path = path,
        });
        return this;
    }

    public HistoryScript Enter(string step, double minute, int run = 1, PathKind path = PathKind.Happy) =>
        Add(HistoryEventType.StepEntered, minute, step, run, path: path);

    public HistoryScript Complete(string step, double minute, int run = 1, decimal cost = 0, string? outcome = null) =>
        Add(HistoryEventType.StepCompleted, minute, step, run, cost, outcome);

    public HistoryScript Created(string step, double minute, int run = 1) =>
        Add(HistoryEventType.TaskCreated, minute, step, run, role: _definition.Steps.First(s => s.Id == step).Role);

    public HistoryScript Claimed(string step, double minute, int run = 1, string user = "someone") =>
        Add(HistoryEventType.TaskClaimed, minute, step, run, user: user);

    /// <summary>An automated or routing step that passes at once.</summary>
    public HistoryScript Pass(string step, double minute, int run = 1, PathKind path = PathKind.Happy, decimal cost = 0) =>
        Enter(step, minute, run, path).Complete(step, minute, run, cost);

    /// <summary>A human task entered and offered at <paramref name="offered"/>, claimed, then completed.</summary>
    public HistoryScript Task(
        string step,
        double offered,
        double claimed,
        double completed,
        decimal cost,
        string? outcome = null,
        int run = 1,
        PathKind path = PathKind.Happy) =>
        Enter(step, offered, run, path)
            .Created(step, offered, run)
            .Claimed(step, claimed, run)
            .Complete(step, completed, run, cost, outcome);

    public HistoryScript End(double minute, string? outcome, decimal? satisfaction = null) =>
        Add(HistoryEventType.InstanceCompleted, minute, detail: outcome, value: satisfaction);
}
