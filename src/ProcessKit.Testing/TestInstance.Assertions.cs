using System.Globalization;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Tasks;

namespace ProcessKit.Testing;

/// <content>Assertions: where the instance waits, its open tasks, its state, outcome, data and history.</content>
public sealed partial class TestInstance
{
    /// <summary>Asserts that the instance waits at a step (among others, perhaps).</summary>
    /// <param name="stepId">The step id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the assertion holds.</returns>
    /// <exception cref="ProcessAssertionException">The instance does not wait there.</exception>
    public async ValueTask AssertAtAsync(string stepId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stepId);
        var snapshot = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (!snapshot.ActiveSteps.Contains(stepId, StringComparer.Ordinal))
        {
            throw await FailAsync($"Expected the instance to wait at '{stepId}', but it waits at {List(snapshot.ActiveSteps)}.", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asserts exactly where the instance waits: one entry per waiting path, in any order.</summary>
    /// <param name="stepIds">The step ids; empty for an instance that waits nowhere.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the assertion holds.</returns>
    /// <exception cref="ProcessAssertionException">The instance waits elsewhere.</exception>
    public async ValueTask AssertActiveStepsAsync(IEnumerable<string> stepIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stepIds);
        var expected = stepIds.Order(StringComparer.Ordinal).ToList();
        var snapshot = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var actual = snapshot.ActiveSteps.Order(StringComparer.Ordinal).ToList();
        if (!expected.SequenceEqual(actual, StringComparer.Ordinal))
        {
            throw await FailAsync($"Expected the instance to wait at {List(expected)}, but it waits at {List(actual)}.", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asserts exactly which steps have open tasks: one entry per task, in any order.</summary>
    /// <param name="stepIds">The step ids; empty for no open task.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The open tasks.</returns>
    /// <exception cref="ProcessAssertionException">Other tasks are open.</exception>
    public async ValueTask<IReadOnlyList<HumanTaskInfo>> AssertOpenTasksAsync(IEnumerable<string> stepIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stepIds);
        var expected = stepIds.Order(StringComparer.Ordinal).ToList();
        var tasks = await GetOpenTasksAsync(cancellationToken).ConfigureAwait(false);
        var actual = tasks.Select(static t => t.StepId).Order(StringComparer.Ordinal).ToList();
        if (!expected.SequenceEqual(actual, StringComparer.Ordinal))
        {
            throw await FailAsync($"Expected open tasks at {List(expected)}, but they are at {List(actual)}.", cancellationToken).ConfigureAwait(false);
        }

        return tasks;
    }

    /// <summary>Asserts that a step has an open task, optionally offered to a role and assigned to (or claimed by) a user.</summary>
    /// <param name="stepId">The step id.</param>
    /// <param name="role">The role the task must be offered to. Optional.</param>
    /// <param name="user">The user the task must be assigned to or claimed by. Optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The task.</returns>
    /// <exception cref="ProcessAssertionException">No such task is open.</exception>
    public async ValueTask<HumanTaskInfo> AssertOpenTaskAsync(string stepId, string? role = null, string? user = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stepId);
        var tasks = await GetOpenTasksAsync(cancellationToken).ConfigureAwait(false);
        var match = tasks.FirstOrDefault(t =>
            string.Equals(t.StepId, stepId, StringComparison.Ordinal)
            && (role is null || string.Equals(t.Role, role, StringComparison.Ordinal))
            && (user is null || string.Equals(t.ClaimedBy ?? t.AssignedTo, user, StringComparison.Ordinal)));
        if (match is null)
        {
            var wanted = "an open task at '" + stepId + "'"
                + (role is null ? string.Empty : " for role '" + role + "'")
                + (user is null ? string.Empty : " held by or assigned to '" + user + "'");
            throw await FailAsync($"Expected {wanted}, but there is none.", cancellationToken).ConfigureAwait(false);
        }

        return match;
    }

    /// <summary>Asserts the state of the instance.</summary>
    /// <param name="state">The state expected.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="ProcessAssertionException">The instance is in another state.</exception>
    public async ValueTask<InstanceSnapshot> AssertStateAsync(InstanceState state, CancellationToken cancellationToken = default)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (snapshot.State != state)
        {
            throw await FailAsync($"Expected the instance to be {state}, but it is {snapshot.State}.", cancellationToken).ConfigureAwait(false);
        }

        return snapshot;
    }

    /// <summary>Asserts that the instance completed, at an end step with the given outcome.</summary>
    /// <param name="outcome">The end outcome expected; <see langword="null"/> for an end step without one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="ProcessAssertionException">The instance has not completed, or ended with another outcome.</exception>
    public async ValueTask<InstanceSnapshot> AssertCompletedAsync(string? outcome, CancellationToken cancellationToken = default)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (snapshot.State != InstanceState.Completed || !string.Equals(snapshot.EndOutcome, outcome, StringComparison.Ordinal))
        {
            var actual = snapshot.State == InstanceState.Completed ? $"it completed with {Quote(snapshot.EndOutcome)}" : $"it is {snapshot.State}";
            throw await FailAsync($"Expected the instance to complete with {Quote(outcome)}, but {actual}.", cancellationToken).ConfigureAwait(false);
        }

        return snapshot;
    }

