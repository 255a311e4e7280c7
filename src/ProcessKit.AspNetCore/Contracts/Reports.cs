using System.Text.Json.Serialization;

namespace ProcessKit.AspNetCore.Contracts;

/// <summary>A process report over many instances of one version.</summary>
internal sealed record ReportDto(
    string ProcessId,
    string ProcessName,
    int ProcessVersion,
    int Instances,
    int Running,
    int Completed,
    int Cancelled,
    int Failed,
    double? CompletionRate,
    [property: JsonConverter(typeof(NullableIsoDurationConverter))] TimeSpan? CycleTimeMean,
    [property: JsonConverter(typeof(NullableIsoDurationConverter))] TimeSpan? CycleTimeMedian,
    [property: JsonConverter(typeof(NullableIsoDurationConverter))] TimeSpan? CycleTime90thPercentile,
    [property: JsonConverter(typeof(NullableIsoDurationConverter))] TimeSpan? MeanTimeToFirstReaction,
    int ReactedInstances,
    decimal TotalCost,
    decimal? MeanCost,
    decimal? MeanSatisfaction,
    int RatedInstances,
    int Breaches,
    int BreachedInstances,
    double? BreachRate,
    CountDto[] Outcomes,
    CountDto[] BreachesByRole,
    CountDto[] BreachesByDeadline,
    StepSummaryDto[] Steps,
    StepSummaryDto[] LongestWaits);

/// <summary>A name and how often it occurred.</summary>
internal sealed record CountDto(string Name, int Count);

/// <summary>One step over every instance of the report.</summary>
internal sealed record StepSummaryDto(
    string StepId,
    string StepName,
    string? RoleId,
    int Instances,
    int Runs,
    [property: JsonConverter(typeof(IsoDurationConverter))] TimeSpan TotalWorkTime,
    [property: JsonConverter(typeof(IsoDurationConverter))] TimeSpan TotalWaitTime,
    [property: JsonConverter(typeof(IsoDurationConverter))] TimeSpan TotalEventWaitTime,
    [property: JsonConverter(typeof(IsoDurationConverter))] TimeSpan MeanWorkTime,
    [property: JsonConverter(typeof(IsoDurationConverter))] TimeSpan MeanWaitTime,
    [property: JsonConverter(typeof(IsoDurationConverter))] TimeSpan MeanEventWaitTime,
    decimal TotalCost,
    decimal MeanCost);
