using System.Globalization;
using System.Text.Json;
using System.Xml;
using ProcessKit.Execution;
using ProcessKit.History;

namespace ProcessKit.Cli;

/// <summary>
/// Reads a <c>processkit run</c> script (see docs/run-scripts.md). Strict on purpose: an unknown
/// property, a wrong type or a missing value is a <see cref="ScriptException"/> with the JSON
/// pointer of the culprit, so that a typo never silently skips a check.
/// </summary>
internal static class RunScriptReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    /// <summary>Parses and checks a script.</summary>
    /// <exception cref="ScriptException">The script is not valid JSON or not a valid script.</exception>
    public static RunScript Read(ReadOnlySpan<byte> utf8Json)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(utf8Json.ToArray(), DocumentOptions);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line
                ? string.Create(CultureInfo.InvariantCulture, $" at line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1}")
                : string.Empty;
            throw new ScriptException("/", "not valid JSON" + where + ": " + CliText.OneLine(ex.Message));
        }

        var top = Object(root, string.Empty, "start", "handlers", "steps");
        var start = top.TryGetValue("start", out var s) ? Start(s, "/start") : new ScriptStart(null, null, null, null);
        var handlers = new Dictionary<string, IReadOnlyDictionary<string, object?>>(StringComparer.Ordinal);
        if (top.TryGetValue("handlers", out var h))
        {
            Expect(h, JsonValueKind.Object, "/handlers", "an object of handler name → the fields it sets");
            foreach (var handler in h.EnumerateObject())
            {
                handlers[handler.Name] = DataObject(handler.Value, "/handlers/" + Escape(handler.Name))!;
            }
        }

        if (!top.TryGetValue("steps", out var steps))
        {
            throw new ScriptException("/", "the script has no \"steps\" (an array of actions)");
        }

        Expect(steps, JsonValueKind.Array, "/steps", "an array of actions");
        var actions = new List<ScriptAction>();
        var index = 0;
        foreach (var step in steps.EnumerateArray())
        {
            actions.Add(Action(step, "/steps/" + index.ToString(CultureInfo.InvariantCulture)));
            index++;
        }

        return new RunScript(start, handlers, actions);
    }

    private static ScriptStart Start(JsonElement element, string pointer)
    {
        var start = Object(element, pointer, "data", "businessKey", "message", "messageId");
        var message = OptionalString(start, "message", pointer);
        var messageId = OptionalString(start, "messageId", pointer);
        if (message is null && messageId is not null)
        {
            throw new ScriptException(pointer + "/messageId", "\"messageId\" only applies to a start by \"message\"");
        }

        return new ScriptStart(
            start.TryGetValue("data", out var data) ? DataObject(data, pointer + "/data") : null,
            OptionalString(start, "businessKey", pointer),
            message,
            messageId);
    }

    private static ScriptAction Action(JsonElement element, string pointer)
    {
        Expect(element, JsonValueKind.Object, pointer, "an object with one action: complete, claim, release, delegate, publish, advance, cancel or expect");
        var properties = element.EnumerateObject().ToList();
        if (properties.Count != 1)
        {
            throw new ScriptException(pointer, string.Create(CultureInfo.InvariantCulture, $"an action is an object with exactly one property (complete, claim, release, delegate, publish, advance, cancel or expect), not {properties.Count}"));
        }

        var action = properties[0];
        var at = pointer + "/" + Escape(action.Name);
        return action.Name switch
        {
            "complete" => Task(action.Value, at, "complete", "outcome", "data"),
            "claim" => Task(action.Value, at, "claim"),
            "release" => Task(action.Value, at, "release"),
            "delegate" => Task(action.Value, at, "delegate", "to"),
            "publish" => Publish(action.Value, at),
            "advance" => new AdvanceAction(at, Duration(action.Value, at)),
            "cancel" => new CancelAction(at, action.Value.ValueKind == JsonValueKind.Null ? null : String(action.Value, at)),
            "expect" => ExpectAction(action.Value, at),
            _ => throw new ScriptException(at, $"unknown action \"{CliText.OneLine(action.Name)}\"; allowed: complete, claim, release, delegate, publish, advance, cancel, expect"),
        };
    }

    private static TaskAction Task(JsonElement element, string pointer, string verb, params string[] extra)
    {
        var task = Object(element, pointer, ["step", "user", "roles", .. extra]);
        var step = RequiredString(task, "step", pointer);
        var user = RequiredString(task, "user", pointer);
        var roles = task.TryGetValue("roles", out var r) ? Strings(r, pointer + "/roles") : [];
        var to = verb == "delegate" ? RequiredString(task, "to", pointer) : null;
        return new TaskAction(
            pointer,
            verb,
            step,
            new ProcessUser(user, roles),
            OptionalString(task, "outcome", pointer),
            task.TryGetValue("data", out var data) ? DataObject(data, pointer + "/data") : null,
            to);
    }

    private static PublishAction Publish(JsonElement element, string pointer)
    {
        var publish = Object(element, pointer, "message", "correlation", "payload", "messageId");
        return new PublishAction(
            pointer,
            RequiredString(publish, "message", pointer),
            OptionalString(publish, "correlation", pointer),
            publish.TryGetValue("payload", out var payload) ? DataObject(payload, pointer + "/payload") : null,
            OptionalString(publish, "messageId", pointer));
    }

    private static ExpectAction ExpectAction(JsonElement element, string pointer)
    {
        var expect = Object(element, pointer, "tasks", "activeSteps", "state", "outcome", "data", "history");
        if (expect.Count == 0)
        {
            throw new ScriptException(pointer, "an expectation checks at least one of tasks, activeSteps, state, outcome, data, history");
        }

        InstanceState? state = null;
        if (OptionalString(expect, "state", pointer) is { } stateText)
        {
            state = Enum.TryParse<InstanceState>(stateText, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(stateText[0])
                ? parsed
                : throw new ScriptException(pointer + "/state", $"unknown state \"{CliText.OneLine(stateText)}\"; allowed: {string.Join(", ", Enum.GetNames<InstanceState>())}");
        }

        var hasOutcome = expect.TryGetValue("outcome", out var outcome);
        if (hasOutcome && outcome.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            throw new ScriptException(pointer + "/outcome", "must be a string, or null for an end without outcome");
        }

        Dictionary<string, JsonElement>? data = null;
        if (expect.TryGetValue("data", out var d))
        {
            Expect(d, JsonValueKind.Object, pointer + "/data", "an object of field → expected value");
            data = d.EnumerateObject().ToDictionary(static p => p.Name, static p => p.Value, StringComparer.Ordinal);
        }

        List<(string, HistoryEventType, string?)>? history = null;
        if (expect.TryGetValue("history", out var hs))
        {
            Expect(hs, JsonValueKind.Array, pointer + "/history", "an array of events ({\"type\": ..., \"step\": ...})");
            history = [];
            var i = 0;
            foreach (var e in hs.EnumerateArray())
            {
                var at = pointer + "/history/" + i.ToString(CultureInfo.InvariantCulture);
                var ev = Object(e, at, "type", "step");
                var typeText = RequiredString(ev, "type", at);
                var type = Enum.TryParse<HistoryEventType>(typeText, ignoreCase: false, out var t) && Enum.IsDefined(t) && !char.IsDigit(typeText[0])
                    ? t
                    : throw new ScriptException(at + "/type", $"unknown event type \"{CliText.OneLine(typeText)}\"; allowed: {string.Join(", ", Enum.GetNames<HistoryEventType>())}");
                history.Add((at, type, OptionalString(ev, "step", at)));
                i++;
            }
        }

        return new ExpectAction(
            pointer,
            expect.TryGetValue("tasks", out var tasks) ? Strings(tasks, pointer + "/tasks") : null,
            expect.TryGetValue("activeSteps", out var active) ? Strings(active, pointer + "/activeSteps") : null,
            state,
            hasOutcome,
            hasOutcome && outcome.ValueKind == JsonValueKind.String ? outcome.GetString() : null,
            data,
            history);
    }

    private static TimeSpan Duration(JsonElement element, string pointer)
    {
        var text = String(element, pointer);
        TimeSpan value;
        try
        {
            value = XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            throw new ScriptException(pointer, $"\"{CliText.OneLine(text)}\" is not an ISO 8601 duration (for example PT30M, PT2H, P3D)");
        }
        catch (OverflowException)
        {
            throw new ScriptException(pointer, $"\"{CliText.OneLine(text)}\" is too long a duration");
        }

        return value < TimeSpan.Zero
            ? throw new ScriptException(pointer, "time only moves forward: the duration must not be negative")
            : value;
    }

    private static Dictionary<string, JsonElement> Object(JsonElement element, string pointer, params string[] allowed)
    {
        Expect(element, JsonValueKind.Object, pointer.Length == 0 ? "/" : pointer, "an object");
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new ScriptException(pointer + "/" + Escape(property.Name), $"unknown property \"{CliText.OneLine(property.Name)}\"; allowed: {string.Join(", ", allowed)}");
            }

            result[property.Name] = property.Value;
        }

        return result;
    }

    private static Dictionary<string, object?>? DataObject(JsonElement element, string pointer)
    {
        Expect(element, JsonValueKind.Object, pointer, "an object of field → value");
        return element.EnumerateObject().ToDictionary(static p => p.Name, static p => (object?)p.Value, StringComparer.Ordinal);
    }

    private static string[] Strings(JsonElement element, string pointer)
    {
        if (element.ValueKind != JsonValueKind.Array || element.EnumerateArray().Any(static e => e.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(e.GetString())))
        {
            throw new ScriptException(pointer, "must be an array of non-empty strings");
        }

        return [.. element.EnumerateArray().Select(static e => e.GetString()!)];
    }

    private static string RequiredString(Dictionary<string, JsonElement> properties, string name, string pointer) =>
        properties.TryGetValue(name, out var value)
            ? String(value, pointer + "/" + name)
            : throw new ScriptException(pointer, $"\"{name}\" is required");

    private static string? OptionalString(Dictionary<string, JsonElement> properties, string name, string pointer) =>
        properties.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? String(value, pointer + "/" + name) : null;

    private static string String(JsonElement element, string pointer) =>
        element.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(element.GetString())
            ? element.GetString()!
            : throw new ScriptException(pointer, "must be a non-empty string");

    private static void Expect(JsonElement element, JsonValueKind kind, string pointer, string what)
    {
        if (element.ValueKind != kind)
        {
            throw new ScriptException(pointer, $"must be {what}, not {element.ValueKind.ToString().ToLowerInvariant()}");
        }
    }

    /// <summary>Escapes a property name as a JSON pointer segment.</summary>
    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
