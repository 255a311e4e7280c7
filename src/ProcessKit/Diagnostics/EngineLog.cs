using Microsoft.Extensions.Logging;

namespace ProcessKit.Diagnostics;

/// <summary>The engine's log events, with stable ids (the table in docs/telemetry.md).</summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = 1, EventName = "DefinitionDeployed", Level = LogLevel.Information, Message = "Deployed the process '{ProcessId}' version {Version}")]
    public static partial void DefinitionDeployed(ILogger logger, string processId, int version);

    [LoggerMessage(EventId = 10, EventName = "JobRetryScheduled", Level = LogLevel.Warning, Message = "The step '{StepId}' of the instance {Instance} failed on attempt {Attempt}; attempt {NextAttempt} is scheduled for {DueAt:O}: {Error}")]
    public static partial void JobRetryScheduled(ILogger logger, long instance, string stepId, int attempt, int nextAttempt, DateTimeOffset dueAt, string error);

    [LoggerMessage(EventId = 11, EventName = "IncidentRaised", Level = LogLevel.Warning, Message = "Incident at the step '{StepId}' (run {StepInstance}) of the instance {Instance} of '{ProcessId}': {Error}")]
    public static partial void IncidentRaised(ILogger logger, long instance, string processId, string stepId, int stepInstance, string error);

    [LoggerMessage(EventId = 12, EventName = "TimerFiredLate", Level = LogLevel.Warning, Message = "A timer of the instance {Instance} fired {Lateness} after its due time {DueAt:O}")]
    public static partial void TimerFiredLate(ILogger logger, long instance, TimeSpan lateness, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 13, EventName = "CommitConflictRetried", Level = LogLevel.Debug, Message = "The store refused a commit on the instance {Instance} (attempt {Attempt}): the instance moved on; the command is retried")]
    public static partial void CommitConflictRetried(ILogger logger, long instance, int attempt);
}
