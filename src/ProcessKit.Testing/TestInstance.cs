using System.Globalization;
using System.Text;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Messaging;
using ProcessKit.Tasks;

namespace ProcessKit.Testing;

/// <summary>
/// One instance under test: act on it as users in roles (tasks named by step id rather than task
/// id), send it messages, and assert where it stands. Every failed assertion throws a
/// <see cref="ProcessAssertionException"/> that describes the instance as it actually is.
/// </summary>
/// <remarks>A light handle: it holds the id and reads the engine on each call. Not thread-safe.</remarks>
public sealed partial class TestInstance
{
    internal TestInstance(ProcessTestHarness harness, InstanceId id)
    {
        Harness = harness;
        Id = id;
    }

    /// <summary>The harness the instance runs in.</summary>
    public ProcessTestHarness Harness { get; }

    /// <summary>The instance id.</summary>
    public InstanceId Id { get; }

    private ProcessEngine Engine => Harness.Engine;

    /// <summary>Reads the instance now.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A snapshot.</returns>
    public ValueTask<InstanceSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default) =>
        Engine.GetInstanceAsync(Id, cancellationToken);

    /// <summary>Reads the history of the instance, in order.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The events.</returns>
    public ValueTask<IReadOnlyList<HistoryEvent>> GetHistoryAsync(CancellationToken cancellationToken = default) =>
        Engine.GetHistoryAsync(Id, cancellationToken);

    /// <summary>Lists the open tasks of the instance, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tasks offered or claimed.</returns>
    public async ValueTask<IReadOnlyList<HumanTaskInfo>> GetOpenTasksAsync(CancellationToken cancellationToken = default)
    {
        var tasks = await Engine.QueryTasksAsync(new TaskQuery { Instance = Id }, cancellationToken).ConfigureAwait(false);
        return [.. tasks.Where(static t => t.IsOpen)];
    }

    /// <summary>Claims the open task of a step as a user.</summary>
    /// <param name="stepId">The human-task step.</param>
    /// <param name="user">The acting user with their roles.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The task as it was before the claim.</returns>
    /// <exception cref="ProcessAssertionException">The step has no open task.</exception>
    /// <exception cref="ProcessAuthorizationException">The user may not claim it.</exception>
    /// <exception cref="InvalidCommandException">Another user holds it.</exception>
    public async ValueTask<HumanTaskInfo> ClaimAsync(string stepId, ProcessUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var task = await FindTaskAsync(stepId, user, cancellationToken).ConfigureAwait(false);
        await Engine.ClaimTaskAsync(task.TaskId, user, cancellationToken).ConfigureAwait(false);
        await Harness.SettleAsync(cancellationToken).ConfigureAwait(false);
        return task;
    }

    /// <summary>Gives the task of a step that the user holds back to its role.</summary>
    /// <param name="stepId">The human-task step.</param>
    /// <param name="user">The user who holds the task.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The task as it was before the release.</returns>
    /// <exception cref="ProcessAssertionException">The step has no open task.</exception>
    /// <exception cref="ProcessAuthorizationException">The user does not hold it.</exception>
    public async ValueTask<HumanTaskInfo> ReleaseAsync(string stepId, ProcessUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var task = await FindTaskAsync(stepId, user, cancellationToken).ConfigureAwait(false);
        await Engine.ReleaseTaskAsync(task.TaskId, user, cancellationToken).ConfigureAwait(false);
        await Harness.SettleAsync(cancellationToken).ConfigureAwait(false);
        return task;
    }

    /// <summary>Delegates the task of a step to another user.</summary>
    /// <param name="stepId">The human-task step.</param>
    /// <param name="user">The acting user.</param>
    /// <param name="toUserId">The user the task goes to.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The task as it was before the delegation.</returns>
    /// <exception cref="ProcessAssertionException">The step has no open task.</exception>
    /// <exception cref="ProcessAuthorizationException">The user may not act on it.</exception>
    public async ValueTask<HumanTaskInfo> DelegateAsync(string stepId, ProcessUser user, string toUserId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var task = await FindTaskAsync(stepId, user, cancellationToken).ConfigureAwait(false);
        await Engine.DelegateTaskAsync(task.TaskId, user, toUserId, cancellationToken).ConfigureAwait(false);
        await Harness.SettleAsync(cancellationToken).ConfigureAwait(false);
        return task;
    }

    /// <summary>
    /// Completes the open task of a step as a user, and runs the instance on to its next wait. When
    /// the step has several open tasks (a multi-instance step), the one the user holds is taken
    /// first, then one assigned to them, then the oldest offered to one of their roles.
    /// </summary>
    /// <param name="stepId">The human-task step.</param>
    /// <param name="user">The acting user with their roles.</param>
    /// <param name="outcome">One of the task's outcomes; <see langword="null"/> when it has none.</param>
    /// <param name="data">Values for the fields the task writes. Optional.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The task as it was before it was completed.</returns>
    /// <exception cref="ProcessAssertionException">The step has no open task.</exception>
    /// <exception cref="ProcessAuthorizationException">The user may not complete it.</exception>
    /// <exception cref="InvalidCommandException">The outcome is unknown or the data does not fit.</exception>
    public async ValueTask<HumanTaskInfo> CompleteAsync(string stepId, ProcessUser user, string? outcome = null, IReadOnlyDictionary<string, object?>? data = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var task = await FindTaskAsync(stepId, user, cancellationToken).ConfigureAwait(false);
        await Engine.CompleteTaskAsync(task.TaskId, user, outcome, data, cancellationToken).ConfigureAwait(false);
        await Harness.SettleAsync(cancellationToken).ConfigureAwait(false);
        return task;
    }

    /// <summary>
    /// Sends this instance a message. When <paramref name="correlationKey"/> is omitted and the
    /// instance waits for the message at a step whose correlation is a single field, that field's
    /// value is the key.
    /// </summary>
    /// <param name="message">The message name.</param>
    /// <param name="correlationKey">The correlation key. Optional (see above).</param>
    /// <param name="payload">The payload. Optional.</param>
    /// <param name="messageId">An id for de-duplication. Optional.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>What happened to the message (<see cref="MessageOutcome.Buffered"/> when the instance does not wait for it yet).</returns>
    /// <exception cref="InvalidCommandException">The instance has ended.</exception>
    public async ValueTask<MessageOutcome> PublishAsync(string message, string? correlationKey = null, IReadOnlyDictionary<string, object?>? payload = null, string? messageId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        correlationKey ??= await CorrelationKeyAsync(message, cancellationToken).ConfigureAwait(false);
        var outcome = await Engine.PublishMessageAsync(
            new ProcessMessage(message) { CorrelationKey = correlationKey, Payload = payload, MessageId = messageId, Instance = Id },
            cancellationToken).ConfigureAwait(false);
        await Harness.SettleAsync(cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Cancels the instance.</summary>
    /// <param name="reason">Why, for the history. Optional.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>A task that completes when the cancellation is committed.</returns>
    public async ValueTask CancelAsync(string? reason = null, CancellationToken cancellationToken = default)
    {
        await Engine.CancelInstanceAsync(Id, reason, cancellationToken).ConfigureAwait(false);
        await Harness.SettleAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Describes where the instance stands: state, waiting steps, open tasks, data and the last history events.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Several lines of text.</returns>
    public async ValueTask<string> DescribeAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var tasks = await GetOpenTasksAsync(cancellationToken).ConfigureAwait(false);
        var history = await GetHistoryAsync(cancellationToken).ConfigureAwait(false);
        return Describe(snapshot, tasks, history);
    }

    internal static string Describe(InstanceSnapshot snapshot, IReadOnlyList<HumanTaskInfo> tasks, IReadOnlyList<HistoryEvent> history)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.Append(inv, $"Instance {snapshot.Id} of '{snapshot.ProcessId}' v{snapshot.ProcessVersion}: {snapshot.State}");
        if (snapshot.EndOutcome is not null)
        {
            text.Append(inv, $" with outcome '{snapshot.EndOutcome}'");
        }

        text.AppendLine();
        text.Append("  waiting at: ").AppendLine(snapshot.ActiveSteps.Count == 0 ? "(nothing)" : string.Join(", ", snapshot.ActiveSteps));
        text.Append("  open tasks: ").AppendLine(tasks.Count == 0 ? "(none)" : string.Join("; ", tasks.Select(DescribeTask)));
        text.Append("  data: ").AppendLine(snapshot.Data.Count == 0 ? "(none)" : string.Join(", ", snapshot.Data.OrderBy(static p => p.Key, StringComparer.Ordinal).Select(static p => p.Key + "=" + Format(p.Value))));
        const int last = 8;
        text.Append(inv, $"  last events ({Math.Min(last, history.Count)} of {history.Count}):");
        foreach (var e in history.Skip(Math.Max(0, history.Count - last)))
        {
            text.AppendLine().Append("    ").Append(DescribeEvent(e));
        }

        return text.ToString();
    }

    internal static string DescribeTask(HumanTaskInfo task)
    {
        var who = task.ClaimedBy is not null ? "claimed by " + task.ClaimedBy
            : task.AssignedTo is not null ? "assigned to " + task.AssignedTo
            : "offered";
        return string.Create(CultureInfo.InvariantCulture, $"{task.StepId} (task {task.TaskId}, role {task.Role}, {who})");
    }

    internal static string DescribeEvent(HistoryEvent e)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"#{e.Sequence} {e.Time:yyyy-MM-dd HH:mm:ss} {e.Type}");
        if (e.StepId is not null)
        {
            text.Append(' ').Append(e.StepId);
        }

        if (e.UserId is not null)
        {
            text.Append(" by ").Append(e.UserId);
        }

        if (e.Detail is not null)
        {
            text.Append(" (").Append(e.Detail).Append(')');
        }

        return text.ToString();
    }

    internal static string Format(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Text.Json.JsonElement j => j.GetRawText(),
        System.Collections.IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? string.Empty,
    };

    private async ValueTask<HumanTaskInfo> FindTaskAsync(string stepId, ProcessUser user, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stepId);
        var open = await GetOpenTasksAsync(cancellationToken).ConfigureAwait(false);
        var ofStep = open.Where(t => string.Equals(t.StepId, stepId, StringComparison.Ordinal)).ToList();
        if (ofStep.Count == 0)
        {
            throw await FailAsync($"Expected an open task at step '{stepId}' for {user.Id}, but there is none.", cancellationToken).ConfigureAwait(false);
        }

        return ofStep.FirstOrDefault(t => string.Equals(t.ClaimedBy, user.Id, StringComparison.Ordinal))
            ?? ofStep.FirstOrDefault(t => t.ClaimedBy is null && string.Equals(t.AssignedTo, user.Id, StringComparison.Ordinal))
            ?? ofStep.FirstOrDefault(t => t.ClaimedBy is null && t.AssignedTo is null && user.IsInRole(t.Role))
            ?? ofStep[0];
    }

    private async ValueTask<string?> CorrelationKeyAsync(string message, CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (Harness.FindDefinition(snapshot.ProcessId, snapshot.ProcessVersion) is not { } definition)
        {
            return null;
        }

        foreach (var stepId in snapshot.ActiveSteps)
        {
            if (definition.Steps.FirstOrDefault(s => s.Id == stepId) is WaitMessageStep wait
                && string.Equals(wait.Message, message, StringComparison.Ordinal)
                && wait.Correlation?.Text is { } field
                && snapshot.Data.TryGetValue(field.Trim(), out var value)
                && value is not null)
            {
                return Convert.ToString(value, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    internal async ValueTask<ProcessAssertionException> FailAsync(string expectation, CancellationToken cancellationToken) =>
        new(expectation, await DescribeAsync(cancellationToken).ConfigureAwait(false));
}
