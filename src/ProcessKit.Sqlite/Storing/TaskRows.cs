using System.Buffers;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ProcessKit.Execution;
using ProcessKit.Persistence;
using ProcessKit.Tasks;

namespace ProcessKit.Sqlite.Storing;

/// <summary>
/// A human task as a row: the columns the store queries, and a small JSON body for the rest (process,
/// step name, outcomes, the step's node and the multi-instance item).
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class TaskRows
{
    /// <summary>The columns <see cref="Read"/> expects, in order.</summary>
    public const string Columns = "id, instance_id, step_id, step_instance, state, role, assigned_to, claimed_by, created_ticks, claimed_ticks, due_ticks, closed_ticks, outcome, body";

    /// <summary>Writes the body of <paramref name="task"/>.</summary>
    public static byte[] WriteBody(HumanTaskInfo task)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("process", task.ProcessId);
            json.WriteNumber("processVersion", task.ProcessVersion);
            json.WriteString("stepName", task.StepName);
            json.WriteNumber("node", task.Node);
            json.WriteStartArray("outcomes");
            foreach (var outcome in task.Outcomes)
            {
                json.WriteStringValue(outcome);
            }

            json.WriteEndArray();
            if (task.Item is { } item)
            {
                json.WritePropertyName("item");
                InstanceCodec.WriteValue(json, item, "item");
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a task from a row selected with <see cref="Columns"/>.</summary>
    public static HumanTaskInfo Read(SqliteDataReader reader)
    {
        var body = (byte[])reader.GetValue(13);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var outcomes = root.GetProperty("outcomes");
        var list = new string[outcomes.GetArrayLength()];
        var i = 0;
        foreach (var outcome in outcomes.EnumerateArray())
        {
            list[i++] = outcome.GetString()!;
        }

        return new HumanTaskInfo
        {
            TaskId = reader.GetInt64(0),
            Instance = new InstanceId(reader.GetInt64(1)),
            StepId = reader.GetString(2),
            StepInstance = reader.GetInt32(3),
            State = (TaskState)reader.GetInt32(4),
            Role = reader.GetString(5),
            AssignedTo = reader.IsDBNull(6) ? null : reader.GetString(6),
            ClaimedBy = reader.IsDBNull(7) ? null : reader.GetString(7),
            CreatedAt = Time(reader.GetInt64(8)),
            ClaimedAt = reader.IsDBNull(9) ? null : Time(reader.GetInt64(9)),
            DueAt = reader.IsDBNull(10) ? null : Time(reader.GetInt64(10)),
            ClosedAt = reader.IsDBNull(11) ? null : Time(reader.GetInt64(11)),
            Outcome = reader.IsDBNull(12) ? null : reader.GetString(12),
            ProcessId = root.GetProperty("process").GetString()!,
            ProcessVersion = root.GetProperty("processVersion").GetInt32(),
            StepName = root.GetProperty("stepName").GetString()!,
            Node = root.GetProperty("node").GetInt32(),
            Outcomes = list,
            Item = root.TryGetProperty("item", out var item) ? InstanceCodec.Untyped(item) : null,
        };
    }

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);
}
