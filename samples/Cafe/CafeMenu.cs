using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProcessKit.Execution;

namespace ProcessKit.Samples.Cafe;

/// <summary>The cafe's menu with its prices, and the automated bill step that uses it.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public static class CafeMenu
{
    /// <summary>The dishes and their prices.</summary>
    public static IReadOnlyDictionary<string, decimal> Dishes { get; } = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase)
    {
        ["soup"] = 6.50m,
        ["salad"] = 8.00m,
        ["pasta"] = 12.50m,
        ["risotto"] = 14.00m,
        ["fish"] = 19.00m,
        ["steak"] = 24.00m,
    };

    /// <summary>The drinks and their prices.</summary>
    public static IReadOnlyDictionary<string, decimal> Drinks { get; } = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase)
    {
        ["water"] = 2.00m,
        ["tea"] = 3.00m,
        ["coffee"] = 3.50m,
        ["juice"] = 4.00m,
        ["beer"] = 5.00m,
        ["wine"] = 7.50m,
    };

    /// <summary>
    /// The automated step <c>computeBill</c>: sums the menu prices of <c>dishes</c> and <c>drinks</c>
    /// into <c>billTotal</c> and lists the items the menu has no price for in <c>unpricedItems</c>
    /// (then the cashier prices them by hand). A free dessert is on the house: not on the bill.
    /// </summary>
    /// <param name="context">The step's context.</param>
    public static void ComputeBill(StepContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (total, unpriced) = Price(Items(context.Get("dishes")), Items(context.Get("drinks")));
        context.Set("billTotal", total);
        context.Set("unpricedItems", unpriced);
    }

    /// <summary>Prices an order: the sum of the known items and the list of the unknown ones.</summary>
    /// <param name="dishes">The dishes ordered.</param>
    /// <param name="drinks">The drinks ordered.</param>
    /// <returns>The total of the priced items and the items without a price.</returns>
    public static (decimal Total, List<string> Unpriced) Price(IEnumerable<string> dishes, IEnumerable<string> drinks)
    {
        var total = 0m;
        var unpriced = new List<string>();
        foreach (var (items, menu) in new[] { (dishes, Dishes), (drinks, Drinks) })
        {
            foreach (var item in items)
            {
                if (menu.TryGetValue(item.Trim(), out var price))
                {
                    total += price;
                }
                else
                {
                    unpriced.Add(item);
                }
            }
        }

        return (total, unpriced);
    }

    /// <summary>The items of a list value as text, whatever form the store gives it back in.</summary>
    /// <param name="value">A list (of text, or JSON).</param>
    /// <returns>The items; none for null.</returns>
    public static IReadOnlyList<string> Items(object? value) => value switch
    {
        null => [],
        string s => [s],
        JsonElement { ValueKind: JsonValueKind.Array } array => [.. array.EnumerateArray().Select(static e => e.ValueKind == JsonValueKind.String ? e.GetString() ?? string.Empty : e.GetRawText())],
        JsonArray array => [.. array.Select(static n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToJsonString() ?? string.Empty)],
        IEnumerable items => [.. items.Cast<object?>().Select(static i => i switch
        {
            null => string.Empty,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString() ?? string.Empty,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => i.ToString() ?? string.Empty,
        })],
        _ => [value.ToString() ?? string.Empty],
    };
}
