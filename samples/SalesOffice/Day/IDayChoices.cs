using ProcessKit.Execution;
using ProcessKit.Messaging;
using ProcessKit.Samples.SalesOffice.Crm;
using ProcessKit.Tasks;

namespace ProcessKit.Samples.SalesOffice.Day;

/// <summary>
/// What the simulated people and the outside world do during a day: how long a task takes, which
/// outcome and data it is completed with, and which message (if any) answers a wait, and when.
/// </summary>
internal interface IDayChoices
{
    /// <summary>How long <paramref name="person"/> works on the task (claimed at the start, completed at the end).</summary>
    /// <param name="visit">1 the first time the instance reaches the task's step, 2 the second time, ...</param>
    TimeSpan WorkTime(HumanTaskInfo task, StaffMember person, int visit);

    /// <summary>The outcome and data the task is completed with.</summary>
    TaskChoice Complete(HumanTaskInfo task, InstanceSnapshot instance, int visit, DateTimeOffset now);

    /// <summary>The message that answers a wait the instance has just entered, and after how long; <see langword="null"/> when none comes.</summary>
    /// <param name="waitStep">The waiting step (<c>waitReply</c>, <c>waitDelivered</c> or <c>waitRating</c>).</param>
    WorldReaction? React(string waitStep, InstanceSnapshot instance, DateTimeOffset now);
}

/// <summary>How a task is completed.</summary>
internal sealed record TaskChoice(string? Outcome, IReadOnlyDictionary<string, object?>? Data = null);

/// <summary>A message from outside (the client, the warehouse) that arrives after a delay.</summary>
internal sealed record WorldReaction(TimeSpan After, ProcessMessage Message);
