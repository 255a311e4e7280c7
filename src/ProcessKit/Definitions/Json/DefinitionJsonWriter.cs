using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;

namespace ProcessKit.Definitions.Json;

/// <summary>
/// Writes a <see cref="ProcessDefinition"/> in the JSON format of <c>docs/format-spec.md</c>, by hand:
/// properties in a fixed order, values equal to the model's defaults left out, durations as ISO 8601
/// (<see cref="XmlConvert"/>), enums by name. The same definition always gives the same bytes.
/// </summary>
/// <remarks>Stateless and thread-safe. The caller checks first that the definition holds no lambda.</remarks>
internal static class DefinitionJsonWriter
{
    /// <summary>Writer options for a document meant for people and version control.</summary>
    /// <remarks>
    /// The relaxed encoder keeps expressions readable (<c>amount &gt; 100</c>, not <c>\u003E</c>) and
    /// non-ASCII names as they are; the output is a file, never embedded in HTML.
    /// </remarks>
    public static JsonWriterOptions Options(bool indented) => new()
    {
        Indented = indented,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(Utf8JsonWriter w, ProcessDefinition d)
    {
        w.WriteStartObject();
        w.WriteString("$schema", DefinitionSchema.Id);
        w.WriteString("id", d.Id);
        w.WriteNumber("version", d.Version);
        w.WriteString("name", d.Name);
        OptionalString(w, "description", d.Description);
        if (d.Kind != ProcessKind.Core)
        {
            w.WriteString("kind", d.Kind.ToString());
        }

        OptionalString(w, "category", d.Category);
        OptionalString(w, "goal", d.Goal);
        OptionalString(w, "ownerRole", d.OwnerRole);
        Array(w, "suppliers", d.Suppliers, static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("id", s.Id);
            w.WriteString("name", s.Name);
            OptionalString(w, "description", s.Description);
            Fields(w, "inputs", s.Inputs);
            w.WriteEndObject();
        });
        Array(w, "clients", d.Clients, static (w, c) =>
        {
            w.WriteStartObject();
            w.WriteString("id", c.Id);
            w.WriteString("name", c.Name);
            OptionalString(w, "description", c.Description);
            Fields(w, "outputs", c.Outputs);
            w.WriteEndObject();
        });
        Array(w, "roles", d.Roles, static (w, r) =>
        {
            w.WriteStartObject();
            w.WriteString("id", r.Id);
            w.WriteString("name", r.Name);
            OptionalString(w, "description", r.Description);
            if (r.HourlyCost != 0m)
            {
                w.WriteNumber("hourlyCost", r.HourlyCost);
            }

            w.WriteEndObject();
        });
        OptionalString(w, "start", d.StartStep);

        // "steps" is required, so it is written even when empty.
        w.WriteStartArray("steps");
        foreach (var step in d.Steps)
        {
            Step(w, step);
        }

        w.WriteEndArray();
        Array(w, "deadlines", d.Deadlines, static (w, x) =>
        {
            w.WriteStartObject();
            w.WriteString("id", x.Id);
            w.WriteString("from", x.From);
            OptionalString(w, "until", x.Until);
            Due(w, "within", x.Within);
            OptionalDuration(w, "goalTime", x.GoalTime);
            Escalations(w, x.Escalations);
            w.WriteEndObject();
        });
        if (d.Targets is { } targets)
        {
            w.WriteStartObject("targets");
            OptionalDuration(w, "cycleTime", targets.CycleTime);
            OptionalDecimal(w, "costPerInstance", targets.CostPerInstance);
            OptionalDecimal(w, "satisfaction", targets.Satisfaction);
            OptionalString(w, "satisfactionField", targets.SatisfactionField);
            w.WriteEndObject();
        }

        Array(w, "triggers", d.Triggers, static (w, t) =>
        {
            w.WriteStartObject();
            w.WriteString("kind", t.Kind.ToString());
            OptionalString(w, "message", t.Message);
            OptionalDuration(w, "every", t.Interval);
            w.WriteEndObject();
        });
        w.WriteEndObject();
    }

