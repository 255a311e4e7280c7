using Microsoft.Extensions.Time.Testing;
using ProcessKit.Execution;
using ProcessKit.Messaging;
using ProcessKit.Samples.SalesOffice.Contacts;
using ProcessKit.Samples.SalesOffice.Crm;
using ProcessKit.Tasks;

namespace ProcessKit.Samples.SalesOffice.Day;

/// <summary>
/// Plays a day of the sales office on fake time against a real engine: contacts arrive as messages
/// (each starts the process), the staff take the tasks they may act on (oldest first, their own
/// assigned ones before the role's), work on them for the time <see cref="IDayChoices"/> says and
/// complete them, the outside world answers waits (replies, deliveries, ratings), and due timers fire
/// (deadlines, reminders, timeouts). The day's leads are followed until every instance ends, or until
/// <see cref="Until"/>.
/// </summary>
/// <remarks>
/// The driver moves the clock and runs the engine's due work itself, one event time after another, so
/// a host that runs it must not run the background worker at the same time. Not thread-safe.
/// </remarks>
internal sealed class SalesDay(ProcessEngine engine, FakeTimeProvider clock, CrmDatabase crm, SalesStaff staff, IDayChoices choices)
{
    private static readonly string[] WaitSteps = ["waitReply", "waitDelivered", "waitRating"];

    private readonly Dictionary<StaffMember, Work> _busy = [];
    private readonly Dictionary<(long Instance, string Step), int> _visits = [];
    private readonly HashSet<(long Instance, string Step)> _answered = [];
    private readonly PriorityQueue<WorldReaction, (DateTimeOffset Time, long Order)> _world = new();
    private readonly HashSet<long> _running = [];
    private long _worldOrder;

    /// <summary>When the staff start work each day (UTC). Default 09:00.</summary>
    public TimeSpan WorkdayStart { get; init; } = TimeSpan.FromHours(9);

    /// <summary>When the staff stop taking new tasks each day (UTC); a task started before is finished. Default 18:00.</summary>
    public TimeSpan WorkdayEnd { get; init; } = TimeSpan.FromHours(18);

    /// <summary>When the driver stops following the day's instances even if some still run. Default: 30 days after the first contact.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Plays the day.</summary>
    /// <returns>When the day started (the first contact, or the clock if later) and ended (the last event).</returns>
    public async Task<(DateTimeOffset Started, DateTimeOffset Ended)> RunAsync(ContactDay day, CancellationToken cancellationToken)
    {
        var arrivals = new Queue<IncomingContact>(day.Contacts);
        if (arrivals.TryPeek(out var first) && first.At > clock.GetUtcNow())
        {
            clock.SetUtcNow(first.At);
        }

        var started = clock.GetUtcNow();
        var limit = Until ?? started.AddDays(30);
        while (true)
        {
            var now = clock.GetUtcNow();
            await FireDueAsync(now, cancellationToken);
            var arrived = false;
            while (arrivals.TryPeek(out var contact) && contact.At <= now)
            {
                await ArriveAsync(arrivals.Dequeue(), day, cancellationToken);
                arrived = true;
            }

            if (arrived)
            {
                _running.UnionWith(await crm.LeadInstancesAsync(cancellationToken));
            }

            while (_world.TryPeek(out _, out var due) && due.Time <= now)
            {
                await engine.PublishMessageAsync(_world.Dequeue().Message, cancellationToken);
            }

            foreach (var (person, work) in _busy.Where(b => b.Value.Until <= now).OrderBy(static b => b.Value.Until).ThenBy(b => Rank(b.Key)).ToList())
            {
                _busy.Remove(person);
                await FinishAsync(person, work, now, cancellationToken);
            }

            if (engine.NextDueTime is { } again && again <= now)
            {
                continue;
            }

            await WatchWaitsAsync(now, cancellationToken);
            var waiting = await TakeWorkAsync(now, cancellationToken);
            var next = Min(
                arrivals.TryPeek(out var nextContact) ? nextContact.At : null,
                _world.TryPeek(out _, out var nextWorld) ? nextWorld.Time : null,
                _busy.Count == 0 ? null : _busy.Values.Min(static w => w.Until),
                engine.NextDueTime,
                waiting && !IsWorkingTime(now) ? NextWorkdayStart(now) : null);
            if (next is not { } time || time > limit)
            {
                if (next is not null && limit > now)
                {
                    clock.SetUtcNow(limit); // stopped with work left: measure the running instances then
                }

                break;
            }

            if (time > now)
            {
                clock.SetUtcNow(time);
            }
        }

        return (started, clock.GetUtcNow());
    }

