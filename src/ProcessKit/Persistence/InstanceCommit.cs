using ProcessKit.Execution;
using ProcessKit.Messaging;
using ProcessKit.Scheduling;
using ProcessKit.Tasks;

namespace ProcessKit.Persistence;

/// <summary>
/// Everything one command changes, applied by the store at once or not at all: the instance (its
/// version one more than <see cref="ExpectedVersion"/>), tasks, subscriptions, timers, consumed
/// buffered messages and the message id seen.
/// </summary>
/// <remarks>Built by one command on one thread; not thread-safe.</remarks>
internal sealed class InstanceCommit
{
    public InstanceRecord Instance { get; set; } = null!;

    /// <summary>The version the instance had when loaded; 0 creates it.</summary>
    public long ExpectedVersion { get; set; }

    public List<HumanTaskInfo>? Tasks { get; set; }

    public List<Subscription>? Subscribe { get; set; }

    public List<Subscription>? Unsubscribe { get; set; }

    public List<TimerRecord>? Timers { get; set; }

    /// <summary>The earliest due time of <see cref="Timers"/>, or <see cref="long.MaxValue"/> when there are none; lets the engine wake a sleeping host with one comparison.</summary>
    public long EarliestDueTicks { get; private set; } = long.MaxValue;

    public List<BufferedMessage>? Consumed { get; set; }

    public List<Incident>? Incidents { get; set; }

    public List<Incident>? ResolvedIncidents { get; set; }

    public string? MessageId { get; set; }

    /// <summary>The taken timer this command fires: a durable store deletes it in the same transaction, and refuses the commit when it no longer holds the timer's lease.</summary>
    public TimerRecord? FiredTimer { get; set; }

    public long MessageIdExpiresTicks { get; set; }

    /// <summary>For a start with a caller's request id: stored with the new instance, and the commit is refused when the id is already stored.</summary>
    public StartRequestRecord? StartRequest { get; set; }

    /// <summary>Empties the commit for a command on <paramref name="instance"/>, keeping its lists for reuse.</summary>
    public void Reset(InstanceRecord instance, long expectedVersion)
    {
        Clear();
        Instance = instance;
        ExpectedVersion = expectedVersion;
        MessageId = null;
        MessageIdExpiresTicks = 0;
        FiredTimer = null;
        StartRequest = null;
    }

    public void Clear()
    {
        Tasks?.Clear();
        Subscribe?.Clear();
        Unsubscribe?.Clear();
        Timers?.Clear();
        EarliestDueTicks = long.MaxValue;
        Consumed?.Clear();
        Incidents?.Clear();
        ResolvedIncidents?.Clear();
    }

    public void AddTimer(TimerRecord timer)
    {
        (Timers ??= []).Add(timer);
        EarliestDueTicks = Math.Min(EarliestDueTicks, timer.DueTicks);
    }

    public void Add(HumanTaskInfo task)
    {
        var tasks = Tasks ??= [];
        for (var i = 0; i < tasks.Count; i++)
        {
            if (tasks[i].TaskId == task.TaskId)
            {
                tasks[i] = task;
                return;
            }
        }

        tasks.Add(task);
    }

    public HumanTaskInfo? PendingTask(long taskId)
    {
        if (Tasks is { } tasks)
        {
            foreach (var task in tasks)
            {
                if (task.TaskId == taskId)
                {
                    return task;
                }
            }
        }

        return null;
    }
}