    private static void Step(Utf8JsonWriter w, StepDefinition step)
    {
        w.WriteStartObject();
        w.WriteString("id", step.Id);
        w.WriteString("name", step.Name);
        w.WriteString("kind", step.Kind.ToString());
        OptionalString(w, "description", step.Description);
        OptionalString(w, "role", step.Role);
        OptionalDuration(w, "workTime", step.WorkTime);
        OptionalDecimal(w, "fixedCost", step.FixedCost);
        switch (step)
        {
            case HumanTaskStep task:
                Strings(w, "outcomes", task.Outcomes);
                Strings(w, "reads", task.Reads);
                Fields(w, "writes", task.Writes);
                OptionalDuration(w, "goalTime", task.GoalTime);
                if (task.Deadline is { } deadline)
                {
                    Due(w, "deadline", deadline);
                }

                Escalations(w, task.Escalations);
                Allocation(w, task.Allocation);
                MultiInstance(w, task.MultiInstance);
                break;
            case AutomatedStep automated:
                w.WriteString("handler", automated.Handler);
                if (automated.Asynchronous)
                {
                    w.WriteBoolean("asynchronous", true);
                }

                Retry(w, automated.Retry);
                OptionalDuration(w, "timeout", automated.Timeout);
                Strings(w, "reads", automated.Reads);
                Fields(w, "writes", automated.Writes);
                MultiInstance(w, automated.MultiInstance);
                break;
            case ParallelJoinStep join:
                w.WriteString("split", join.Split);
                break;
            case InclusiveMergeStep merge:
                w.WriteString("split", merge.Split);
                break;
            case WaitMessageStep wait:
                w.WriteString("message", wait.Message);
                OptionalExpression(w, "correlation", wait.Correlation);
                Fields(w, "writes", wait.Writes);
                if (wait.Timeout is { } timeout)
                {
                    w.WriteStartObject("timeout");
                    Due(w, "after", timeout.After);
                    w.WriteString("to", timeout.To);
                    if (timeout.Path != PathKind.Exception)
                    {
                        w.WriteString("path", timeout.Path.ToString());
                    }

                    w.WriteEndObject();
                }

                Escalations(w, wait.Escalations);
                break;
            case TimerStep timer:
                Due(w, "wait", timer.Wait);
                break;
            case NotificationStep notification:
                OptionalString(w, "message", notification.Message);
                break;
            case SubProcessStep sub:
                w.WriteString("process", sub.ProcessId);
                if (sub.Version is { } version)
                {
                    w.WriteNumber("version", version);
                }

                Mappings(w, "inputs", sub.Inputs);
                Mappings(w, "outputs", sub.Outputs);
                MultiInstance(w, sub.MultiInstance);
                break;
            case EndStep end:
                OptionalString(w, "outcome", end.Outcome);
                if (end.Terminate)
                {
                    w.WriteBoolean("terminate", true);
                }

                break;
        }

        Array(w, "next", step.Flows, static (w, f) =>
        {
            w.WriteStartObject();
            w.WriteString("to", f.To);
            OptionalExpression(w, "when", f.When);
            OptionalString(w, "outcome", f.Outcome);
            if (f.IsDefault)
            {
                w.WriteBoolean("default", true);
            }

            OptionalString(w, "label", f.Label);
            if (f.Path != PathKind.Happy)
            {
                w.WriteString("path", f.Path.ToString());
            }

            w.WriteEndObject();
        });
        w.WriteEndObject();
    }

    private static void Allocation(Utf8JsonWriter w, Allocation allocation)
    {
        if (allocation == new Allocation())
        {
            return;
        }

        w.WriteStartObject("allocation");
        if (allocation.Strategy != AllocationStrategy.OfferToRole)
        {
            w.WriteString("strategy", allocation.Strategy.ToString());
        }

        OptionalExpression(w, "assignee", allocation.Assignee);
        Strings(w, "separateFrom", allocation.SeparateFrom);
        OptionalString(w, "retainFamiliar", allocation.RetainFamiliar);
        w.WriteEndObject();
    }

