using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProcessKit.Expressions;

/// <summary>
/// How values from instance data are seen by expressions: JSON values become plain text, numbers,
/// booleans and nulls; nested objects are read by name only (never through .NET members).
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class ExpressionValues
{
    /// <summary>Turns JSON leaves into CLR values (text, decimal, bool, null); lists and objects stay as they are.</summary>
    public static object? Normalize(object? value) => value switch
    {
        JsonElement element => element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.TryGetDecimal(out var number) ? number : element.GetDouble(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => element,
        },
        JsonValue node => node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>(),
            JsonValueKind.Number => node.TryGetValue<decimal>(out var number) ? number : node.GetValue<double>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            _ => node,
        },
        _ => value,
    };

    /// <summary>Reads the member <paramref name="name"/> of an object value (a dictionary or a JSON object); null when absent or not an object.</summary>
    public static object? Member(object? value, string name) => value switch
    {
        IReadOnlyDictionary<string, object?> map => map.TryGetValue(name, out var found) ? found : null,
        IDictionary<string, object?> map => map.TryGetValue(name, out var found) ? found : null,
        JsonElement { ValueKind: JsonValueKind.Object } element => element.TryGetProperty(name, out var found) ? found : null,
        JsonObject obj => obj.TryGetPropertyValue(name, out var found) ? found : null,
        _ => null,
    };

    /// <summary>Whether <paramref name="value"/> is a CLR number.</summary>
    public static bool IsNumber(object? value) =>
        value is byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal;

    /// <summary>Reads a date-time argument: a date-time with offset, a date-time (unspecified means UTC), or ISO 8601 text; null stays null.</summary>
    public static DateTimeOffset? ToDateTimeOffset(object? value, string function) => value switch
    {
        null => null,
        DateTimeOffset offset => offset,
        DateTime { Kind: DateTimeKind.Unspecified } dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        DateTime dateTime => new DateTimeOffset(dateTime.ToUniversalTime()),
        string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) => parsed,
        _ => throw new ArgumentException($"{function} expects a date-time as its first argument, not {Describe(value)}."),
    };

    /// <summary>Equality as expressions see it: numbers by value, text ordinally, anything else by <see cref="object.Equals(object?, object?)"/>.</summary>
    public static bool AreEqual(object? left, object? right)
    {
        if (IsNumber(left) && IsNumber(right))
        {
            try
            {
                return Convert.ToDecimal(left, CultureInfo.InvariantCulture) == Convert.ToDecimal(right, CultureInfo.InvariantCulture);
            }
            catch (OverflowException)
            {
                return Convert.ToDouble(left, CultureInfo.InvariantCulture).Equals(Convert.ToDouble(right, CultureInfo.InvariantCulture));
            }
        }

        return left is string a && right is string b ? string.Equals(a, b, StringComparison.Ordinal) : Equals(left, right);
    }

    /// <summary>Names the kind of a value for error messages, without revealing the value itself.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "null",
        string => "a text",
        bool => "a boolean",
        DateTimeOffset or DateTime => "a date-time",
        TimeSpan => "a duration",
        _ when IsNumber(value) => "a number",
        JsonElement { ValueKind: JsonValueKind.Array } or JsonArray => "a list",
        JsonElement { ValueKind: JsonValueKind.Object } or JsonObject => "an object",
        System.Collections.IDictionary or IReadOnlyDictionary<string, object?> => "an object",
        System.Collections.IEnumerable => "a list",
        _ => "a value of another kind",
    };
}
