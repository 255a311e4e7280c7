using ProcessKit.Analytics;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Tasks;

namespace ProcessKit.AspNetCore.Contracts;

/// <summary>Builds the response bodies from the engine's types.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class Dtos
{
    public static ProcessDefinitionDto Definition(ProcessDefinition d, int[] versions) => new(
        d.Id,
        d.Version,
        d.Name,
        d.Description,
        d.Category,
        d.Goal,
        d.OwnerRole,
        [.. d.Roles.Select(static r => new RoleDto(r.Id, r.Name, r.Description))],
        Inputs(d),
        [.. d.Steps.Select(static s => new StepDto(s.Id, s.Name, s.Kind.ToString(), s.Role, s.Description))],
        versions);

    public static FieldDto[] Inputs(ProcessDefinition d) =>
        [.. d.Suppliers.SelectMany(static s => s.Inputs).DistinctBy(static f => f.Name, StringComparer.Ordinal).Select(Field)];

    public static FieldDto Field(DataField f) => new(f.Name, f.Type.ToString(), f.Required, f.Description, f.Minimum, f.Maximum);

    public static TaskDto Task(HumanTaskInfo t, ProcessDefinition? d, DateTimeOffset now)
    {
        var step = Step(d, t.StepId);
        return new TaskDto(
            t.TaskId,
            t.Instance.Value,
            t.ProcessId,
            t.ProcessVersion,
            t.StepId,
            t.StepName,
            t.Role,
            t.State.ToString(),
            t.AssignedTo,
            t.ClaimedBy,
            t.CreatedAt,
            t.DueAt,
            IsOverdue(t, now),
            [.. t.Outcomes],
            step is null ? [] : [.. step.Writes.Select(Field)],
            step is null ? [] : [.. step.Reads]);
    }

    /// <summary>The human task step of that id (no closure: called for every task of a list).</summary>
    private static HumanTaskStep? Step(ProcessDefinition? d, string stepId)
    {
        if (d is not null)
        {
            foreach (var step in d.Steps)
            {
                if (string.Equals(step.Id, stepId, StringComparison.Ordinal))
                {
                    return step as HumanTaskStep;
                }
            }
        }

        return null;
    }

    public static bool IsOverdue(HumanTaskInfo t, DateTimeOffset now) => t.IsOpen && t.DueAt is { } due && due < now;

    public static InstanceDto Instance(InstanceSnapshot s) => new(
        s.Id.Value,
        s.ProcessId,
        s.ProcessVersion,
        s.Version,
        s.State.ToString(),
        s.BusinessKey,
        s.EndOutcome,
        s.StartedAt,
        s.EndedAt,
        [.. s.ActiveSteps],
        DataJson.ToObject(s.Data));

    public static InstanceSummaryDto Summary(InstanceSummary s) =>
        new(s.Id.Value, s.ProcessId, s.ProcessVersion, s.State.ToString(), s.BusinessKey, s.StartedAt, s.EndedAt);

    public static HistoryEventDto Event(HistoryEvent e) =>
        new(e.Sequence, e.Type.ToString(), e.Time, e.StepId, e.StepInstance, e.UserId, e.RoleId, e.Cost, e.Value, e.Detail);

    public static CharacteristicsDto Characteristics(InstanceCharacteristics c) => new(
        c.Instance.Value,
        c.ProcessId,
        c.ProcessVersion,
        c.State.ToString(),
        c.StartedAt,
        c.EndedAt,
        c.EndOutcome,
        c.AsOf,
        c.CycleTime,
        c.WorkTime,
        c.WaitTime,
        c.EventWaitTime,
        c.TimeToFirstReaction,
        c.Cost,
        c.Satisfaction,
        c.StayedOnHappyPath,
        c.TookAlternatePath,
        c.TookExceptionPath,
        c.TookReworkPath,
        [.. c.Steps.Select(static s => new StepFiguresDto(s.StepId, s.Runs, s.WorkTime, s.WaitTime, s.EventWaitTime, s.Cost))],
        [.. c.Breaches.Select(static b => new BreachDto(b.Deadline, b.StepId, b.StepInstance, b.RoleId, b.Time))],
        [.. c.Path.Select(static p => new PathEntryDto(p.StepId, p.StepInstance, p.EnteredAt, p.Outcome))]);

    public static ReportDto Report(ProcessReport r) => new(
        r.ProcessId,
        r.ProcessName,
        r.ProcessVersion,
        r.Instances,
        r.Running,
        r.Completed,
        r.Cancelled,
        r.Failed,
        r.CompletionRate,
        r.CycleTimeMean,
        r.CycleTimeMedian,
        r.CycleTime90thPercentile,
        r.MeanTimeToFirstReaction,
        r.ReactedInstances,
        r.TotalCost,
        r.MeanCost,
        r.MeanSatisfaction,
        r.RatedInstances,
        r.Breaches,
        r.BreachedInstances,
        r.BreachRate,
        Counts(r.Outcomes),
        Counts(r.BreachesByRole),
        Counts(r.BreachesByDeadline),
        [.. r.Steps.Select(StepSummary)],
        [.. r.LongestWaits.Select(StepSummary)]);

    private static CountDto[] Counts(ValueArray<NamedCount> counts) => [.. counts.Select(static c => new CountDto(c.Name, c.Count))];

    private static StepSummaryDto StepSummary(StepSummary s) => new(
        s.StepId,
        s.StepName,
        s.RoleId,
        s.Instances,
        s.Runs,
        s.TotalWorkTime,
        s.TotalWaitTime,
        s.TotalEventWaitTime,
        s.MeanWorkTime,
        s.MeanWaitTime,
        s.MeanEventWaitTime,
        s.TotalCost,
        s.MeanCost);
}
