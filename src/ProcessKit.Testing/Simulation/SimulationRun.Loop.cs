using ProcessKit.Analytics;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Messaging;
using ProcessKit.Tasks;

namespace ProcessKit.Testing.Simulation;

/// <content>The event loop.</content>
internal sealed partial class SimulationRun
{
    private const int ProgressEvery = 500;

    private readonly PriorityQueue<SimEvent, (long Ticks, long Sequence)> _events = new();
    private readonly Dictionary<long, Track> _instances = [];
    private readonly Dictionary<long, int> _taskOccurrence = [];
    private readonly List<long> _instanceOrder = [];
    private long _sequence;
    private long _nextTask = 1;
    private bool _hasWaits;
    private bool _timersReachWaits;
    private int _currentArrival;
    private DataField[]? _startInputs;

    private enum EventKind
    {
        Arrival,
        WorkDone,
        Message,
    }

    public async ValueTask<SimulationReport> RunAsync(CancellationToken cancellationToken)
    {
        _hasWaits = _definition.Steps.Any(static s => s.Kind == StepKind.WaitMessage);
        _timersReachWaits = _hasWaits && TimersReachWaits(_definition);
        var start = _options.StartTime.UtcTicks;
        var stop = start + (_arrivals.Length == 0 ? 0 : _arrivals[^1]) + Math.Min(_options.MaxDuration.Ticks, DateTimeOffset.MaxValue.UtcTicks / 4);
        if (_arrivals.Length > 0)
        {
            Schedule(start + _arrivals[0], new SimEvent(EventKind.Arrival, 0, null, 0, 0, null));
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long? next = _events.TryPeek(out _, out var key) ? key.Ticks : null;
            var due = _engine.NextDueTime?.UtcTicks;
            if (next is null && due is null)
            {
                break;
            }

            var timers = due is { } d && (next is null || d <= next.Value);
            var at = timers ? due!.Value : next!.Value;
            if (at > stop)
            {
                break;
            }

            if (at > _clock.Now.UtcTicks)
            {
                _clock.Now = new DateTimeOffset(at, TimeSpan.Zero);
            }

            if (timers)
            {
                await _engine.RunDueAsync(cancellationToken).ConfigureAwait(false);
                await ProbeTasksAsync(cancellationToken).ConfigureAwait(false);
                if (_timersReachWaits)
                {
                    foreach (var id in _instanceOrder)
                    {
                        await RefreshWaitsAsync(id, cancellationToken).ConfigureAwait(false);
                    }
                }

                continue;
            }

            var e = _events.Dequeue();
            switch (e.Kind)
            {
                case EventKind.Arrival:
                    await ArriveAsync(e.Arrival, start, cancellationToken).ConfigureAwait(false);
                    break;
                case EventKind.WorkDone:
                    await WorkDoneAsync(e.Person!, e.TaskId, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await DeliverAsync(e.Instance, e.StepId!, e.Occurrence, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        return await ReportAsync(stop, cancellationToken).ConfigureAwait(false);
    }

    private void Schedule(long ticks, SimEvent e) => _events.Enqueue(e, (ticks, _sequence++));

    private async ValueTask ArriveAsync(int arrival, long start, CancellationToken cancellationToken)
    {
        var data = StartData(arrival);
        _currentArrival = arrival;
        var id = await _engine.StartAsync(_definition.Id, data, null, cancellationToken).ConfigureAwait(false);
        _instances[id.Value] = new Track(arrival);
        _instanceOrder.Add(id.Value);
        if (arrival + 1 < _arrivals.Length)
        {
            Schedule(start + _arrivals[arrival + 1], new SimEvent(EventKind.Arrival, arrival + 1, null, 0, 0, null));
        }

        if ((arrival + 1) % ProgressEvery == 0 || arrival + 1 == _arrivals.Length)
        {
            _options.Progress?.Report(new SimulationProgress(_arrivals.Length, arrival + 1, 0));
        }

        await AfterCommandAsync(id.Value, cancellationToken).ConfigureAwait(false);
    }

    private IReadOnlyDictionary<string, object?>? StartData(int arrival)
    {
        if (_options.StartData is { } factory)
        {
            return factory(arrival, new Random(SimulationRandom.SeedFor(_seed, SimulationRandom.StartData, arrival)));
        }

        var inputs = _startInputs ??= [.. _definition.Suppliers.SelectMany(static s => s.Inputs).Where(static i => i.Required)];
        if (inputs.Length == 0)
        {
            return null;
        }

        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < inputs.Length; i++)
        {
            var u = SimulationRandom.Uniform(_seed, SimulationRandom.StartData, arrival, i);
            data[inputs[i].Name] = FieldValues.Generate(inputs[i], u, arrival, _clock.Now, _assigneeFields.GetValueOrDefault(inputs[i].Name));
        }

        return data;
    }

    private int ArrivalOf(long instance) => _instances.TryGetValue(instance, out var track) ? track.Arrival : _currentArrival;

    /// <summary>After a command on an instance: offer the tasks it opened, and send the messages its new waits expect.</summary>
    private async ValueTask AfterCommandAsync(long instance, CancellationToken cancellationToken)
    {
        await ProbeTasksAsync(cancellationToken).ConfigureAwait(false);
        if (_hasWaits)
        {
            await RefreshWaitsAsync(instance, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Offers every task opened since the last look. The in-memory store numbers tasks in order, so
    /// the new ones follow the last one seen; reading them by id finds the tasks a timer opened
    /// without knowing which instance it fired for.
    /// </summary>
    private async ValueTask ProbeTasksAsync(CancellationToken cancellationToken)
    {
        while (_store.FindTask(_nextTask) is { } task)
        {
            _nextTask++;
            if (task.IsOpen && _steps.TryGetValue(task.StepId, out var plan) && _instances.TryGetValue(task.Instance.Value, out var track))
            {
                _taskOccurrence[task.TaskId] = track.Next(plan.Index);
                await OfferAsync(task, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask OfferAsync(HumanTaskInfo task, CancellationToken cancellationToken)
    {
        if (task.AssignedTo is { } user)
        {
            // Someone the simulation does not have: the task waits for ever (the instance shows as running).
            if (_people.TryGetValue(user, out var person))
            {
                if (person.Busy || await TryStartAsync(person, task.TaskId, cancellationToken).ConfigureAwait(false) != Claim.Started)
                {
                    person.Assigned.Add(task.TaskId);
                }
                else
                {
                    person.Desk.Free.Remove(person);
                }
            }

            return;
        }

        if (!_roles.TryGetValue(task.Role, out var desk))
        {
            return;
        }

        for (var i = 0; i < desk.Free.Count; i++)
        {
            var person = desk.Free[i];
            var claim = await TryStartAsync(person, task.TaskId, cancellationToken).ConfigureAwait(false);
            if (claim == Claim.Started)
            {
                desk.Free.RemoveAt(i);
                return;
            }

            if (claim == Claim.Gone)
            {
                return;
            }
        }

        desk.Offered.Add(task.TaskId);
    }

    private enum Claim
    {
        Started,
        Gone,
        Refused,
    }

    private async ValueTask<Claim> TryStartAsync(Person person, long taskId, CancellationToken cancellationToken)
    {
        try
        {
            await _engine.ClaimTaskAsync(taskId, person.User, cancellationToken).ConfigureAwait(false);
        }
        catch (ProcessAuthorizationException)
        {
            return Claim.Refused;
        }
        catch (Exception ex) when (ex is InvalidCommandException or ProcessNotFoundException)
        {
            _taskOccurrence.Remove(taskId);
            return Claim.Gone;
        }

        var task = _store.FindTask(taskId)!;
        var plan = _steps[task.StepId];
        var arrival = ArrivalOf(task.Instance.Value);
        var occurrence = _taskOccurrence.GetValueOrDefault(taskId);
        var work = plan.Work!.Sample(
            SimulationRandom.Uniform(_seed, SimulationRandom.WorkTime, arrival, plan.Index, occurrence, 0),
            SimulationRandom.Uniform(_seed, SimulationRandom.WorkTime, arrival, plan.Index, occurrence, 1));
        person.Busy = true;
        person.BusySince = _clock.Now.UtcTicks;
        Schedule(person.BusySince + work.Ticks, new SimEvent(EventKind.WorkDone, 0, person, taskId, 0, null));
        return Claim.Started;
    }

    private async ValueTask WorkDoneAsync(Person person, long taskId, CancellationToken cancellationToken)
    {
        person.Busy = false;
        person.BusyTime += TimeSpan.FromTicks(_clock.Now.UtcTicks - person.BusySince);
        var task = _store.FindTask(taskId);
        if (task is { State: TaskState.Claimed } && string.Equals(task.ClaimedBy, person.Id, StringComparison.Ordinal))
        {
            var plan = _steps[task.StepId];
            var arrival = ArrivalOf(task.Instance.Value);
            var occurrence = _taskOccurrence.GetValueOrDefault(taskId);
            var outcome = plan.Outcome(SimulationRandom.Uniform(_seed, SimulationRandom.Outcome, arrival, plan.Index, occurrence));
            var data = GenerateData(plan, SimulationRandom.TaskData, arrival, occurrence);
            if (_options.OnTaskCompleting is { } callback)
            {
                var snapshot = await _engine.GetInstanceAsync(task.Instance, cancellationToken).ConfigureAwait(false);
                data ??= new Dictionary<string, object?>(StringComparer.Ordinal);
                var context = new SimulationTaskContext(task, person.Id, outcome, data, snapshot.Data, new Random(SimulationRandom.SeedFor(_seed, SimulationRandom.TaskData, arrival, plan.Index, occurrence)), arrival);
                callback(context);
                outcome = context.Outcome;
            }

            var completed = false;
            try
            {
                await _engine.CompleteTaskAsync(taskId, person.User, outcome, data, cancellationToken).ConfigureAwait(false);
                completed = true;
            }
            catch (InvalidCommandException ex) when (ex.ErrorCode is ProcessErrorCodes.TaskClosed or ProcessErrorCodes.InstanceEnded)
            {
                // Cancelled while the person worked on it (an interrupting escalation, a lost event choice): the work is lost.
            }
            catch (InvalidCommandException ex) when (ex.ErrorCode is ProcessErrorCodes.TaskDataInvalid or ProcessErrorCodes.UnknownOutcome)
            {
                throw new InvalidOperationException(
                    $"The simulated completion of the task at step '{task.StepId}' was refused: {ex.Message} Give the data it needs with SimulationOptions.OnTaskCompleting.",
                    ex);
            }

            _taskOccurrence.Remove(taskId);
            if (completed)
            {
                person.Desk.TasksCompleted++;
                await AfterCommandAsync(task.Instance.Value, cancellationToken).ConfigureAwait(false);
            }
        }

        await FindWorkAsync(person, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A person is free: their own tasks first, then the role's, in the chosen order; else they wait.</summary>
    private async ValueTask FindWorkAsync(Person person, CancellationToken cancellationToken)
    {
        if (person.Busy)
        {
            return;
        }

        while (person.Assigned.Count > 0)
        {
            var id = Pick(person.Assigned);
            person.Assigned.Remove(id);
            if (await TryStartAsync(person, id, cancellationToken).ConfigureAwait(false) == Claim.Started)
            {
                return;
            }
        }

        var offered = person.Desk.Offered;
        List<long>? refused = null;
        try
        {
            while (offered.Count > 0)
            {
                var id = Pick(offered);
                offered.Remove(id);
                var claim = await TryStartAsync(person, id, cancellationToken).ConfigureAwait(false);
                if (claim == Claim.Started)
                {
                    return;
                }

                if (claim == Claim.Refused)
                {
                    await RerouteAsync(id, person, refused ??= [], cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (refused is not null)
            {
                offered.UnionWith(refused);
            }
        }

        if (!person.Desk.Free.Contains(person))
        {
            person.Desk.Free.Add(person);
        }
    }

    /// <summary>A claim was refused: the task was reassigned since it was offered, or separation of duties bars this person.</summary>
    private async ValueTask RerouteAsync(long taskId, Person person, List<long> barred, CancellationToken cancellationToken)
    {
        if (_store.FindTask(taskId) is not { IsOpen: true } task)
        {
            return;
        }

        if ((task.AssignedTo is { } user && !string.Equals(user, person.Id, StringComparison.Ordinal))
            || !string.Equals(task.Role, person.Desk.Role.Id, StringComparison.Ordinal))
        {
            await OfferAsync(task, cancellationToken).ConfigureAwait(false);
            return;
        }

        barred.Add(taskId);
    }

    private long Pick(SortedSet<long> tasks) =>
        _options.TaskOrder == SimulationTaskOrder.NewestFirst ? tasks.Max : tasks.Min;

    private async ValueTask RefreshWaitsAsync(long instance, CancellationToken cancellationToken)
    {
        if (!_instances.TryGetValue(instance, out var track) || track.Ended)
        {
            return;
        }

        var snapshot = await _engine.GetInstanceAsync(new InstanceId(instance), cancellationToken).ConfigureAwait(false);
        if (snapshot.State != InstanceState.Running)
        {
            track.Ended = true;
            track.Waits = null;
            return;
        }

        track.Waits?.RemoveWhere(w => !snapshot.ActiveSteps.Contains(w));
        foreach (var stepId in snapshot.ActiveSteps)
        {
            if (_steps.TryGetValue(stepId, out var plan) && plan.Message is not null && !(track.Waits?.Contains(stepId) ?? false))
            {
                (track.Waits ??= new HashSet<string>(StringComparer.Ordinal)).Add(stepId);
                var occurrence = track.Next(plan.Index);
                if (plan.NoMessage > 0 && SimulationRandom.Uniform(_seed, SimulationRandom.NoMessage, track.Arrival, plan.Index, occurrence) < plan.NoMessage)
                {
                    continue;
                }

                var delay = plan.Delay!.Sample(
                    SimulationRandom.Uniform(_seed, SimulationRandom.MessageDelay, track.Arrival, plan.Index, occurrence, 0),
                    SimulationRandom.Uniform(_seed, SimulationRandom.MessageDelay, track.Arrival, plan.Index, occurrence, 1));
                Schedule(_clock.Now.UtcTicks + delay.Ticks, new SimEvent(EventKind.Message, 0, null, 0, instance, stepId, occurrence));
            }
        }
    }

    private async ValueTask DeliverAsync(long instance, string stepId, int occurrence, CancellationToken cancellationToken)
    {
        var track = _instances[instance];
        var id = new InstanceId(instance);
        var snapshot = await _engine.GetInstanceAsync(id, cancellationToken).ConfigureAwait(false);
        if (snapshot.State != InstanceState.Running || !snapshot.ActiveSteps.Contains(stepId))
        {
            // The wait ended without the message (a timeout, the other branch of an event choice).
            track.Waits?.Remove(stepId);
            await RefreshWaitsAsync(instance, cancellationToken).ConfigureAwait(false);
            return;
        }

        var plan = _steps[stepId];
        var wait = (WaitMessageStep)plan.Step;
        var payload = GenerateData(plan, SimulationRandom.Payload, track.Arrival, occurrence);
        if (_options.OnMessage is { } callback)
        {
            payload ??= new Dictionary<string, object?>(StringComparer.Ordinal);
            callback(new SimulationMessageContext(id, track.Arrival, stepId, wait.Message, payload, snapshot.Data, new Random(SimulationRandom.SeedFor(_seed, SimulationRandom.Payload, track.Arrival, plan.Index, occurrence))));
        }

        var message = new ProcessMessage(wait.Message) { Instance = id, CorrelationKey = CorrelationKey(wait, snapshot.Data), Payload = payload };
        if (await _engine.PublishMessageAsync(message, cancellationToken).ConfigureAwait(false) == MessageOutcome.Delivered)
        {
            track.Waits?.Remove(stepId);
        }

        // Not delivered (the wait expects another key): the step stays in Waits, so no message is
        // sent to it again and it ends by its timeout, if it has one.
        await AfterCommandAsync(instance, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The key the wait expects: the value of the field its correlation names (or of its lambda).</summary>
    private static string? CorrelationKey(WaitMessageStep wait, IReadOnlyDictionary<string, object?> data)
    {
        if (wait.Correlation is not { } correlation)
        {
            return null;
        }

        var value = correlation.Lambda is { } lambda ? lambda(data) : data.GetValueOrDefault(correlation.Text.Trim());
        return Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Whether a timer (a timer step, a timeout, an escalation's path, a job) can lead to a message
    /// wait without a person or a message in between: only then must the simulation look at every
    /// instance after timers fire, to send the messages those waits expect.
    /// </summary>
    private static bool TimersReachWaits(ProcessDefinition definition)
    {
        var steps = definition.Steps.ToDictionary(static s => s.Id, StringComparer.Ordinal);
        var starts = new List<string>();
        foreach (var step in definition.Steps)
        {
            if (step is TimerStep or AutomatedStep)
            {
                starts.AddRange(step.Flows.Select(static f => f.To));
            }

            if (step is WaitMessageStep { Timeout: { } timeout })
            {
                starts.Add(timeout.To);
            }

            var escalations = step switch
            {
                HumanTaskStep t => t.Escalations,
                WaitMessageStep w => w.Escalations,
                _ => default,
            };
            starts.AddRange(escalations.Select(static e => e.To).OfType<string>());
        }

        starts.AddRange(definition.Deadlines.SelectMany(static d => d.Escalations).Select(static e => e.To).OfType<string>());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(starts);
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (!seen.Add(id) || !steps.TryGetValue(id, out var step))
            {
                continue;
            }

            switch (step.Kind)
            {
                case StepKind.WaitMessage:
                    return true;
                case StepKind.HumanTask or StepKind.Timer or StepKind.End or StepKind.SubProcess:
                    break;
                default:
                    foreach (var flow in step.Flows)
                    {
                        stack.Push(flow.To);
                    }

                    break;
            }
        }

        return false;
    }

    private async ValueTask<SimulationReport> ReportAsync(long stop, CancellationToken cancellationToken)
    {
        // Ended instances are measured as they are read, one history at a time; running ones are
        // measured after, at the time the last instance ended or the simulation stopped.
        var characteristics = new InstanceCharacteristics?[_instanceOrder.Count];
        var end = _options.StartTime.UtcTicks;
        List<int>? running = null;
        for (var i = 0; i < _instanceOrder.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var history = await _engine.GetHistoryAsync(new InstanceId(_instanceOrder[i]), cancellationToken).ConfigureAwait(false);
            end = Math.Max(end, history[^1].Time.UtcTicks);
            if (history[^1].Type is History.HistoryEventType.InstanceCompleted or History.HistoryEventType.InstanceCancelled or History.HistoryEventType.InstanceFailed)
            {
                // The report does not read the path; dropping it halves what 100,000 instances keep.
                characteristics[i] = Measured(ProcessAnalytics.Characteristics(_definition, history));
            }
            else
            {
                (running ??= []).Add(i);
            }

            if ((i + 1) % ProgressEvery == 0 || i + 1 == _instanceOrder.Count)
            {
                _options.Progress?.Report(new SimulationProgress(_arrivals.Length, _arrivals.Length, i + 1));
            }
        }

        if (running is not null)
        {
            end = Math.Max(end, Math.Min(_clock.Now.UtcTicks, stop));
            var asOf = new DateTimeOffset(end, TimeSpan.Zero);
            foreach (var i in running)
            {
                var history = await _engine.GetHistoryAsync(new InstanceId(_instanceOrder[i]), cancellationToken).ConfigureAwait(false);
                characteristics[i] = Measured(ProcessAnalytics.Characteristics(_definition, history, asOf));
            }
        }

        var endTime = new DateTimeOffset(end, TimeSpan.Zero);
        var all = characteristics.Select(static c => c!).ToList();
        var completed = all.Where(static c => c.State == InstanceState.Completed).ToList();
        var span = end - _options.StartTime.UtcTicks;
        return new SimulationReport
        {
            Process = ProcessAnalytics.Report(_definition, all),
            Seed = _seed,
            StartTime = _options.StartTime,
            EndTime = endTime,
            MeanWorkTime = Mean(completed, static c => c.WorkTime),
            MeanWaitTime = Mean(completed, static c => c.WaitTime),
            MeanEventWaitTime = Mean(completed, static c => c.EventWaitTime),
            Roles = [.. _definition.Roles.Select(r => Utilization(_roles[r.Id], span))],
            StubbedHandlers = [.. _stubbed.Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>Hands the full figures to <see cref="SimulationOptions.OnInstanceMeasured"/>, then keeps them without the path.</summary>
    private InstanceCharacteristics Measured(InstanceCharacteristics characteristics)
    {
        _options.OnInstanceMeasured?.Invoke(characteristics);
        return characteristics with { Path = default };
    }

    private RoleUtilization Utilization(RoleDesk desk, long span)
    {
        var busy = TimeSpan.Zero;
        foreach (var person in desk.People)
        {
            busy += person.BusyTime;
            if (person.Busy)
            {
                // Still at work when the run stopped: count the work up to then.
                busy += TimeSpan.FromTicks(Math.Max(0, Math.Min(_clock.Now.UtcTicks, _options.StartTime.UtcTicks + span) - person.BusySince));
            }
        }

        return new RoleUtilization
        {
            RoleId = desk.Role.Id,
            RoleName = desk.Role.Name,
            People = desk.People.Count,
            TasksCompleted = desk.TasksCompleted,
            BusyTime = busy,
            Utilization = desk.People.Count == 0 || span <= 0 ? null : Math.Min(1d, busy.Ticks / ((double)span * desk.People.Count)),
        };
    }

    private static TimeSpan? Mean(List<InstanceCharacteristics> instances, Func<InstanceCharacteristics, TimeSpan> value)
    {
        if (instances.Count == 0)
        {
            return null;
        }

        decimal total = 0;
        foreach (var instance in instances)
        {
            total += value(instance).Ticks;
        }

        return TimeSpan.FromTicks((long)decimal.Round(total / instances.Count, MidpointRounding.AwayFromZero));
    }

    private readonly record struct SimEvent(EventKind Kind, int Arrival, Person? Person, long TaskId, long Instance, string? StepId, int Occurrence = 0);
}