    /// <summary>
    /// Asserts the value of a field. Numbers compare by value whatever their CLR type (the engine
    /// keeps them as <see cref="decimal"/>); other values with <see cref="object.Equals(object?, object?)"/>.
    /// </summary>
    /// <param name="field">The field name.</param>
    /// <param name="expected">The value expected; <see langword="null"/> for an unset field.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the assertion holds.</returns>
    /// <exception cref="ProcessAssertionException">The field holds something else.</exception>
    public async ValueTask AssertDataAsync(string field, object? expected, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(field);
        var snapshot = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var actual = snapshot.Data.GetValueOrDefault(field);
        if (!SameValue(expected, actual))
        {
            throw await FailAsync($"Expected '{field}' to be {Format(expected)}, but it is {Format(actual)}.", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asserts that the history holds an event of a type (at a step, when given).</summary>
    /// <param name="type">The event type.</param>
    /// <param name="stepId">The step of the event. Optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The first matching event.</returns>
    /// <exception cref="ProcessAssertionException">No event matches.</exception>
    public ValueTask<HistoryEvent> AssertHistoryContainsAsync(HistoryEventType type, string? stepId = null, CancellationToken cancellationToken = default) =>
        AssertHistoryContainsAsync(
            e => e.Type == type && (stepId is null || string.Equals(e.StepId, stepId, StringComparison.Ordinal)),
            stepId is null ? $"a {type} event" : $"a {type} event at '{stepId}'",
            cancellationToken);

    /// <summary>Asserts that the history holds an event that matches a condition.</summary>
    /// <param name="predicate">The condition.</param>
    /// <param name="description">What the event is, for the failure message ("a reminder to the manager").</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The first matching event.</returns>
    /// <exception cref="ProcessAssertionException">No event matches.</exception>
    public async ValueTask<HistoryEvent> AssertHistoryContainsAsync(Func<HistoryEvent, bool> predicate, string description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        var history = await GetHistoryAsync(cancellationToken).ConfigureAwait(false);
        foreach (var e in history)
        {
            if (predicate(e))
            {
                return e;
            }
        }

        throw await FailAsync($"Expected the history to hold {description}, but it does not.", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asserts that the history holds no event of a type (at a step, when given).</summary>
    /// <param name="type">The event type.</param>
    /// <param name="stepId">The step of the event. Optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the assertion holds.</returns>
    /// <exception cref="ProcessAssertionException">An event matches.</exception>
    public async ValueTask AssertHistoryLacksAsync(HistoryEventType type, string? stepId = null, CancellationToken cancellationToken = default)
    {
        var history = await GetHistoryAsync(cancellationToken).ConfigureAwait(false);
        var found = history.FirstOrDefault(e => e.Type == type && (stepId is null || string.Equals(e.StepId, stepId, StringComparison.Ordinal)));
        if (found != default)
        {
            throw await FailAsync($"Expected no {type} event{(stepId is null ? string.Empty : " at '" + stepId + "'")}, but found {DescribeEvent(found)}.", cancellationToken).ConfigureAwait(false);
        }
    }

    internal static bool SameValue(object? expected, object? actual)
    {
        if (expected is null || actual is null)
        {
            return expected is null && actual is null;
        }

        if (IsNumber(expected) && IsNumber(actual))
        {
            return Convert.ToDecimal(expected, CultureInfo.InvariantCulture) == Convert.ToDecimal(actual, CultureInfo.InvariantCulture);
        }

        return Equals(expected, actual);
    }

    private static bool IsNumber(object value) =>
        value is byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal;

    private static string List(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? "nothing" : "[" + string.Join(", ", list) + "]";
    }

    private static string Quote(string? text) => text is null ? "no outcome" : "'" + text + "'";
}
