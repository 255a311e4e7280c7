using System.Runtime.CompilerServices;
using ProcessKit.Diagnostics;
using ProcessKit.History;
using ProcessKit.Messaging;
using ProcessKit.Persistence;
using ProcessKit.Scheduling;
using ProcessKit.Tasks;

namespace ProcessKit.Execution;

/// <content>Commands: start, cancel, task actions, messages, timers.</content>
public sealed partial class ProcessEngine
{
    private enum CommandKind
    {
        Cancel,
        Claim,
        Release,
        Delegate,
        Complete,
        Deliver,
        Fire,
        RetryIncident,
        ResolveIncident,
        ChildEnded,
    }

    /// <summary>
    /// Starts an instance of the newest deployed version of a process and runs it to its first wait.
    /// </summary>
    /// <param name="processId">The process id.</param>
    /// <param name="data">The start data: fields the process declares (its supplier inputs are checked for presence and type). Optional.</param>
    /// <param name="businessKey">A key the host knows the instance by (an order number). Optional.</param>
    /// <param name="cancellationToken">Cancels the command (and the handlers it runs).</param>
    /// <returns>The new instance's id.</returns>
    /// <exception cref="ProcessNotFoundException">No such process is deployed.</exception>
    /// <exception cref="InvalidCommandException">The start data does not match the declared inputs (<see cref="ProcessErrorCodes.StartDataInvalid"/>); nothing is created.</exception>
    /// <remarks>Repeating a start after a store error may start a second instance; <see cref="StartAsync(StartRequest, CancellationToken)"/> with a request id is safe to repeat.</remarks>
    public ValueTask<InstanceId> StartAsync(string processId, IReadOnlyDictionary<string, object?>? data = null, string? businessKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(processId);
        var model = FindModel(processId, null)
            ?? throw new ProcessNotFoundException(ProcessErrorCodes.ProcessNotFound, $"No process '{processId}' is deployed.");
        return StartCoreAsync(new StartCommand(model, data, businessKey, TimeProvider.GetUtcNow()), cancellationToken);
    }

