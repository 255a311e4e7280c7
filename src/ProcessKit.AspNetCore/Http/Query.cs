using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ProcessKit.AspNetCore.Http;

/// <summary>Parses query values, answering a 400 that names the parameter when one is not what it must be.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class Query
{
    public static bool TryInt(string? text, string name, int min, int max, out int? value, out IResult? problem)
    {
        value = null;
        problem = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            problem = Problems.Invalid(name, $"'{name}' must be a whole number from {min} to {max}, not '{text}'.");
            return false;
        }

        value = number;
        return true;
    }

    public static bool TryLong(string? text, string name, out long? value, out IResult? problem)
    {
        value = null;
        problem = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            problem = Problems.Invalid(name, $"'{name}' must be an id (a positive whole number), not '{text}'.");
            return false;
        }

        value = number;
        return true;
    }

    public static bool TryTime(string? text, string name, out DateTimeOffset? value, out IResult? problem)
    {
        value = null;
        problem = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            problem = Problems.Invalid(name, $"'{name}' must be a time in ISO 8601 (for example 2026-03-02T09:00:00Z), not '{text}'.");
            return false;
        }

        value = time;
        return true;
    }

    public static bool TryBool(string? text, string name, out bool? value, out IResult? problem)
    {
        value = null;
        problem = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!bool.TryParse(text, out var flag))
        {
            problem = Problems.Invalid(name, $"'{name}' must be true or false, not '{text}'.");
            return false;
        }

        value = flag;
        return true;
    }

    public static bool TryEnum<T>(string? text, string name, out T? value, out IResult? problem)
        where T : struct, Enum
    {
        value = null;
        problem = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!Enum.TryParse<T>(text, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || char.IsDigit(text[0]))
        {
            problem = Problems.Invalid(name, $"'{name}' must be one of {string.Join(", ", Enum.GetNames<T>())}, not '{text}'.");
            return false;
        }

        value = parsed;
        return true;
    }
}
