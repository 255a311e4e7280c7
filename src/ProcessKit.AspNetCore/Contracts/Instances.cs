using System.Text.Json.Serialization;

namespace ProcessKit.AspNetCore.Contracts;

/// <summary>An instance: its state, data and the steps where it waits.</summary>
internal sealed record InstanceDto(
    long Id,
    string ProcessId,
    int ProcessVersion,
    long Version,
    string State,
    string? BusinessKey,
    string? EndOutcome,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string[] ActiveSteps,
    InstanceData Data);

/// <summary>An instance as a listing shows it: no data, no history.</summary>
internal sealed record InstanceSummaryDto(
    long Id,
    string ProcessId,
    int ProcessVersion,
    string State,
    string? BusinessKey,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt);

/// <summary>One page of a process's instances, by version then id; <c>ContinueAfter</c> is the <c>after</c> of the next page, null on the last.</summary>
internal sealed record InstanceListDto(InstanceSummaryDto[] Items, long? ContinueAfter);

/// <summary>One event of an instance's history.</summary>
internal sealed record HistoryEventDto(
    long Sequence,
    string Type,
    DateTimeOffset Time,
    string? StepId,
    int StepInstance,
    string? UserId,
    string? RoleId,
    decimal Cost,
    decimal? Value,
    string? Detail);

/// <summary>The characteristics of one instance, measured from its history.</summary>
internal sealed record CharacteristicsDto(
    long Instance,
    string ProcessId,
    int ProcessVersion,
    string State,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string? EndOutcome,
    DateTimeOffset? AsOf,
    [property: JsonConverter(typeof(NullableIsoDurationConverter))] TimeSpan? CycleTime,
    [property: JsonConverter(typeof(IsoDurationConverter))] TimeSpan WorkTime,
    [property: JsonConverter(typeof(IsoDurationConverter))] TimeSpan WaitTime,
    [property: JsonConverter(typeof(IsoDurationConverter))] TimeSpan EventWaitTime,
    [property: JsonConverter(typeof(NullableIsoDurationConverter))] TimeSpan? TimeToFirstReaction,
    decimal Cost,
    decimal? Satisfaction,
    bool StayedOnHappyPath,
    bool TookAlternatePath,
    bool TookExceptionPath,
    bool TookReworkPath,
    StepFiguresDto[] Steps,
    BreachDto[] Breaches,
    PathEntryDto[] Path);

/// <summary>What one step took in one instance.</summary>
internal sealed record StepFiguresDto(
    string StepId,
    int Runs,
    [property: JsonConverter(typeof(IsoDurationConverter))] TimeSpan WorkTime,
    [property: JsonConverter(typeof(IsoDurationConverter))] TimeSpan WaitTime,
    [property: JsonConverter(typeof(IsoDurationConverter))] TimeSpan EventWaitTime,
    decimal Cost);

/// <summary>A missed deadline.</summary>
internal sealed record BreachDto(string? Deadline, string? StepId, int StepInstance, string? RoleId, DateTimeOffset Time);

/// <summary>A step the instance entered, in order.</summary>
internal sealed record PathEntryDto(string StepId, int StepInstance, DateTimeOffset EnteredAt, string? Outcome);
