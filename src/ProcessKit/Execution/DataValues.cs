using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using ProcessKit.Definitions;

namespace ProcessKit.Execution;

/// <summary>
/// Converts values coming in at the edges (start data, task forms, handler writes, message payloads)
/// to the compact form slots hold: text, <see cref="decimal"/>, bool, <see cref="DateTimeOffset"/>,
/// <see cref="TimeSpan"/>, objects and lists as given.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class DataValues
{
    public static bool TryConvert(DataType type, object? value, out object? result)
    {
        result = null;
        if (value is null || value is JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined })
        {
            return true;
        }

        switch (type)
        {
            case DataType.String:
                if (value is string text)
                {
                    result = text;
                    return true;
                }

                if (value is JsonElement { ValueKind: JsonValueKind.String } s)
                {
                    result = s.GetString();
                    return true;
                }

                if (value is JsonValue sv && sv.TryGetValue<string>(out var st))
                {
                    result = st;
                    return true;
                }

                return false;
            case DataType.Number:
                return TryNumber(value, out result);
            case DataType.Boolean:
                switch (value)
                {
                    case bool:
                        result = value;
                        return true;
                    case JsonElement { ValueKind: JsonValueKind.True }:
                        result = true;
                        return true;
                    case JsonElement { ValueKind: JsonValueKind.False }:
                        result = false;
                        return true;
                    case JsonValue bv when bv.TryGetValue<bool>(out var bb):
                        result = bb;
                        return true;
                    default:
                        return false;
                }

            case DataType.DateTime:
                return TryDateTime(value, out result);
            case DataType.Duration:
                return TryDuration(value, out result);
            case DataType.Object:
                if (value is IReadOnlyDictionary<string, object?> or IDictionary<string, object?> or JsonObject or JsonElement { ValueKind: JsonValueKind.Object })
                {
                    result = value;
                    return true;
                }

                return false;
            case DataType.List:
                if (value is JsonElement { ValueKind: JsonValueKind.Array } or JsonArray or (IEnumerable and not string and not IDictionary))
                {
                    result = value;
                    return true;
                }

                return false;
            default:
                return false;
        }
    }

    public static string Describe(object? value) => value switch
    {
        null => "null",
        string => "text",
        bool => "a boolean",
        JsonElement e => "JSON " + e.ValueKind.ToString().ToLowerInvariant(),
        _ when Expressions.ExpressionValues.IsNumber(value) => "a number",
        _ => "a " + value.GetType().Name,
    };

    /// <summary>Checks a number against the declared bounds.</summary>
    public static string? CheckBounds(DataField field, object? value)
    {
        if (value is decimal number)
        {
            if (field.Minimum is { } min && number < min)
            {
                return $"'{field.Name}' is {number.ToString(CultureInfo.InvariantCulture)}, below its minimum {min.ToString(CultureInfo.InvariantCulture)}";
            }

            if (field.Maximum is { } max && number > max)
            {
                return $"'{field.Name}' is {number.ToString(CultureInfo.InvariantCulture)}, above its maximum {max.ToString(CultureInfo.InvariantCulture)}";
            }
        }

        return null;
    }

    private static bool TryNumber(object value, out object? result)
    {
        result = null;
        try
        {
            switch (value)
            {
                case decimal:
                    result = value; // already boxed: kept, not boxed again
                    return true;
                case int i:
                    result = (decimal)i;
                    return true;
                case long l:
                    result = (decimal)l;
                    return true;
                case double db when double.IsFinite(db):
                    result = (decimal)db;
                    return true;
                case float f when float.IsFinite(f):
                    result = (decimal)f;
                    return true;
                case short or byte or sbyte or ushort or uint or ulong:
                    result = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                    return true;
                case JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetDecimal(out var ed):
                    result = ed;
                    return true;
                case JsonValue v when v.TryGetValue<decimal>(out var vd):
                    result = vd;
                    return true;
                default:
                    return false;
            }
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static bool TryDateTime(object value, out object? result)
    {
        result = null;
        switch (value)
        {
            case DateTimeOffset:
                result = value;
                return true;
            case DateTime { Kind: DateTimeKind.Unspecified } unspecified:
                result = new DateTimeOffset(DateTime.SpecifyKind(unspecified, DateTimeKind.Utc));
                return true;
            case DateTime dateTime:
                result = new DateTimeOffset(dateTime.ToUniversalTime());
                return true;
            case string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed):
                result = parsed;
                return true;
            case JsonElement { ValueKind: JsonValueKind.String } e:
                return TryDateTime(e.GetString()!, out result);
            case JsonValue v when v.TryGetValue<string>(out var vs):
                return TryDateTime(vs, out result);
            default:
                return false;
        }
    }

    private static bool TryDuration(object value, out object? result)
    {
        result = null;
        switch (value)
        {
            case TimeSpan:
                result = value;
                return true;
            case string text:
                try
                {
                    result = XmlConvert.ToTimeSpan(text);
                    return true;
                }
                catch (FormatException)
                {
                    return false;
                }

            case JsonElement { ValueKind: JsonValueKind.String } e:
                return TryDuration(e.GetString()!, out result);
            case JsonValue v when v.TryGetValue<string>(out var vs):
                return TryDuration(vs, out result);
            default:
                return false;
        }
    }
}
