using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;
using ProcessKit.Analytics;
using ProcessKit.Definitions;
using ProcessKit.History;
using ProcessKit.Persistence;
using ProcessKit.Tasks;

namespace ProcessKit.Cli;

/// <summary>
/// Writes the result of <c>processkit run</c> as JSON: the script's result, the instance (state,
/// data, where it waits), its open tasks, its history and its characteristics (cost, durations,
/// satisfaction, deadline breaches, the path taken) as <see cref="ProcessAnalytics"/> computes them.
/// </summary>
internal static class RunReport
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the report of a run.</summary>
    public static async Task<string> WriteAsync(ProcessDefinition definition, ScriptRun run, RunScript script, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Indented))
        {
            json.WriteStartObject();
            json.WriteStartObject("script");
            json.WriteBoolean("passed", run.Failure is null);
            json.WriteNumber("actions", script.Actions.Count);
            json.WriteNumber("ran", run.Ran);
            json.WriteNumber("expectationsHeld", run.Expectations);
            if (run.Failure is { } failure)
            {
                json.WriteStartObject("failure");
                json.WriteString("pointer", failure.Pointer);
                json.WriteString("message", failure.Message);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("failure");
            }

            json.WriteString("clock", run.Harness.Now);
            if (run.Harness.StubbedHandlers.Count > 0)
            {
                json.WriteStartArray("stubbedHandlers");
                foreach (var name in run.Harness.StubbedHandlers)
                {
                    json.WriteStringValue(name);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            if (run.Instance is { } instance)
            {
                var snapshot = await instance.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
                json.WriteStartObject("instance");
                json.WriteNumber("id", snapshot.Id.Value);
                json.WriteString("processId", snapshot.ProcessId);
                json.WriteNumber("processVersion", snapshot.ProcessVersion);
                json.WriteString("state", snapshot.State.ToString());
                WriteOptional(json, "endOutcome", snapshot.EndOutcome);
                WriteOptional(json, "businessKey", snapshot.BusinessKey);
                json.WriteString("startedAt", snapshot.StartedAt);
                if (snapshot.EndedAt is { } ended)
                {
                    json.WriteString("endedAt", ended);
                }
                else
                {
                    json.WriteNull("endedAt");
                }

                json.WriteStartArray("activeSteps");
                foreach (var step in snapshot.ActiveSteps)
                {
                    json.WriteStringValue(step);
                }

                json.WriteEndArray();
                json.WritePropertyName("data");
                InstanceCodec.WriteForDisplay(json, new SortedDictionary<string, object?>(snapshot.Data.ToDictionary(), StringComparer.Ordinal));
                json.WriteEndObject();

                json.WriteStartArray("openTasks");
                foreach (var task in await instance.GetOpenTasksAsync(cancellationToken).ConfigureAwait(false))
                {
                    WriteTask(json, task);
                }

                json.WriteEndArray();
                var history = await instance.GetHistoryAsync(cancellationToken).ConfigureAwait(false);
                json.WriteStartArray("history");
                foreach (var e in history)
                {
                    WriteEvent(json, e);
                }

                json.WriteEndArray();
                WriteCharacteristics(json, ProcessAnalytics.Characteristics(definition, history, run.Harness.Now));
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteCharacteristics(Utf8JsonWriter json, InstanceCharacteristics c)
    {
        json.WriteStartObject("characteristics");
        WriteDuration(json, "cycleTime", c.CycleTime);
        WriteDuration(json, "workTime", c.WorkTime);
        WriteDuration(json, "waitTime", c.WaitTime);
        WriteDuration(json, "eventWaitTime", c.EventWaitTime);
        WriteDuration(json, "timeToFirstReaction", c.TimeToFirstReaction);
        json.WriteNumber("cost", c.Cost);
        if (c.Satisfaction is { } satisfaction)
        {
            json.WriteNumber("satisfaction", satisfaction);
        }
        else
        {
            json.WriteNull("satisfaction");
        }

        json.WriteStartArray("deadlineBreaches");
        foreach (var breach in c.Breaches)
        {
            json.WriteStartObject();
            json.WriteString("time", breach.Time);
            WriteOptional(json, "deadline", breach.Deadline);
            WriteOptional(json, "step", breach.StepId);
            WriteOptional(json, "role", breach.RoleId);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteBoolean("stayedOnHappyPath", c.StayedOnHappyPath);
        json.WriteStartArray("path");
        foreach (var entry in c.Path)
        {
            json.WriteStartObject();
            json.WriteString("step", entry.StepId);
            json.WriteString("path", entry.Path.ToString());
            WriteOptional(json, "outcome", entry.Outcome);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteDuration(Utf8JsonWriter json, string name, TimeSpan? value)
    {
        if (value is { } duration)
        {
            json.WriteString(name, XmlConvert.ToString(duration));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>An instance value as JSON text, in the form the report writes it.</summary>
    public static string ValueJson(object? value)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            InstanceCodec.WriteForDisplay(json, value);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteTask(Utf8JsonWriter json, HumanTaskInfo task)
    {
        json.WriteStartObject();
        json.WriteNumber("taskId", task.TaskId);
        json.WriteString("step", task.StepId);
        json.WriteString("role", task.Role);
        json.WriteString("state", task.State.ToString());
        WriteOptional(json, "assignedTo", task.AssignedTo);
        WriteOptional(json, "claimedBy", task.ClaimedBy);
        json.WriteString("createdAt", task.CreatedAt);
        if (task.DueAt is { } due)
        {
            json.WriteString("dueAt", due);
        }

        if (task.Outcomes.Count > 0)
        {
            json.WriteStartArray("outcomes");
            foreach (var outcome in task.Outcomes)
            {
                json.WriteStringValue(outcome);
            }

            json.WriteEndArray();
        }

        if (task.Item is not null)
        {
            json.WritePropertyName("item");
            InstanceCodec.WriteForDisplay(json, task.Item);
        }

        json.WriteEndObject();
    }

    private static void WriteEvent(Utf8JsonWriter json, HistoryEvent e)
    {
        json.WriteStartObject();
        json.WriteNumber("sequence", e.Sequence);
        json.WriteString("time", e.Time);
        json.WriteString("type", e.Type.ToString());
        WriteOptional(json, "step", e.StepId);
        if (e.StepId is not null)
        {
            json.WriteNumber("stepInstance", e.StepInstance);
        }

        WriteOptional(json, "user", e.UserId);
        WriteOptional(json, "role", e.RoleId);
        if (e.Cost != 0m)
        {
            json.WriteNumber("cost", e.Cost);
        }

        if (e.Value is { } value)
        {
            json.WriteNumber("value", value);
        }

        json.WriteString("path", e.Path.ToString());
        WriteOptional(json, "detail", e.Detail);
        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
