namespace ProcessKit.Definitions;

/// <summary>The kind of a step. In JSON, the step's <c>kind</c> property holds one of these names.</summary>
public enum StepKind
{
    /// <summary>Work done by a person in a role: <see cref="HumanTaskStep"/>.</summary>
    HumanTask,

    /// <summary>Work done by the developer's code: <see cref="AutomatedStep"/>.</summary>
    Automated,

    /// <summary>An exclusive choice between flows: <see cref="DecisionStep"/>.</summary>
    Decision,

    /// <summary>Starts parallel branches: <see cref="ParallelSplitStep"/>.</summary>
    ParallelSplit,

    /// <summary>Waits for all branches of a parallel split: <see cref="ParallelJoinStep"/>.</summary>
    ParallelJoin,

    /// <summary>Starts every branch whose condition holds: <see cref="InclusiveSplitStep"/>.</summary>
    InclusiveSplit,

    /// <summary>Waits for the branches an inclusive split started: <see cref="InclusiveMergeStep"/>.</summary>
    InclusiveMerge,

    /// <summary>The first of several events wins: <see cref="EventChoiceStep"/>.</summary>
    EventChoice,

    /// <summary>Waits for a message: <see cref="WaitMessageStep"/>.</summary>
    WaitMessage,

    /// <summary>Waits for a time: <see cref="TimerStep"/>.</summary>
    Timer,

    /// <summary>Tells a role something: <see cref="NotificationStep"/>.</summary>
    Notification,

    /// <summary>Runs another process: <see cref="SubProcessStep"/>.</summary>
    SubProcess,

    /// <summary>Ends a path, or the instance: <see cref="EndStep"/>.</summary>
    End,
}
