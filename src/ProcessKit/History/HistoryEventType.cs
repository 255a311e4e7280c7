namespace ProcessKit.History;

/// <summary>The lifecycle change a <see cref="HistoryEvent"/> records.</summary>
public enum HistoryEventType
{
    /// <summary>An instance started (by hand, by a message or by a timer).</summary>
    InstanceStarted,

    /// <summary>An instance reached its end: no path left, or a terminating end step. <see cref="HistoryEvent.Detail"/> is the end outcome; <see cref="HistoryEvent.Value"/> the satisfaction score when the definition names a satisfaction field and the data holds a number there.</summary>
    InstanceCompleted,

    /// <summary>An instance was cancelled through the API.</summary>
    InstanceCancelled,

    /// <summary>An instance stopped because of an incident it cannot get past (for example a step budget exceeded).</summary>
    InstanceFailed,

    /// <summary>A token entered a step (the step is scheduled). <see cref="HistoryEvent.Path"/> is the kind of the flow that led here.</summary>
    StepEntered,

    /// <summary>A step completed. <see cref="HistoryEvent.Cost"/> holds its cost: the fixed step cost, plus for human tasks the role's hourly rate times the work time. <see cref="HistoryEvent.Detail"/> is the outcome of a human task.</summary>
    StepCompleted,

    /// <summary>A step was cancelled (an interrupting escalation, an event choice lost, a terminating end, a cancelled instance).</summary>
    StepCancelled,

    /// <summary>A human task was created and offered to a role (<see cref="HistoryEvent.RoleId"/>).</summary>
    TaskCreated,

    /// <summary>A human task was assigned to a user by its allocation (<see cref="HistoryEvent.UserId"/>).</summary>
    TaskAssigned,

    /// <summary>A user claimed a human task: waiting ends, work starts.</summary>
    TaskClaimed,

    /// <summary>A user released a claimed task back to its role.</summary>
    TaskReleased,

    /// <summary>A task was delegated to another user (<see cref="HistoryEvent.Detail"/> is the new user).</summary>
    TaskDelegated,

    /// <summary>A deadline passed: of a task, of a message wait, or of a span (<see cref="HistoryEvent.Detail"/> names the deadline).</summary>
    DeadlineBreached,

    /// <summary>An escalation fired (<see cref="HistoryEvent.Detail"/> is its action).</summary>
    Escalated,

    /// <summary>A message was received by a waiting step or started the instance (<see cref="HistoryEvent.Detail"/> is the message name).</summary>
    MessageReceived,

    /// <summary>A timer fired.</summary>
    TimerFired,

    /// <summary>A notification was sent to a role.</summary>
    NotificationSent,

    /// <summary>An attempt of an automated step failed (<see cref="HistoryEvent.Detail"/> is the error).</summary>
    JobFailed,

    /// <summary>An incident was raised: an automated step failed after its last retry, or a step budget ran out.</summary>
    IncidentRaised,

    /// <summary>An incident was resolved or retried.</summary>
    IncidentResolved,
}