    private async Task FireDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var round = 0; engine.NextDueTime is { } due && due <= now; round++)
        {
            if (round > 10_000)
            {
                throw new InvalidOperationException($"Timers kept falling due at {now:O}.");
            }

            await engine.RunDueAsync(cancellationToken);
        }
    }

    private async Task ArriveAsync(IncomingContact contact, ContactDay day, CancellationToken cancellationToken)
    {
        var payload = new Dictionary<string, object?>
        {
            ["contactName"] = contact.Name,
            ["channel"] = contact.Channel,
        };
        Add(payload, "phone", contact.Phone);
        Add(payload, "email", contact.Email);
        Add(payload, "request", contact.Request);
        Add(payload, "requestedDate", contact.RequestedDate);
        await engine.PublishMessageAsync(
            new ProcessMessage(SalesProcess.ContactMessage) { MessageId = $"{day.Date:yyyy-MM-dd}/{contact.Id}", Payload = payload },
            cancellationToken);

        static void Add(Dictionary<string, object?> payload, string field, object? value)
        {
            if (value is not null)
            {
                payload[field] = value;
            }
        }
    }

    private async Task FinishAsync(StaffMember person, Work work, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var instance = await engine.GetInstanceAsync(work.Task.Instance, cancellationToken);
        if (instance.State != InstanceState.Running)
        {
            return;
        }

        var choice = choices.Complete(work.Task, instance, work.Visit, now);
        try
        {
            await engine.CompleteTaskAsync(work.Task.TaskId, person.User, choice.Outcome, choice.Data, cancellationToken);
        }
        catch (ProcessKitException e) when (e.ErrorCode == ProcessErrorCodes.TaskClosed)
        {
            // Closed while the person worked on it (the instance moved on): the work is lost.
        }
    }

    /// <summary>Looks at every running instance: an ended one is dropped, a wait just entered gets its answer scheduled.</summary>
    private async Task WatchWaitsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var id in _running.Order().ToList())
        {
            var instance = await engine.GetInstanceAsync(new InstanceId(id), cancellationToken);
            if (instance.State != InstanceState.Running)
            {
                _running.Remove(id);
                continue;
            }

            foreach (var step in WaitSteps)
            {
                var key = (id, step);
                if (!instance.ActiveSteps.Contains(step))
                {
                    _answered.Remove(key);
                }
                else if (_answered.Add(key) && choices.React(step, instance, now) is { } reaction)
                {
                    _world.Enqueue(reaction, (now + reaction.After, _worldOrder++));
                }
            }
        }
    }

    /// <summary>Gives free people the oldest task they may act on. Returns whether tasks are left waiting for someone.</summary>
    private async Task<bool> TakeWorkAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var offered = (await engine.QueryTasksAsync(new TaskQuery { State = TaskState.Offered }, cancellationToken))
            .OrderBy(static t => t.CreatedAt)
            .ThenBy(static t => t.TaskId)
            .ToList();
        if (offered.Count == 0 || !IsWorkingTime(now))
        {
            return offered.Count > 0;
        }

        foreach (var person in staff.People)
        {
            if (_busy.ContainsKey(person))
            {
                continue;
            }

            var query = new TaskQuery { AvailableTo = person.User };
            var mine = offered.Where(query.Matches).OrderBy(t => t.AssignedTo == person.Id ? 0 : 1).ToList();
            foreach (var task in mine)
            {
                try
                {
                    await engine.ClaimTaskAsync(task.TaskId, person.User, cancellationToken);
                }
                catch (ProcessAuthorizationException)
                {
                    continue; // barred by separation of duties: leave it to someone else
                }

                offered.Remove(task);
                var key = (task.Instance.Value, task.StepId);
                var visit = _visits[key] = _visits.GetValueOrDefault(key) + 1;
                _busy[person] = new Work(task, visit, now + choices.WorkTime(task, person, visit));
                break;
            }
        }

        return offered.Count > 0;
    }

    private int Rank(StaffMember person)
    {
        for (var i = 0; i < staff.People.Count; i++)
        {
            if (staff.People[i] == person)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    private bool IsWorkingTime(DateTimeOffset time) => time.TimeOfDay >= WorkdayStart && time.TimeOfDay < WorkdayEnd;

    private DateTimeOffset NextWorkdayStart(DateTimeOffset time)
    {
        var midnight = new DateTimeOffset(time.UtcDateTime.Date, TimeSpan.Zero);
        return time.TimeOfDay < WorkdayStart ? midnight + WorkdayStart : midnight.AddDays(1) + WorkdayStart;
    }

    private static DateTimeOffset? Min(params DateTimeOffset?[] times) => times.Where(static t => t is not null).Min();

    private sealed record Work(HumanTaskInfo Task, int Visit, DateTimeOffset Until);
}