    /// <summary>
    /// Starts an instance of the newest deployed version of a process and runs it to its first wait; with a
    /// <see cref="StartRequest.RequestId"/>, at most once per id: a repeat of a start that was stored returns the instance
    /// it started, so a caller may repeat the start after any store error (<see cref="ProcessErrorCodes.StoreOutcomeUnknown"/>
    /// included) until it is answered. Thread-safe: concurrent starts with the same id make one instance.
    /// </summary>
    /// <param name="request">What to start: the process, start data, business key and request id.</param>
    /// <param name="cancellationToken">Cancels the command (and the handlers it runs).</param>
    /// <returns>The new instance's id, or the id of the instance an earlier start with the same request id made.</returns>
    /// <exception cref="ArgumentException">The process id is empty, or the request id is empty or white space.</exception>
    /// <exception cref="ProcessNotFoundException">No such process is deployed (checked only when the request id is new).</exception>
    /// <exception cref="InvalidCommandException">The start data does not match the declared inputs (<see cref="ProcessErrorCodes.StartDataInvalid"/>); nothing is created.</exception>
    /// <exception cref="StartRequestConflictException">The request id was used before with another process, business key or data (<see cref="ProcessErrorCodes.StartRequestConflict"/>); it names the instance that start made, and nothing is created.</exception>
    public ValueTask<InstanceId> StartAsync(StartRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestId is null)
        {
            return StartAsync(request.ProcessId, request.Data, request.BusinessKey, cancellationToken);
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(request.ProcessId);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.RequestId);
        return StartOnceAsync(request, request.RequestId, cancellationToken);
    }

    private async ValueTask<InstanceId> StartOnceAsync(StartRequest request, string requestId, CancellationToken cancellationToken)
    {
        var asked = new StartRequestRecord(requestId, default, StartFingerprint(request));
        if (await Store.FindStartRequestAsync(requestId, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return Repeated(asked, stored);
        }

        var model = FindModel(request.ProcessId, null)
            ?? throw new ProcessNotFoundException(ProcessErrorCodes.ProcessNotFound, $"No process '{request.ProcessId}' is deployed.");
        return await StartCoreAsync(new StartCommand(model, request.Data, request.BusinessKey, TimeProvider.GetUtcNow()) { Request = asked }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The instance of a stored start with the same request id: the caller's when it asked for the same, else an error naming it.</summary>
    private static InstanceId Repeated(StartRequestRecord asked, StartRequestRecord stored)
    {
        if (asked.Fingerprint.AsSpan().SequenceEqual(stored.Fingerprint))
        {
            return stored.Instance;
        }

        throw new StartRequestConflictException(
            asked.RequestId,
            stored.Instance,
            $"The start request id '{asked.RequestId}' was used before, by the start of the instance {stored.Instance} with another process, business key or data; nothing was started. Use a new request id for a new start.");
    }

    /// <summary>A hash of what a start asks for: the process id, the business key and the data (by field name, values as JSON).</summary>
    private static byte[] StartFingerprint(StartRequest request)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteStringValue(request.ProcessId);
            if (request.BusinessKey is { } key)
            {
                json.WriteStringValue(key);
            }
            else
            {
                json.WriteNullValue();
            }

            json.WriteStartObject();
            if (request.Data is { } data)
            {
                foreach (var pair in data.OrderBy(static p => p.Key, StringComparer.Ordinal))
                {
                    json.WritePropertyName(pair.Key);
                    InstanceCodec.WriteForDisplay(json, pair.Value);
                }
            }

            json.WriteEndObject();
            json.WriteEndArray();
        }

        return System.Security.Cryptography.SHA256.HashData(buffer.WrittenSpan);
    }

    /// <summary>Cancels a running instance: every waiting step is cancelled, open tasks with it.</summary>
    /// <param name="instance">The instance id.</param>
    /// <param name="reason">Why, for the history. Optional.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>A task that completes when the cancellation is committed.</returns>
    /// <exception cref="ProcessNotFoundException">No such instance.</exception>
    /// <exception cref="InvalidCommandException">The instance has ended (<see cref="ProcessErrorCodes.InstanceEnded"/>).</exception>
    public async ValueTask CancelInstanceAsync(InstanceId instance, string? reason = null, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(instance, new Command { Kind = CommandKind.Cancel, Text = reason }, cancellationToken).ConfigureAwait(false);

    /// <summary>Lists the open incidents: paths stopped by a failure, waiting for an operator.</summary>
    /// <param name="instance">Only this instance's incidents. Optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The incidents, oldest first.</returns>
    public async ValueTask<IReadOnlyList<Incident>> GetIncidentsAsync(InstanceId? instance = null, CancellationToken cancellationToken = default) =>
        await Store.QueryIncidentsAsync(instance, cancellationToken).ConfigureAwait(false);

    /// <summary>Retries the step of an incident: an automated step's handler runs again for the same step run (same idempotency key); another step is entered again.</summary>
    /// <param name="instance">The instance.</param>
    /// <param name="stepInstance">The step run of the incident (<see cref="Incident.StepInstance"/>).</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>A task that completes when the command is committed (a new failure raises a new incident).</returns>
    /// <exception cref="ProcessNotFoundException">No such instance, or no open incident at that step run.</exception>
    /// <exception cref="InvalidCommandException">The instance has ended.</exception>
    public async ValueTask RetryIncidentAsync(InstanceId instance, int stepInstance, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(instance, new Command { Kind = CommandKind.RetryIncident, TaskId = stepInstance }, cancellationToken).ConfigureAwait(false);

    /// <summary>Resolves an incident by hand: the step counts as done (the operator did its work) and the path goes on.</summary>
    /// <param name="instance">The instance.</param>
    /// <param name="stepInstance">The step run of the incident (<see cref="Incident.StepInstance"/>).</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>A task that completes when the command is committed.</returns>
    /// <exception cref="ProcessNotFoundException">No such instance, or no open incident at that step run.</exception>
    /// <exception cref="InvalidCommandException">The instance has ended.</exception>
    public async ValueTask ResolveIncidentAsync(InstanceId instance, int stepInstance, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(instance, new Command { Kind = CommandKind.ResolveIncident, TaskId = stepInstance }, cancellationToken).ConfigureAwait(false);

    /// <summary>Lists tasks.</summary>
    /// <param name="query">Which tasks.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The matching tasks, oldest first.</returns>
    public async ValueTask<IReadOnlyList<HumanTaskInfo>> QueryTasksAsync(TaskQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await Store.QueryTasksAsync(query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a task.</summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task.</returns>
    /// <exception cref="ProcessNotFoundException">No such task.</exception>
    public async ValueTask<HumanTaskInfo> GetTaskAsync(long taskId, CancellationToken cancellationToken = default) =>
        await Store.FindTaskAsync(taskId, cancellationToken).ConfigureAwait(false) ?? throw TaskNotFound(taskId);

    /// <summary>Claims a task for the user: waiting ends, work starts.</summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="user">The acting user with their roles.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The task as the claim left it, once committed. Claiming a task one already holds changes nothing (the task is returned as it is).</returns>
    /// <exception cref="ProcessNotFoundException">No such task.</exception>
    /// <exception cref="ProcessAuthorizationException">The user is not in the task's role, not the user it is assigned to, or barred by separation of duties.</exception>
    /// <exception cref="InvalidCommandException">The task is closed, or another user holds it.</exception>
    public async ValueTask<HumanTaskInfo> ClaimTaskAsync(long taskId, ProcessUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var task = await Store.FindTaskAsync(taskId, cancellationToken).ConfigureAwait(false) ?? throw TaskNotFound(taskId);
        var result = new StrongBox<HumanTaskInfo?>();
        await ExecuteAsync(task.Instance, new Command { Kind = CommandKind.Claim, TaskId = taskId, User = user, TaskResult = result }, cancellationToken).ConfigureAwait(false);
        return result.Value ?? task;
    }

    /// <summary>Gives a claimed task back to its role (or to the user it is assigned to).</summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="user">The user who holds the task.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The task as the release left it, once committed.</returns>
    /// <exception cref="ProcessNotFoundException">No such task.</exception>
    /// <exception cref="ProcessAuthorizationException">The user does not hold the task.</exception>
    /// <exception cref="InvalidCommandException">The task is closed.</exception>
    public async ValueTask<HumanTaskInfo> ReleaseTaskAsync(long taskId, ProcessUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var task = await Store.FindTaskAsync(taskId, cancellationToken).ConfigureAwait(false) ?? throw TaskNotFound(taskId);
        var result = new StrongBox<HumanTaskInfo?>();
        await ExecuteAsync(task.Instance, new Command { Kind = CommandKind.Release, TaskId = taskId, User = user, TaskResult = result }, cancellationToken).ConfigureAwait(false);
        return result.Value ?? task;
    }

    /// <summary>Delegates a task to another user, who may then claim and complete it even outside the role.</summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="user">The acting user: the holder, or (for an unclaimed task) someone who may claim it.</param>
    /// <param name="toUserId">The user the task goes to.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The task as the delegation left it, once committed.</returns>
    /// <exception cref="ProcessNotFoundException">No such task.</exception>
    /// <exception cref="ProcessAuthorizationException">The acting user may not act on the task.</exception>
    /// <exception cref="InvalidCommandException">The task is closed or held by someone else.</exception>
    public async ValueTask<HumanTaskInfo> DelegateTaskAsync(long taskId, ProcessUser user, string toUserId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrWhiteSpace(toUserId);
        var task = await Store.FindTaskAsync(taskId, cancellationToken).ConfigureAwait(false) ?? throw TaskNotFound(taskId);
        var result = new StrongBox<HumanTaskInfo?>();
        await ExecuteAsync(task.Instance, new Command { Kind = CommandKind.Delegate, TaskId = taskId, User = user, Text = toUserId, TaskResult = result }, cancellationToken).ConfigureAwait(false);
        return result.Value ?? task;
    }

    /// <summary>
    /// Completes a task with an outcome and data, and runs the instance on to its next wait. An
    /// unclaimed task is claimed by the user at the same moment.
    /// </summary>
    /// <param name="taskId">The task id.</param>
    /// <param name="user">The acting user.</param>
    /// <param name="outcome">One of the task's outcomes; <see langword="null"/> when it has none.</param>
    /// <param name="data">Values for the fields the task writes. Optional.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The task as completed (its outcome, who completed it and when), once the command is committed.</returns>
    /// <exception cref="ProcessNotFoundException">No such task.</exception>
    /// <exception cref="ProcessAuthorizationException">The user may not complete the task.</exception>
    /// <exception cref="InvalidCommandException">The task is closed, the outcome is unknown, or the data does not fit the task's fields.</exception>
    public async ValueTask<HumanTaskInfo> CompleteTaskAsync(long taskId, ProcessUser user, string? outcome = null, IReadOnlyDictionary<string, object?>? data = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var task = await Store.FindTaskAsync(taskId, cancellationToken).ConfigureAwait(false) ?? throw TaskNotFound(taskId);
        var result = new StrongBox<HumanTaskInfo?>();
        await ExecuteAsync(task.Instance, new Command { Kind = CommandKind.Complete, TaskId = taskId, User = user, Text = outcome, Data = data, TaskResult = result }, cancellationToken).ConfigureAwait(false);
        return result.Value ?? task;
    }

    /// <summary>
    /// Publishes a message: delivered to the step waiting for its name and correlation key; else it
    /// starts the processes whose trigger names it; else it is kept for
    /// <see cref="ProcessEngineOptions.MessageTimeToLive"/> for a wait that comes later. A message
    /// whose id was applied before changes nothing.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>What happened to the message.</returns>
    /// <exception cref="ProcessNotFoundException">The message names an instance that does not exist.</exception>
    /// <exception cref="InvalidCommandException">The message names an instance that has ended (<see cref="ProcessErrorCodes.InstanceEnded"/>).</exception>
    public async ValueTask<MessageOutcome> PublishMessageAsync(ProcessMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(message.Name);
        using var activity = EngineTelemetry.StartCommand("processkit.publish_message", "publish_message");
        try
        {
            var now = TimeProvider.GetUtcNow();
            if (message.MessageId is { } id && await Store.HasSeenMessageAsync(id, now.UtcTicks, cancellationToken).ConfigureAwait(false))
            {
                return MessageOutcome.Duplicate;
            }

            var key = message.CorrelationKey ?? string.Empty;
            if (message.Instance is { } target)
            {
                var record = await Store.FindInstanceAsync(target, this, false, cancellationToken).ConfigureAwait(false) ?? throw InstanceNotFound(target);
                if (record.IsEnded)
                {
                    throw new InvalidCommandException(ProcessErrorCodes.InstanceEnded, $"The instance {target} has ended ({record.State}); the message '{message.Name}' cannot be delivered to it.");
                }

                // Addressed to one instance: its own wait, whoever else waits for the same name and key.
                if (WaitFor(record, message.Name, key) is { } own
                    && await ExecuteAsync(target, new Command { Kind = CommandKind.Deliver, Subscription = own, Message = message }, cancellationToken).ConfigureAwait(false))
                {
                    return MessageOutcome.Delivered;
                }
            }

            while (message.Instance is null && await Store.FindSubscriptionAsync(message.Name, key, cancellationToken).ConfigureAwait(false) is { } subscription)
            {
                var command = new Command { Kind = CommandKind.Deliver, Subscription = subscription, Message = message };
                if (await ExecuteAsync(subscription.Instance, command, cancellationToken).ConfigureAwait(false))
                {
                    return MessageOutcome.Delivered;
                }
            }

            if (message.Instance is null && ModelsStartedBy(message.Name) is { Count: > 0 } starters)
            {
                var messageId = message.MessageId;
                foreach (var model in starters)
                {
                    await StartCoreAsync(new StartCommand(model, message.Payload, message.CorrelationKey, now) { Message = message.Name, MessageId = messageId }, cancellationToken).ConfigureAwait(false);
                    messageId = null;
                }

                return MessageOutcome.Started;
            }

            var buffered = new BufferedMessage(message.Name, key, message.Payload, message.MessageId, (now + Options.MessageTimeToLive).UtcTicks, 0);
            return await Store.TryBufferAsync(buffered, now.UtcTicks, cancellationToken).ConfigureAwait(false) ? MessageOutcome.Buffered : MessageOutcome.Duplicate;
        }
        catch (Exception e) when (EngineTelemetry.Fail(activity, e))
        {
            // Never entered: the filter marks the span failed (when someone listens) and lets the exception pass.
            throw;
        }
    }

    /// <summary>The message wait of an instance for a name and correlation key, as a subscription, or null.</summary>
    private static Subscription? WaitFor(InstanceRecord record, string name, string key)
    {
        for (var i = 0; i < record.TokenCount; i++)
        {
            var token = record.Tokens[i];
            if (token.Wait == TokenWait.Message
                && string.Equals(record.Model.Nodes[token.Node].Message, name, StringComparison.Ordinal)
                && string.Equals(token.Key ?? string.Empty, key, StringComparison.Ordinal))
            {
                return new Subscription(name, key, record.Id, token.Node, token.StepInstance);
            }
        }

        return null;
    }

    /// <summary>Starts a sub-process instance inside its parent's command; returns it as committed.</summary>
    internal async ValueTask<InstanceRecord> StartChildAsync(
        ProcessModel model,
        IReadOnlyDictionary<string, object?> data,
        (InstanceId Instance, int Node, int StepInstance) parent,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var id = await StartCoreAsync(new StartCommand(model, data, null, now) { Parent = parent }, cancellationToken).ConfigureAwait(false);
        return await Store.FindInstanceAsync(id, this, false, cancellationToken).ConfigureAwait(false)
            ?? throw new ProcessConflictException($"The sub-process instance {id} was committed but cannot be read back.");
    }

    private async ValueTask<InstanceId> StartUnobservedAsync(StartCommand start, CancellationToken cancellationToken)
    {
        var (model, data, businessKey, now) = start;
        var (message, messageId, parent, request) = (start.Message, start.MessageId, start.Parent, start.Request);
        var slots = StartSlots(model, data);
        var record = new InstanceRecord
        {
            Id = Store.NewInstanceId(),
            Model = model,
            Slots = slots,
            History = [],
            StartedTicks = now.UtcTicks,
            BusinessKey = businessKey,
            Parent = parent,
        };
        var transition = Transition.Rent(this, record, 0, now, cancellationToken);
        transition.LendHistory(record);
        if (messageId is not null)
        {
            transition.Commit.MessageId = messageId;
            transition.Commit.MessageIdExpiresTicks = (now + Options.MessageTimeToLive).UtcTicks;
        }

        if (request is { } asked)
        {
            transition.Commit.StartRequest = asked with { Instance = record.Id };
        }

        await transition.StartAsync(message).ConfigureAwait(false);
        if (!await CommitAsync(transition, cancellationToken).ConfigureAwait(false))
        {
            // A concurrent start with the same request id was stored first: that one is the caller's.
            if (request is { } mine && await Store.FindStartRequestAsync(mine.RequestId, cancellationToken).ConfigureAwait(false) is { } won)
            {
                transition.Return();
                return Repeated(mine, won);
            }

            throw new ProcessConflictException($"The new instance {record.Id} could not be stored: the id is taken.");
        }

        WakeIfEarlier(transition.Commit.EarliestDueTicks);
        Report(transition, true);

        await AfterCommitAsync(transition, parent is null, cancellationToken).ConfigureAwait(false);
        transition.Return();
        return record.Id;
    }

    private static object?[] StartSlots(ProcessModel model, IReadOnlyDictionary<string, object?>? data)
    {
        var slots = new object?[model.FieldNames.Length];
        List<string>? problems = null;
        if (data is Dictionary<string, object?> dictionary)
        {
            // The common case, enumerated without boxing an enumerator.
            foreach (var pair in dictionary)
            {
                StartSlot(model, slots, pair, ref problems);
            }
        }
        else if (data is not null)
        {
            foreach (var pair in data)
            {
                StartSlot(model, slots, pair, ref problems);
            }
        }

        foreach (var input in model.Inputs)
        {
            var value = slots[model.FieldIndex[input.Name]];
            if (value is null && input.Required && (data is null || !data.ContainsKey(input.Name)))
            {
                (problems ??= []).Add($"'{input.Name}' is required.");
            }
            else if (DataValues.CheckBounds(input, value) is { } bounds)
            {
                (problems ??= []).Add(bounds + ".");
            }
        }

        if (problems is not null)
        {
            throw new InvalidCommandException(
                ProcessErrorCodes.StartDataInvalid,
                $"The start data of '{model.Id}' does not match its inputs: {string.Join(" ", problems)}",
                problems);
        }

        return slots;
    }

    private static void StartSlot(ProcessModel model, object?[] slots, KeyValuePair<string, object?> pair, ref List<string>? problems)
    {
        if (!model.FieldIndex.TryGetValue(pair.Key, out var slot))
        {
            (problems ??= []).Add($"'{pair.Key}' is not a field of the process '{model.Id}'.");
        }
        else if (!DataValues.TryConvert(model.FieldTypes[slot], pair.Value, out var value))
        {
            (problems ??= []).Add($"'{pair.Key}' must be a {model.FieldTypes[slot]}, not {DataValues.Describe(pair.Value)}.");
        }
        else
        {
            slots[slot] = value;
        }
    }

    private ValueTask<bool> FireAsync(TimerRecord timer, CancellationToken cancellationToken) =>
        ExecuteAsync(timer.Instance, new Command { Kind = CommandKind.Fire, Timer = timer }, cancellationToken);

    /// <summary>Runs a command on one instance: serialized per instance, retried on a version conflict; nothing is stored when it throws, unless the store failed while committing (<see cref="CommitAsync"/>).</summary>
    /// <returns>Whether the command took effect.</returns>
    private async ValueTask<bool> ExecuteUnobservedAsync(InstanceId instance, Command command, CancellationToken cancellationToken)
    {
        Transition? committed = null;
        var gate = _locks.For(instance);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = TimeProvider.GetUtcNow();
            for (var attempt = 0; ; attempt++)
            {
                InstanceRecord? stored;
                if (command.Kind is CommandKind.Claim or CommandKind.Release or CommandKind.Delegate or CommandKind.Complete)
                {
                    // The task is read after the instance, as it would be while the command runs: in one round trip where the store can.
                    (stored, command.TaskInfo) = await Store.FindInstanceAndTaskAsync(instance, command.TaskId, this, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    stored = await Store.FindInstanceAsync(instance, this, false, cancellationToken).ConfigureAwait(false);
                }

                if (stored is null)
                {
                    throw InstanceNotFound(instance);
                }

                var version = stored.Version;
                var transition = Transition.Rent(this, stored.TakeForCommand(), version, now, cancellationToken);
                if (command.Kind == CommandKind.Fire)
                {
                    transition.Commit.FiredTimer = command.Timer;
                }

                if (!await ApplyAsync(transition, command).ConfigureAwait(false))
                {
                    transition.Return();
                    if (command.TaskResult is { } unchanged)
                    {
                        unchanged.Value = command.TaskInfo;
                    }

                    return false;
                }

                if (await CommitAsync(transition, cancellationToken).ConfigureAwait(false))
                {
                    WakeIfEarlier(transition.Commit.EarliestDueTicks);
                    Report(transition, false);
                    if (command.TaskResult is { } result)
                    {
                        result.Value = transition.Commit.PendingTask(command.TaskId) ?? command.TaskInfo;
                    }

                    committed = transition;
                    break;
                }

                var expected = transition.Commit.ExpectedVersion;
                transition.Return();

                // A refused commit with the instance still at the version loaded is not a version conflict. For a timer it
                // is either a lost lease (another owner took the timer over, or fired it already: theirs to fire, and
                // retrying here would only fail again) or a refusal that says nothing about the timer (a deadlock, a
                // buffered message another command consumed first): the timer is still this engine's, and the command is
                // retried like a version conflict, then thrown, so that the timer stays scheduled.
                if (command.Kind == CommandKind.Fire
                    && await Store.FindInstanceAsync(instance, this, false, cancellationToken).ConfigureAwait(false) is { } current && current.Version == expected
                    && !await Store.HoldsTimerAsync(command.Timer, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }

                if (attempt >= Options.MaxConflictRetries)
                {
                    throw new ProcessConflictException($"The instance {instance} kept changing under the command; it was tried {attempt + 1} times.");
                }

                EngineLog.CommitConflictRetried(Logger, instance.Value, attempt + 1);
            }
        }
        finally
        {
            gate.Release();
        }

        await AfterCommitAsync(committed, true, cancellationToken).ConfigureAwait(false);
        var applied = committed.Applied;
        committed.Return();
        return applied;
    }

    /// <summary>What a committed command sets off in other instances, run after its lock is released: a parent resumed, children cancelled.</summary>
    private async ValueTask AfterCommitAsync(Transition committed, bool notifyParent, CancellationToken cancellationToken)
    {
        if (committed.ChildrenToCancel is { } children)
        {
            foreach (var child in children)
            {
                if (await Store.FindInstanceAsync(child, this, false, cancellationToken).ConfigureAwait(false) is { IsEnded: false })
                {
                    await ExecuteAsync(child, new Command { Kind = CommandKind.Cancel, Text = "parent ended" }, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (notifyParent && committed.Instance.IsEnded && committed.Instance.Parent is { } parent
            && await Store.FindInstanceAsync(parent.Instance, this, false, cancellationToken).ConfigureAwait(false) is { IsEnded: false })
        {
            await ExecuteAsync(parent.Instance, new Command { Kind = CommandKind.ChildEnded, Child = committed.Instance }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Applies a command to a transition; false when there is nothing to commit.</summary>
    private ValueTask<bool> ApplyAsync(Transition t, Command command)
    {
        var instance = t.Instance;
        switch (command.Kind)
        {
            case CommandKind.Cancel:
                if (instance.IsEnded)
                {
                    throw Ended(instance);
                }

                t.CancelAllTokens();
                t.End(InstanceState.Cancelled, HistoryEventType.InstanceCancelled, command.Text);
                return ValueTask.FromResult(true);
            case CommandKind.Deliver:
                if (!t.Deliver(command.Subscription, command.Message!.Payload))
                {
                    t.Applied = false;
                    return ValueTask.FromResult(true);
                }

                if (command.Message.MessageId is { } id)
                {
                    t.Commit.MessageId = id;
                    t.Commit.MessageIdExpiresTicks = (t.Now + Options.MessageTimeToLive).UtcTicks;
                }

                return RunThenCommitAsync(t);
            case CommandKind.Fire:
                if (instance.IsEnded)
                {
                    return ValueTask.FromResult(false);
                }

                if (command.Timer.Kind == TimerKind.Job)
                {
                    return RunJobAsync(t, command.Timer);
                }

                if (!t.Fire(command.Timer))
                {
                    return ValueTask.FromResult(false);
                }

                return RunThenCommitAsync(t);
            case CommandKind.ChildEnded:
                return instance.IsEnded ? ValueTask.FromResult(false) : ChildEndedThenCommitAsync(t, command.Child!);
            case CommandKind.RetryIncident:
            case CommandKind.ResolveIncident:
                if (instance.IsEnded)
                {
                    throw Ended(instance);
                }

                var at = -1;
                for (var i = 0; i < instance.TokenCount; i++)
                {
                    if (instance.Tokens[i].Wait == TokenWait.Incident && instance.Tokens[i].StepInstance == (int)command.TaskId)
                    {
                        at = i;
                    }
                }

                if (at < 0)
                {
                    throw new ProcessNotFoundException(ProcessErrorCodes.IncidentNotFound, $"The instance {instance.Id} has no open incident at step run {command.TaskId}.");
                }

                return ResumeThenCommitAsync(t, at, command.Kind == CommandKind.ResolveIncident);
            default:
                return ApplyTaskCommandAsync(t, command);
        }
    }

    private static async ValueTask<bool> RunJobAsync(Transition t, TimerRecord timer)
    {
        if (!await t.RunJobAsync(timer).ConfigureAwait(false))
        {
            return false;
        }

        await t.RunAsync().ConfigureAwait(false);
        return true;
    }

    private static async ValueTask<bool> ResumeThenCommitAsync(Transition t, int tokenIndex, bool skip)
    {
        await t.ResumeIncidentAsync(tokenIndex, skip).ConfigureAwait(false);
        return true;
    }

    private static async ValueTask<bool> ChildEndedThenCommitAsync(Transition t, InstanceRecord child)
    {
        if (!await t.ChildEndedAsync(child).ConfigureAwait(false))
        {
            return false;
        }

        await t.RunAsync().ConfigureAwait(false);
        return true;
    }

    private static async ValueTask<bool> RunThenCommitAsync(Transition t)
    {
        await t.RunAsync().ConfigureAwait(false);
        return true;
    }

    private async ValueTask<bool> ApplyTaskCommandAsync(Transition t, Command command)
    {
        var task = command.TaskInfo ?? throw TaskNotFound(command.TaskId);
        var user = command.User!;
        if (!task.IsOpen)
        {
            throw new InvalidCommandException(ProcessErrorCodes.TaskClosed, $"The task {task.TaskId} ('{task.StepId}') is {task.State.ToString().ToLowerInvariant()}; it cannot be changed any more.");
        }

        if (t.Instance.IsEnded)
        {
            throw Ended(t.Instance);
        }

        var node = t.Model.Nodes[task.Node];
        switch (command.Kind)
        {
            case CommandKind.Claim:
                if (task.ClaimedBy is { } holder)
                {
                    if (string.Equals(holder, user.Id, StringComparison.Ordinal))
                    {
                        return false;
                    }

                    throw new InvalidCommandException(ProcessErrorCodes.TaskClaimedByOther, $"The task {task.TaskId} is claimed by another user.");
                }

                EnsureMayClaim(t, node, task, user);
                t.Claim(task, user);
                return true;
            case CommandKind.Release:
                if (!string.Equals(task.ClaimedBy, user.Id, StringComparison.Ordinal))
                {
                    throw new ProcessAuthorizationException($"The user '{user.Id}' does not hold the task {task.TaskId}, so cannot release it.");
                }

                t.Release(task, user);
                return true;
            case CommandKind.Delegate:
                EnsureMayAct(t, node, task, user);
                t.Delegate(task, user, command.Text!);
                return true;
            default:
                EnsureMayAct(t, node, task, user);
                var outcome = command.Text;
                if (node.Outcomes.Length > 0 ? outcome is null || Array.IndexOf(node.Outcomes, outcome) < 0 : outcome is not null)
                {
                    throw new InvalidCommandException(
                        ProcessErrorCodes.UnknownOutcome,
                        node.Outcomes.Length == 0
                            ? $"The task '{node.Id}' has no outcomes; complete it without one, not with '{outcome}'."
                            : $"'{outcome}' is not an outcome of the task '{node.Id}'; choose one of: {string.Join(", ", node.Outcomes)}.");
                }

                var writes = TaskWrites(t, node, command.Data);
                await t.CompleteTaskAsync(task, user, outcome, writes).ConfigureAwait(false);
                return true;
        }
    }

    /// <summary>
    /// The task's data as slot writes, checked against the step's fields, in the transition's own writes buffer (reused by
    /// every command; the completion applies them before any automated step runs and clears the buffer for its handlers).
    /// </summary>
    private static List<KeyValuePair<int, object?>> TaskWrites(Transition t, ModelNode node, IReadOnlyDictionary<string, object?>? data)
    {
        var writes = t.Writes;
        writes.Clear();
        List<string>? problems = null;
        if (data is Dictionary<string, object?> dictionary)
        {
            // The common case, enumerated without boxing an enumerator.
            foreach (var pair in dictionary)
            {
                TaskWrite(node, pair, writes, ref problems);
            }
        }
        else if (data is not null)
        {
            foreach (var pair in data)
            {
                TaskWrite(node, pair, writes, ref problems);
            }
        }

        for (var i = 0; i < node.Writes.Length; i++)
        {
            if (node.Writes[i].Required && t.Instance.Slots[node.WriteSlots[i]] is null && !Writes(writes, node.WriteSlots[i]))
            {
                (problems ??= []).Add($"'{node.Writes[i].Name}' is required.");
            }
        }

        if (problems is not null)
        {
            throw new InvalidCommandException(ProcessErrorCodes.TaskDataInvalid, $"The data for the task '{node.Id}' does not fit: {string.Join(" ", problems)}", problems);
        }

        return writes;
    }

    /// <summary>Whether <paramref name="writes"/> sets the slot to a value.</summary>
    private static bool Writes(List<KeyValuePair<int, object?>> writes, int slot)
    {
        foreach (var write in writes)
        {
            if (write.Key == slot && write.Value is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static void TaskWrite(ModelNode node, KeyValuePair<string, object?> pair, List<KeyValuePair<int, object?>> writes, ref List<string>? problems)
    {
        var at = -1;
        for (var i = 0; i < node.Writes.Length; i++)
        {
            if (string.Equals(node.Writes[i].Name, pair.Key, StringComparison.Ordinal))
            {
                at = i;
                break;
            }
        }

        if (at < 0)
        {
            (problems ??= []).Add($"'{pair.Key}' is not a field the task '{node.Id}' writes.");
        }
        else if (!DataValues.TryConvert(node.Writes[at].Type, pair.Value, out var value))
        {
            (problems ??= []).Add($"'{pair.Key}' must be a {node.Writes[at].Type}, not {DataValues.Describe(pair.Value)}.");
        }
        else if (DataValues.CheckBounds(node.Writes[at], value) is { } bounds)
        {
            (problems ??= []).Add(bounds + ".");
        }
        else
        {
            writes.Add(new(node.WriteSlots[at], value));
        }
    }

    private static void EnsureMayAct(Transition t, ModelNode node, HumanTaskInfo task, ProcessUser user)
    {
        if (task.ClaimedBy is { } holder)
        {
            if (!string.Equals(holder, user.Id, StringComparison.Ordinal))
            {
                throw new ProcessAuthorizationException($"The task {task.TaskId} is held by another user; '{user.Id}' may not act on it.");
            }

            return;
        }

        EnsureMayClaim(t, node, task, user);
    }

    private static void EnsureMayClaim(Transition t, ModelNode node, HumanTaskInfo task, ProcessUser user)
    {
        if (task.AssignedTo is { } assignee)
        {
            if (!string.Equals(assignee, user.Id, StringComparison.Ordinal))
            {
                throw new ProcessAuthorizationException($"The task {task.TaskId} is assigned to another user; '{user.Id}' may not take it.");
            }
        }
        else if (!user.IsInRole(task.Role))
        {
            throw new ProcessAuthorizationException($"The user '{user.Id}' is not in the role '{task.Role}' of the task {task.TaskId}.");
        }

        foreach (var other in node.SeparateFrom)
        {
            if (t.Instance.Performers?[other] is { } performer && string.Equals(performer, user.Id, StringComparison.Ordinal))
            {
                throw new ProcessAuthorizationException(
                    $"Separation of duties: '{user.Id}' did the step '{t.Model.Nodes[other].Id}' of this instance and may not do '{node.Id}'.");
            }
        }
    }

    private static InvalidCommandException Ended(InstanceRecord instance) =>
        new(ProcessErrorCodes.InstanceEnded, $"The instance {instance.Id} has ended ({instance.State}).");

    private static ProcessNotFoundException TaskNotFound(long taskId) =>
        new(ProcessErrorCodes.TaskNotFound, $"No task has the id {taskId}.");

    private struct Command
    {
        public CommandKind Kind;
        public long TaskId;

        /// <summary>The task of a task command, read with the instance for each attempt.</summary>
        public HumanTaskInfo? TaskInfo;
        public ProcessUser? User;
        public string? Text;
        public IReadOnlyDictionary<string, object?>? Data;
        public Subscription Subscription;
        public ProcessMessage? Message;
        public TimerRecord Timer;
        public InstanceRecord? Child;

        /// <summary>Where a task command leaves the task as it committed it (or as read, when the command changed nothing); null for other commands.</summary>
        public StrongBox<HumanTaskInfo?>? TaskResult;
    }

    /// <summary>A start: the model, the data, the business key and the time, and where it comes from when not from a plain call.</summary>
    private readonly record struct StartCommand(ProcessModel Model, IReadOnlyDictionary<string, object?>? Data, string? BusinessKey, DateTimeOffset Now)
    {
        /// <summary>The message that starts the instance (its trigger), or null.</summary>
        public string? Message { get; init; }

        /// <summary>The message's id, applied once, or null.</summary>
        public string? MessageId { get; init; }

        /// <summary>For a sub-process instance: the calling instance, its step and step run.</summary>
        public (InstanceId Instance, int Node, int StepInstance)? Parent { get; init; }

        /// <summary>A start request with an id, stored with the instance, or null.</summary>
        public StartRequestRecord? Request { get; init; }
    }
}
