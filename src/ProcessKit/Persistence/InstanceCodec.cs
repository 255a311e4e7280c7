using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using ProcessKit.Definitions;
using ProcessKit.Execution;

namespace ProcessKit.Persistence;

/// <summary>
/// Writes the running state of an instance (its data, tokens, joins, performers, spans, counters,
/// outcome and parent) as one UTF-8 JSON document, and reads it back, for stores that keep instances
/// outside the process. The columns a store indexes (id, version, state, business key, times) and
/// the history (rows of their own) are not part of it.
/// </summary>
/// <remarks>
/// The document names fields by their declared names, so it is readable in the database. Data
/// values come back in the forms the engine keeps: text, <see cref="decimal"/>, bool,
/// <see cref="DateTimeOffset"/> and <see cref="TimeSpan"/> by the field's declared type; objects
/// and lists as <see cref="JsonElement"/>s. Stateless and thread-safe.
/// </remarks>
internal static class InstanceCodec
{
    /// <summary>The version of the document's shape, written first; a newer one is refused on read.</summary>
    public const int FormatVersion = 1;

    /// <summary>Writes the state of <paramref name="instance"/>.</summary>
    /// <exception cref="InvalidOperationException">A data value is of a type the engine never keeps.</exception>
    public static byte[] Write(InstanceRecord instance)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            var model = instance.Model;
            json.WriteStartObject();
            json.WriteNumber("v", FormatVersion);
            json.WriteStartObject("data");
            for (var i = 0; i < instance.Slots.Length; i++)
            {
                if (instance.Slots[i] is { } value)
                {
                    json.WritePropertyName(model.FieldNames[i]);
                    WriteValue(json, value, model.FieldNames[i]);
                }
            }

            json.WriteEndObject();
            json.WriteNumber("steps", instance.StepCounter);
            if (instance.EndOutcome is { } outcome)
            {
                json.WriteString("outcome", outcome);
            }