    private static void Retry(Utf8JsonWriter w, RetryPolicy? retry)
    {
        if (retry is null)
        {
            return;
        }

        var defaults = new RetryPolicy();
        w.WriteStartObject("retry");
        if (retry.MaxAttempts != defaults.MaxAttempts)
        {
            w.WriteNumber("maxAttempts", retry.MaxAttempts);
        }

        if (retry.Delay != defaults.Delay)
        {
            w.WriteString("delay", XmlConvert.ToString(retry.Delay));
        }

        if (!retry.BackoffMultiplier.Equals(defaults.BackoffMultiplier))
        {
            w.WriteNumber("backoffMultiplier", retry.BackoffMultiplier);
        }

        OptionalDuration(w, "maxDelay", retry.MaxDelay);
        w.WriteEndObject();
    }

    private static void MultiInstance(Utf8JsonWriter w, MultiInstance? loop)
    {
        if (loop is null)
        {
            return;
        }

        w.WriteStartObject("multiInstance");
        w.WriteString("collection", loop.Collection.Text);
        w.WriteString("itemName", loop.ItemName);
        if (loop.Mode != MultiInstanceMode.Parallel)
        {
            w.WriteString("mode", loop.Mode.ToString());
        }

        if (loop.RequiredCompletions is { } required)
        {
            w.WriteNumber("requiredCompletions", required);
        }

        w.WriteEndObject();
    }

    private static void Escalations(Utf8JsonWriter w, ValueArray<Escalation> escalations) =>
        Array(w, "escalations", escalations, static (w, e) =>
        {
            w.WriteStartObject();
            w.WriteString("action", e.Action.ToString());
            if (e.At is { } at)
            {
                Due(w, "at", at);
            }

            OptionalString(w, "role", e.Role);
            OptionalString(w, "to", e.To);
            if (e.Interrupting)
            {
                w.WriteBoolean("interrupting", true);
            }

            if (e.Path != PathKind.Exception)
            {
                w.WriteString("path", e.Path.ToString());
            }

            OptionalString(w, "message", e.Message);
            w.WriteEndObject();
        });

    private static void Due(Utf8JsonWriter w, string name, DueTime due)
    {
        w.WriteStartObject(name);
        if (due.After is { } after)
        {
            w.WriteString("after", XmlConvert.ToString(after));
        }
        else
        {
            w.WriteString("at", due.At!.Text);
        }

        w.WriteEndObject();
    }

    private static void Fields(Utf8JsonWriter w, string name, ValueArray<DataField> fields) =>
        Array(w, name, fields, static (w, f) =>
        {
            w.WriteStartObject();
            w.WriteString("name", f.Name);
            w.WriteString("type", f.Type.ToString());
            if (f.Required)
            {
                w.WriteBoolean("required", true);
            }

            OptionalString(w, "description", f.Description);
            OptionalDecimal(w, "minimum", f.Minimum);
            OptionalDecimal(w, "maximum", f.Maximum);
            w.WriteEndObject();
        });

    private static void Mappings(Utf8JsonWriter w, string name, ValueArray<DataMapping> mappings) =>
        Array(w, name, mappings, static (w, m) =>
        {
            w.WriteStartObject();
            w.WriteString("target", m.Target);
            w.WriteString("value", m.Value.Text);
            w.WriteEndObject();
        });

    private static void Strings(Utf8JsonWriter w, string name, ValueArray<string> items) =>
        Array(w, name, items, static (w, s) => w.WriteStringValue(s));

    private static void Array<T>(Utf8JsonWriter w, string name, ValueArray<T> items, Action<Utf8JsonWriter, T> write)
    {
        if (items.IsEmpty)
        {
            return;
        }

        w.WriteStartArray(name);
        foreach (var item in items)
        {
            write(w, item);
        }

        w.WriteEndArray();
    }

    private static void OptionalString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void OptionalExpression(Utf8JsonWriter w, string name, ProcessExpression? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value.Text);
        }
    }

    private static void OptionalDuration(Utf8JsonWriter w, string name, TimeSpan? value)
    {
        if (value is { } duration)
        {
            w.WriteString(name, XmlConvert.ToString(duration));
        }
    }

    private static void OptionalDecimal(Utf8JsonWriter w, string name, decimal? value)
    {
        if (value is { } number)
        {
            w.WriteNumber(name, number);
        }
    }
}
