using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;

namespace ProcessKit.AspNetCore.Contracts;

/// <summary>Instance data to JSON and back: the values the engine keeps (text, numbers, booleans, times, durations, objects, lists).</summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class DataJson
{
    public static JsonObject ToObject(IReadOnlyDictionary<string, object?> data)
    {
        var result = new JsonObject();
        foreach (var (name, value) in data.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            result[name] = ToNode(value);
        }

        return result;
    }

    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        decimal number => JsonValue.Create(number),
        int number => JsonValue.Create(number),
        long number => JsonValue.Create(number),
        double number => JsonValue.Create(number),
        DateTimeOffset time => JsonValue.Create(time),
        DateTime time => JsonValue.Create(time),
        TimeSpan duration => JsonValue.Create(XmlConvert.ToString(duration)),
        JsonElement element => element.ValueKind switch
        {
            JsonValueKind.Object => JsonObject.Create(element),
            JsonValueKind.Array => JsonArray.Create(element),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => JsonValue.Create(element),
        },
        JsonNode node => node.DeepClone(),
        IReadOnlyDictionary<string, object?> map => ToObject(map),
        IDictionary<string, object?> map => ToObject(map.AsReadOnly()),
        IEnumerable items => new JsonArray([.. items.Cast<object?>().Select(ToNode)]),
        IFormattable formattable => JsonValue.Create(formattable.ToString(null, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(value.ToString()),
    };

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