            if (instance.TokenCount > 0)
            {
                json.WriteStartArray("tokens");
                for (var i = 0; i < instance.TokenCount; i++)
                {
                    var t = instance.Tokens[i];
                    json.WriteStartArray();
                    json.WriteNumberValue(t.Node);
                    json.WriteNumberValue(t.StepInstance);
                    json.WriteNumberValue(t.Group);
                    json.WriteNumberValue((int)t.Wait);
                    json.WriteNumberValue(t.Ref);
                    if (t.Key is not null)
                    {
                        json.WriteStringValue(t.Key);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndArray();
            }

            WriteInts(json, "joins", instance.Joins);
            WriteInts(json, "spans", instance.Spans);
            if (instance.Performers is { } performers)
            {
                json.WriteStartArray("performers");
                foreach (var performer in performers)
                {
                    json.WriteStringValue(performer);
                }

                json.WriteEndArray();
            }

            if (instance.Parent is { } parent)
            {
                json.WriteStartArray("parent");
                json.WriteNumberValue(parent.Instance.Value);
                json.WriteNumberValue(parent.Node);
                json.WriteNumberValue(parent.StepInstance);
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a state written by <see cref="Write"/> back into an instance record.</summary>
    /// <param name="state">The document.</param>
    /// <param name="header">The columns the store keeps beside it.</param>
    /// <param name="model">The compiled model of the instance's process version.</param>
    /// <exception cref="ProcessStoreException">The document is not one this version of ProcessKit wrote or can read.</exception>
    public static InstanceRecord Read(ReadOnlySpan<byte> state, in InstanceHeader header, ProcessModel model)
    {
        try
        {
            var reader = new Utf8JsonReader(state);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var version = root.GetProperty("v").GetInt32();
            if (version > FormatVersion)
            {
                throw new ProcessStoreException(
                    ProcessErrorCodes.StoreFormatUnsupported,
                    $"The stored state of instance {header.Id} has format version {version}; this version of ProcessKit reads up to {FormatVersion}. Upgrade ProcessKit to open this store.");
            }

            var slots = new object?[model.FieldNames.Length];
            foreach (var field in root.GetProperty("data").EnumerateObject())
            {
                if (!model.FieldIndex.TryGetValue(field.Name, out var slot))
                {
                    throw new FormatException($"the field '{field.Name}' is not declared by {model.Id} version {model.Version}");
                }

                slots[slot] = ReadValue(field.Value, model.FieldTypes[slot]);
            }

            var record = new InstanceRecord
            {
                Id = header.Id,
                Model = model,
                Version = header.Version,
                State = header.State,
                BusinessKey = header.BusinessKey,
                StartedTicks = header.StartedTicks,
                EndedTicks = header.EndedTicks,
                Slots = slots,
                StepCounter = root.GetProperty("steps").GetInt32(),
                EndOutcome = root.TryGetProperty("outcome", out var outcome) ? outcome.GetString() : null,
                Joins = ReadInts(root, "joins"),
                Spans = ReadInts(root, "spans"),
                Performers = root.TryGetProperty("performers", out var performers)
                    ? [.. performers.EnumerateArray().Select(static p => p.GetString())]
                    : null,
                Parent = root.TryGetProperty("parent", out var parent)
                    ? (new InstanceId(parent[0].GetInt64()), parent[1].GetInt32(), parent[2].GetInt32())
                    : null,
                History = new HistoryRecord[Math.Max(4, model.HistoryCapacity / 2)],
                HistoryBase = header.HistoryCount,
            };

            if (root.TryGetProperty("tokens", out var tokens))
            {
                foreach (var t in tokens.EnumerateArray())
                {
                    record.AddToken(new Token(
                        t[0].GetInt32(),
                        t[1].GetInt32(),
                        t[2].GetInt32(),
                        (TokenWait)t[3].GetInt32(),
                        t[4].GetInt64(),
                        t.GetArrayLength() > 5 ? t[5].GetString() : null));
                }
            }

            return record;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new ProcessStoreException(
                ProcessErrorCodes.StoreFormatUnsupported,
                $"The stored state of instance {header.Id} cannot be read: {ex.Message}. The store was changed outside ProcessKit or is damaged.",
                ex);
        }
    }

    /// <summary>Writes one data value as JSON (also used for task items and message payloads).</summary>
    /// <exception cref="InvalidOperationException">The value is of a type the engine never keeps.</exception>
    public static void WriteValue(Utf8JsonWriter json, object? value, string field) => WriteValueCore(json, value, field, lenient: false);

    /// <summary>
    /// Writes one data value as JSON for people to read (reports, the CLI's output): as <see cref="WriteValue"/>,
    /// but a value of a type the engine never keeps is written as its invariant text instead of refused.
    /// </summary>
    public static void WriteForDisplay(Utf8JsonWriter json, object? value) => WriteValueCore(json, value, string.Empty, lenient: true);

    private static void WriteValueCore(Utf8JsonWriter json, object? value, string field, bool lenient)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case decimal number:
                json.WriteNumberValue(number);
                break;
            case int or long or short or byte or sbyte or ushort or uint or ulong:
                json.WriteNumberValue(Convert.ToDecimal(value, CultureInfo.InvariantCulture));
                break;
            case double or float:
                json.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset time:
                json.WriteStringValue(time);
                break;
            case DateTime time:
                json.WriteStringValue(time);
                break;
            case TimeSpan span:
                json.WriteStringValue(XmlConvert.ToString(span));
                break;
            case JsonElement element:
                element.WriteTo(json);
                break;
            case JsonNode node:
                node.WriteTo(json);
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                json.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    json.WritePropertyName(key);
                    WriteValueCore(json, item, field, lenient);
                }

                json.WriteEndObject();
                break;
            case IEnumerable list:
                json.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValueCore(json, item, field, lenient);
                }

                json.WriteEndArray();
                break;
            case { } when lenient:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            default:
                throw new InvalidOperationException(
                    $"The field '{field}' holds a {value.GetType()}, which cannot be stored; data values are text, numbers, booleans, dates, durations, objects and lists.");
        }
    }

    /// <summary>Reads a value written by <see cref="WriteValue"/> back in the form the engine keeps for <paramref name="type"/>.</summary>
    public static object? ReadValue(JsonElement value, DataType type)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (type is DataType.Object or DataType.List)
        {
            return Untyped(value);
        }

        return DataValues.TryConvert(type, value, out var converted)
            ? converted
            : throw new FormatException($"a {value.ValueKind} is not a {type}");
    }

    /// <summary>A value of no declared type: scalars as the engine keeps them, objects and arrays as detached JSON.</summary>
    public static object? Untyped(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetDecimal(out var number) ? number : value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => value.Clone(),
    };

    private static void WriteInts(Utf8JsonWriter json, string name, int[]? values)
    {
        if (values is null)
        {
            return;
        }

        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteNumberValue(value);
        }

        json.WriteEndArray();
    }

    private static int[]? ReadInts(JsonElement root, string name) =>
        root.TryGetProperty(name, out var values) ? [.. values.EnumerateArray().Select(static v => v.GetInt32())] : null;
}

/// <summary>The columns a store keeps beside an instance's state document.</summary>
/// <param name="Id">The instance id.</param>
/// <param name="Version">The committed version.</param>
/// <param name="State">Running, completed, cancelled or failed.</param>
/// <param name="BusinessKey">The business key, if any.</param>
/// <param name="StartedTicks">When it started (UTC ticks).</param>
/// <param name="EndedTicks">When it ended (UTC ticks), or 0.</param>
/// <param name="HistoryCount">How many history events are stored for it.</param>
internal readonly record struct InstanceHeader(InstanceId Id, long Version, InstanceState State, string? BusinessKey, long StartedTicks, long EndedTicks, int HistoryCount);
