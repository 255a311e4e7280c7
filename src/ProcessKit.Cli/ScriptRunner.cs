using System.Globalization;
using System.Text.Json;
using ProcessKit.Definitions;
using ProcessKit.Messaging;
using ProcessKit.Testing;

namespace ProcessKit.Cli;

/// <summary>What a script run gave: the instance (once started), how far the script got, and the first failure.</summary>
/// <param name="Harness">The harness the instance ran in.</param>
/// <param name="Instance">The instance; <see langword="null"/> when it could not be started.</param>
/// <param name="Ran">How many actions ran (the failed one included).</param>
/// <param name="Expectations">How many expectations held.</param>
/// <param name="Failure">The first failure, or <see langword="null"/> when every action ran and every expectation held.</param>
internal sealed record ScriptRun(ProcessTestHarness Harness, TestInstance? Instance, int Ran, int Expectations, ScriptException? Failure);

/// <summary>Runs one instance of a definition against a script, on fake time, with the ProcessKit.Testing harness.</summary>
internal static class ScriptRunner
{
    /// <summary>The handler names a definition uses that neither the script nor a stub provides.</summary>
    public static IReadOnlyList<string> MissingHandlers(ProcessDefinition definition, RunScript script) =>
        ProcessTestHarness.MissingHandlers([definition], script.Handlers.ContainsKey);

    /// <summary>Runs the script; stops at the first failed action or expectation.</summary>
    public static async Task<ScriptRun> RunAsync(ProcessDefinition definition, RunScript script, bool stubHandlers, CancellationToken cancellationToken)
    {
        var options = new ProcessTestHarnessOptions { Definitions = { definition }, StubMissingHandlers = stubHandlers };
        foreach (var (name, fields) in script.Handlers)
        {
            options.AddHandler(name, context =>
            {
                foreach (var (field, value) in fields)
                {
                    context.Set(field, value);
                }
            });
        }

        var harness = await ProcessTestHarness.CreateAsync(options, cancellationToken).ConfigureAwait(false);
        TestInstance instance;
        try
        {
            instance = await StartAsync(harness, definition, script.Start, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ProcessKitException or ProcessAssertionException)
        {
            return new ScriptRun(harness, null, 0, 0, new ScriptException("/start", Message(ex)));
        }

        var ran = 0;
        var held = 0;
        foreach (var action in script.Actions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ran++;
            try
            {
                if (await RunActionAsync(harness, instance, action, cancellationToken).ConfigureAwait(false))
                {
                    held++;
                }
            }
            catch (ScriptException failure)
            {
                return new ScriptRun(harness, instance, ran, held, failure);
            }
            catch (Exception ex) when (ex is ProcessKitException or ProcessAssertionException or ArgumentException)
            {
                return new ScriptRun(harness, instance, ran, held, new ScriptException(action.Pointer, Message(ex)));
            }
        }

        return new ScriptRun(harness, instance, ran, held, null);
    }

    private static async Task<TestInstance> StartAsync(ProcessTestHarness harness, ProcessDefinition definition, ScriptStart start, CancellationToken cancellationToken)
    {
        if (start.Message is null)
        {
            return await harness.StartAsync(definition.Id, start.Data, start.BusinessKey, cancellationToken).ConfigureAwait(false);
        }

        var message = new ProcessMessage(start.Message) { Payload = start.Data, CorrelationKey = start.BusinessKey, MessageId = start.MessageId };
        var started = await harness.StartByMessageAsync(message, cancellationToken).ConfigureAwait(false);
        return started.Count == 1
            ? started[0]
            : throw new ScriptException("/start/message", string.Create(CultureInfo.InvariantCulture, $"the message started {started.Count} instances; a script runs one"));
    }

    /// <summary>Runs one action; true when it was an expectation (and it held).</summary>
    private static async Task<bool> RunActionAsync(ProcessTestHarness harness, TestInstance instance, ScriptAction action, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case TaskAction { Verb: "complete" } t:
                await instance.CompleteAsync(t.Step, t.User, t.Outcome, t.Data, cancellationToken).ConfigureAwait(false);
                return false;
            case TaskAction { Verb: "claim" } t:
                await instance.ClaimAsync(t.Step, t.User, cancellationToken).ConfigureAwait(false);
                return false;
            case TaskAction { Verb: "release" } t:
                await instance.ReleaseAsync(t.Step, t.User, cancellationToken).ConfigureAwait(false);
                return false;
            case TaskAction { Verb: "delegate" } t:
                await instance.DelegateAsync(t.Step, t.User, t.To!, cancellationToken).ConfigureAwait(false);
                return false;
            case PublishAction p:
                await instance.PublishAsync(p.Message, p.Correlation, p.Payload, p.MessageId, cancellationToken).ConfigureAwait(false);
                return false;
            case AdvanceAction a:
                await harness.AdvanceAsync(a.By, cancellationToken).ConfigureAwait(false);
                return false;
            case CancelAction c:
                await instance.CancelAsync(c.Reason, cancellationToken).ConfigureAwait(false);
                return false;
            case ExpectAction e:
                await CheckAsync(instance, e, cancellationToken).ConfigureAwait(false);
                return true;
            default:
                throw new ScriptException(action.Pointer, "unknown action");
        }
    }

