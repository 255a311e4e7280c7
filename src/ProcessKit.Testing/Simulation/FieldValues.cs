using System.Globalization;
using ProcessKit.Definitions;

namespace ProcessKit.Testing.Simulation;

/// <summary>
/// Generated values for declared fields, so that simulated people, messages and stubbed handlers
/// give the data a step requires. What each type gets is documented on <see cref="ProcessSimulator"/>.
/// </summary>
internal static class FieldValues
{
    public static object Generate(DataField field, double u, int arrival, DateTimeOffset now, IReadOnlyList<string>? people)
    {
        switch (field.Type)
        {
            case DataType.Number:
                return Number(field, u);
            case DataType.Boolean:
                return u < 0.5;
            case DataType.DateTime:
                return now.AddDays(1 + Math.Floor(u * 7));
            case DataType.Duration:
                return TimeSpan.FromHours(1);
            case DataType.Object:
                return new Dictionary<string, object?>(StringComparer.Ordinal);
            case DataType.List:
                var count = 1 + (int)Math.Floor(u * 3);
                var items = new List<object?>(count);
                for (var i = 1; i <= count; i++)
                {
                    items.Add(string.Create(CultureInfo.InvariantCulture, $"{field.Name}-{arrival + 1}-{i}"));
                }

                return items;
            default:
                if (people is { Count: > 0 })
                {
                    return people[Math.Min(people.Count - 1, (int)Math.Floor(u * people.Count))];
                }

                return string.Create(CultureInfo.InvariantCulture, $"{field.Name}-{arrival + 1}");
        }
    }

    private static decimal Number(DataField field, double u)
    {
        var low = field.Minimum ?? (field.Maximum is { } max ? Math.Min(1m, max) : 1m);
        var high = field.Maximum ?? low + 99m;
        if (high < low)
        {
            return low;
        }

        if (decimal.Truncate(low) == low && decimal.Truncate(high) == high)
        {
            // Whole bounds: a whole number, each equally likely (a rating from 1 to 5).
            var span = high - low + 1;
            return Math.Min(high, low + decimal.Floor((decimal)u * span));
        }

        return decimal.Round(low + ((high - low) * (decimal)u), 2, MidpointRounding.AwayFromZero);
    }
}
