using System.Buffers;
using System.Data.Common;
using System.Text.Json;
using ProcessKit.Execution;
using ProcessKit.Tasks;

namespace ProcessKit.Persistence;

/// <summary>
/// Writes the part of a human task that stores keep outside their queried columns (process id and version,
/// step name, the engine's node index, the outcomes and the multi-instance item) as one small UTF-8 JSON
/// object, and reads it back. Shared by the durable stores so that their task rows hold the same body.
/// </summary>
/// <remarks>
/// The object is <c>{"process":..,"processVersion":..,"stepName":..,"node":..,"outcomes":[..],"item":..}</c>,
/// <c>item</c> only when the task has one (written with <see cref="InstanceCodec.WriteValue"/>, read back untyped).
/// Reading accepts the properties in any order and skips unknown ones. Stateless and thread-safe.
/// </remarks>
internal static class TaskBodyCodec
{
    /// <summary>The task columns a durable store selects for <see cref="ReadRow"/>, in its order.</summary>
    public const string RowColumns =
        "id, instance_id, step_id, step_instance, state, role, assigned_to, claimed_by, created_ticks, claimed_ticks, due_ticks, closed_ticks, outcome, body";

    /// <summary>
    /// Reads a task from a row selected with <see cref="RowColumns"/> (the state a small integer, times UTC ticks read
    /// back with a zero offset, the rest from the body).
    /// </summary>
    public static HumanTaskInfo ReadRow(DbDataReader r)
    {
        var body = Read(r.GetFieldValue<byte[]>(13));
        return new HumanTaskInfo
        {
            TaskId = r.GetInt64(0),
            Instance = new InstanceId(r.GetInt64(1)),
            StepId = r.GetString(2),
            StepInstance = r.GetInt32(3),
            State = (TaskState)r.GetInt16(4),
            Role = r.GetString(5),
            AssignedTo = r.IsDBNull(6) ? null : r.GetString(6),
            ClaimedBy = r.IsDBNull(7) ? null : r.GetString(7),
            CreatedAt = Time(r.GetInt64(8)),
            ClaimedAt = r.IsDBNull(9) ? null : Time(r.GetInt64(9)),
            DueAt = r.IsDBNull(10) ? null : Time(r.GetInt64(10)),
            ClosedAt = r.IsDBNull(11) ? null : Time(r.GetInt64(11)),
            Outcome = r.IsDBNull(12) ? null : r.GetString(12),
            ProcessId = body.ProcessId,
            ProcessVersion = body.ProcessVersion,
            StepName = body.StepName,
            Node = body.Node,
            Outcomes = body.Outcomes,
            Item = body.Item,
        };
    }

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    /// <summary>Writes the body of <paramref name="task"/>.</summary>
    /// <exception cref="InvalidOperationException">The item is of a type the engine never keeps.</exception>
    public static byte[] Write(HumanTaskInfo task)
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

    /// <summary>Reads a body written by <see cref="Write"/>.</summary>
    /// <exception cref="ProcessStoreException"><see cref="ProcessErrorCodes.StoreFormatUnsupported"/>: the body is not such an object.</exception>
    public static TaskBody Read(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            Expect(ref reader, JsonTokenType.StartObject);
            string? process = null;
            string? stepName = null;
            int? processVersion = null;
            int? node = null;
            string[]? outcomes = null;
            object? item = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (name.SequenceEqual("process"u8))
                {
                    process = reader.GetString();
                }
                else if (name.SequenceEqual("processVersion"u8))
                {
                    processVersion = reader.GetInt32();
                }
                else if (name.SequenceEqual("stepName"u8))
                {
                    stepName = reader.GetString();
                }
                else if (name.SequenceEqual("node"u8))
                {
                    node = reader.GetInt32();
                }
                else if (name.SequenceEqual("outcomes"u8))
                {
                    outcomes = ReadStrings(ref reader);
                }
                else if (name.SequenceEqual("item"u8))
                {
                    item = InstanceCodec.Untyped(JsonElement.ParseValue(ref reader));
                }
                else
                {
                    reader.Skip();
                }
            }

            if (process is null || stepName is null || processVersion is null || node is null || outcomes is null)
            {
                throw new JsonException("a property is missing");
            }

            return new TaskBody(process, processVersion.Value, stepName, node.Value, outcomes, item);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ProcessStoreException(
                ProcessErrorCodes.StoreFormatUnsupported,
                $"A stored task's body cannot be read ({e.Message}); the store was changed outside ProcessKit or is damaged.",
                e);
        }
    }

    private static string[] ReadStrings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("the outcomes are not a list");
        }

        var strings = new List<string>(4);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            strings.Add(reader.GetString() ?? throw new JsonException("an outcome is null"));
        }

        return strings.Count == 0 ? [] : [.. strings];
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (!reader.Read() || reader.TokenType != token)
        {
            throw new JsonException("the body is not a JSON object");
        }
    }
}

/// <summary>What <see cref="TaskBodyCodec"/> keeps of a task: everything a store does not keep in columns.</summary>
/// <param name="ProcessId">The process id.</param>
/// <param name="ProcessVersion">The process version.</param>
/// <param name="StepName">The step name.</param>
/// <param name="Node">The engine's index of the step.</param>
/// <param name="Outcomes">The outcomes to choose from.</param>
/// <param name="Item">The multi-instance item, untyped, or null.</param>
internal readonly record struct TaskBody(string ProcessId, int ProcessVersion, string StepName, int Node, string[] Outcomes, object? Item);