    private static async Task CheckAsync(TestInstance instance, ExpectAction expect, CancellationToken cancellationToken)
    {
        var snapshot = await instance.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (expect.State is { } state && snapshot.State != state)
        {
            throw new ScriptException(expect.Pointer + "/state", $"expected the instance to be {state}, but it is {snapshot.State}");
        }

        if (expect.HasOutcome && !string.Equals(snapshot.EndOutcome, expect.Outcome, StringComparison.Ordinal))
        {
            throw new ScriptException(expect.Pointer + "/outcome", $"expected the end outcome {Quote(expect.Outcome)}, but it is {Quote(snapshot.EndOutcome)} ({snapshot.State})");
        }

        if (expect.Tasks is { } tasks)
        {
            var open = (await instance.GetOpenTasksAsync(cancellationToken).ConfigureAwait(false)).Select(static t => t.StepId);
            Same(expect.Pointer + "/tasks", "open tasks at", tasks, open);
        }

        if (expect.ActiveSteps is { } active)
        {
            Same(expect.Pointer + "/activeSteps", "the instance to wait at", active, snapshot.ActiveSteps);
        }

        if (expect.Data is { } data)
        {
            foreach (var (field, expected) in data)
            {
                using var actual = JsonDocument.Parse(RunReport.ValueJson(snapshot.Data.GetValueOrDefault(field)));
                if (!JsonElement.DeepEquals(expected, actual.RootElement) && !SameNumber(expected, actual.RootElement) && !SameTime(expected, snapshot.Data.GetValueOrDefault(field)))
                {
                    throw new ScriptException(expect.Pointer + "/data/" + field.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal), $"expected '{field}' to be {expected.GetRawText()}, but it is {actual.RootElement.GetRawText()}");
                }
            }
        }

        if (expect.History is { } history)
        {
            var events = await instance.GetHistoryAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (pointer, type, step) in history)
            {
                if (!events.Any(e => e.Type == type && (step is null || string.Equals(e.StepId, step, StringComparison.Ordinal))))
                {
                    throw new ScriptException(pointer, $"expected a {type} event{(step is null ? string.Empty : " at '" + step + "'")} in the history, but there is none");
                }
            }
        }
    }

    private static bool SameNumber(JsonElement expected, JsonElement actual) =>
        expected.ValueKind == JsonValueKind.Number && actual.ValueKind == JsonValueKind.Number
        && expected.TryGetDecimal(out var a) && actual.TryGetDecimal(out var b) && a == b;

    /// <summary>A date-time written another way (<c>Z</c> or an offset) names the same instant.</summary>
    private static bool SameTime(JsonElement expected, object? actual) =>
        actual is DateTimeOffset time && expected.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(expected.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var wanted)
        && wanted == time;

    private static void Same(string pointer, string what, IEnumerable<string> expected, IEnumerable<string> actual)
    {
        var e = expected.Order(StringComparer.Ordinal).ToList();
        var a = actual.Order(StringComparer.Ordinal).ToList();
        if (!e.SequenceEqual(a, StringComparer.Ordinal))
        {
            throw new ScriptException(pointer, $"expected {what} [{string.Join(", ", e)}], found [{string.Join(", ", a)}]");
        }
    }

    private static string Quote(string? text) => text is null ? "none" : "'" + text + "'";

    private static string Message(Exception ex) =>
        CliText.OneLine(ex is ProcessAssertionException { Expectation: { } expectation } ? expectation : ex.Message);
}
