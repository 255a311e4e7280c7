using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProcessKit.AspNetCore.Contracts;

/// <summary>Instance data to JSON and back: the values the engine keeps (text, numbers, booleans, times, durations, objects, lists).</summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class DataJson
{
    private static readonly Comparison<KeyValuePair<string, object?>> ByName = static (a, b) => string.CompareOrdinal(a.Key, b.Key);

    /// <summary>The data of a response: written as it is when the response is (see <see cref="WriteObject"/>).</summary>
    public static InstanceData ToObject(IReadOnlyDictionary<string, object?> data) => new(data);

    /// <summary>
    /// Writes <paramref name="data"/> as a JSON object, fields in ordinal order of their names, straight into
    /// <paramref name="writer"/>: numbers as numbers, times as ISO 8601 text, durations as ISO 8601 durations
    /// (<c>PT1H30M</c>), JSON values as they are, maps as objects (sorted the same way), other lists as arrays,
    /// anything else as its invariant text.
    /// </summary>
    public static void WriteObject(Utf8JsonWriter writer, IReadOnlyDictionary<string, object?> data, JsonSerializerOptions? options)
    {
        writer.WriteStartObject();
        var count = data.Count;
        if (count == 1)
        {
            foreach (var (name, value) in data)
            {
                writer.WritePropertyName(name);
                WriteValue(writer, value, options);
            }
        }
        else if (count > 1)
        {
            var pairs = ArrayPool<KeyValuePair<string, object?>>.Shared.Rent(count);
            try
            {
                var n = 0;
                foreach (var pair in data)
                {
                    if (n == pairs.Length)
                    {
                        // A map whose count was short of its entries: written all the same.
                        var larger = ArrayPool<KeyValuePair<string, object?>>.Shared.Rent(n * 2);
                        pairs.AsSpan(0, n).CopyTo(larger);
                        ArrayPool<KeyValuePair<string, object?>>.Shared.Return(pairs, clearArray: true);
                        pairs = larger;
                    }

                    pairs[n++] = pair;
                }

                var sorted = pairs.AsSpan(0, n);
                sorted.Sort(ByName);
                foreach (var (name, value) in sorted)
                {
                    writer.WritePropertyName(name);
                    WriteValue(writer, value, options);
                }
            }
            finally
            {
                ArrayPool<KeyValuePair<string, object?>>.Shared.Return(pairs, clearArray: true);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, JsonSerializerOptions? options)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case DateTimeOffset time:
                writer.WriteStringValue(time);
                break;
            case DateTime time:
                writer.WriteStringValue(time);
                break;
            case TimeSpan duration:
                WriteDuration(writer, duration);
                break;
            case JsonElement element:
                if (element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    element.WriteTo(writer);
                }

                break;
            case JsonNode node:
                node.WriteTo(writer, options);
                break;
            case IReadOnlyDictionary<string, object?> map:
                WriteObject(writer, map, options);
                break;
            case IDictionary<string, object?> map:
                WriteObject(writer, map.AsReadOnly(), options);
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item, options);
                }

                writer.WriteEndArray();
                break;
            case IFormattable formattable:
                writer.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteStringValue(value.ToString());
                break;
        }
    }

    /// <summary>Writes a duration as ISO 8601 text (<c>PT1H30M</c>), the form process definitions use.</summary>
    public static void WriteDuration(Utf8JsonWriter writer, TimeSpan duration)
    {
        Span<byte> text = stackalloc byte[IsoDuration.MaxLength];
        writer.WriteStringValue(text[..IsoDuration.Format(duration, text)]);
    }

    /// <summary>Values from a request body as the engine takes them (it converts <see cref="JsonElement"/>s to each field's type).</summary>
    public static Dictionary<string, object?>? ToData(Dictionary<string, JsonElement>? values)
    {
        if (values is null)
        {
            return null;
        }

        var data = new Dictionary<string, object?>(values.Count, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            data[name] = value;
        }

        return data;
    }
}
