using System.Collections;
using System.Collections.Frozen;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using NCalc.Handlers;

namespace ProcessKit.Expressions;

/// <summary>
/// The closed registry of functions the expression language has. Anything else is refused when a
/// definition is validated (<c>unknown-function</c>) and when an expression is compiled.
/// </summary>
/// <remarks>
/// <para>Names are case-sensitive. The registry, as listed in <see cref="All"/>:</para>
/// <list type="bullet">
/// <item>Math (from NCalc): <c>Abs(x)</c>, <c>Acos(x)</c>, <c>Asin(x)</c>, <c>Atan(x)</c>, <c>Atan2(y, x)</c>,
/// <c>Ceiling(x)</c>, <c>Cos(x)</c>, <c>Exp(x)</c>, <c>Floor(x)</c>, <c>IEEERemainder(x, y)</c>, <c>Ln(x)</c>,
/// <c>Log(x, base)</c>, <c>Log10(x)</c>, <c>Max(a, b)</c>, <c>Min(a, b)</c>, <c>Pow(x, y)</c>,
/// <c>Round(x, digits)</c> (midpoints away from zero), <c>Sign(x)</c>, <c>Sin(x)</c>, <c>Sqrt(x)</c>,
/// <c>Tan(x)</c>, <c>Truncate(x)</c>.</item>
/// <item>Logic and values (from NCalc): <c>if(condition, then, else)</c>,
/// <c>ifs(c1, v1, c2, v2, ..., default)</c>, <c>in(value, a, b, ...)</c>, <c>isNull(x)</c>,
/// <c>isNullOrEmpty(x)</c>, <c>EscapeLike(text)</c>.</item>
/// <item>ProcessKit: <c>now()</c> (the current UTC time from the engine's <see cref="TimeProvider"/>),
/// <c>addMinutes(date, n)</c>, <c>addHours(date, n)</c>, <c>addDays(date, n)</c>, <c>isEmpty(x)</c>,
/// <c>count(list)</c>, <c>contains(listOrText, item)</c>.</item>
/// </list>
/// <para>Stateless and thread-safe.</para>
/// </remarks>
internal static class ExpressionFunctions
{
    /// <summary>Every function of the language, in reference order.</summary>
    public static IReadOnlyList<FunctionSignature> All { get; } =
    [
        // ProcessKit functions.
        new("now", 0, 0, "now()", "The current time (UTC) from the engine's clock, as a date-time with offset."),
        new("addMinutes", 2, 2, "addMinutes(date, minutes)", "The date-time plus a number of minutes (negative to subtract); null when the date is null."),
        new("addHours", 2, 2, "addHours(date, hours)", "The date-time plus a number of hours (negative to subtract); null when the date is null."),
        new("addDays", 2, 2, "addDays(date, days)", "The date-time plus a number of days (negative to subtract); null when the date is null."),
        new("isEmpty", 1, 1, "isEmpty(value)", "True when the value is null, a text of only white space, or a list or object without items."),
        new("count", 1, 1, "count(list)", "The number of items of a list; 0 for null."),
        new("contains", 2, 2, "contains(listOrText, item)", "True when the list holds the item (numbers compare by value), or when the text contains the item's text; false for null."),

        // NCalc built-ins: logic and values.
        new("if", 3, 3, "if(condition, then, else)", "The second argument when the condition holds, else the third."),
        new("ifs", 3, int.MaxValue, "ifs(condition1, value1, condition2, value2, ..., default)", "The value of the first condition that holds, else the default.") { OddArgumentCount = true },
        new("in", 2, int.MaxValue, "in(value, a, b, ...)", "True when the value equals one of the others."),
        new("isNull", 1, 1, "isNull(value)", "True when the value is null."),
        new("isNullOrEmpty", 1, 1, "isNullOrEmpty(value)", "True when the value is null or an empty text."),
        new("EscapeLike", 1, 1, "EscapeLike(text)", "The text with the wildcards of the like operator escaped."),

        // NCalc built-ins: math.
        new("Abs", 1, 1, "Abs(x)", "The absolute value."),
        new("Acos", 1, 1, "Acos(x)", "The arc cosine, in radians."),
        new("Asin", 1, 1, "Asin(x)", "The arc sine, in radians."),
        new("Atan", 1, 1, "Atan(x)", "The arc tangent, in radians."),
        new("Atan2", 2, 2, "Atan2(y, x)", "The angle whose tangent is y / x, in radians."),
        new("Ceiling", 1, 1, "Ceiling(x)", "The smallest integer not less than x."),
        new("Cos", 1, 1, "Cos(x)", "The cosine of an angle in radians."),
        new("Exp", 1, 1, "Exp(x)", "e raised to the power x."),
        new("Floor", 1, 1, "Floor(x)", "The largest integer not greater than x."),
        new("IEEERemainder", 2, 2, "IEEERemainder(x, y)", "The IEEE 754 remainder of x / y."),
        new("Ln", 1, 1, "Ln(x)", "The natural logarithm."),
        new("Log", 2, 2, "Log(x, base)", "The logarithm in the given base."),
        new("Log10", 1, 1, "Log10(x)", "The base 10 logarithm."),
        new("Max", 2, 2, "Max(a, b)", "The larger of two numbers."),
        new("Min", 2, 2, "Min(a, b)", "The smaller of two numbers."),
        new("Pow", 2, 2, "Pow(x, y)", "x raised to the power y."),
        new("Round", 2, 2, "Round(x, digits)", "x rounded to a number of decimals, midpoints away from zero."),
        new("Sign", 1, 1, "Sign(x)", "-1, 0 or 1 by the sign of x."),
        new("Sin", 1, 1, "Sin(x)", "The sine of an angle in radians."),
        new("Sqrt", 1, 1, "Sqrt(x)", "The square root."),
        new("Tan", 1, 1, "Tan(x)", "The tangent of an angle in radians."),
        new("Truncate", 1, 1, "Truncate(x)", "The integer part of x."),
    ];

    private static readonly FrozenDictionary<string, FunctionSignature> ByName =
        All.ToFrozenDictionary(static f => f.Name, StringComparer.Ordinal);

    private static readonly ConditionalWeakTable<TimeProvider, IDictionary<string, ExpressionFunction>> ByClock = [];

    /// <summary>Finds a function by its exact name.</summary>
    public static bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FunctionSignature? signature) =>
        ByName.TryGetValue(name, out signature);

    /// <summary>
    /// Checks a call against the registry.
    /// </summary>
    /// <returns>What is wrong with the call and how to fix it, or <see langword="null"/> when it is allowed.</returns>
    public static (string Message, string Hint)? Check(FunctionCall call)
    {
        if (ByName.TryGetValue(call.Name, out var signature))
        {
            return signature.Accepts(call.ArgumentCount)
                ? null
                : ($"'{call.Name}' is called with {call.ArgumentCount} argument(s), but it is used as {signature.Usage}.",
                   $"Call it as {signature.Usage}.");
        }

        if (call.Name.Contains('.', StringComparison.Ordinal))
        {
            return ($"'{call.Name}(...)' calls a member of a value or type; expressions have no access to .NET types, members, files or the network.",
                    $"Use one of the language's functions: {FunctionList()}.");
        }

        var sameLetters = All.FirstOrDefault(f => string.Equals(f.Name, call.Name, StringComparison.OrdinalIgnoreCase));
        return sameLetters is not null
            ? ($"The function '{call.Name}' does not exist; function names are case-sensitive.", $"Write {sameLetters.Usage}.")
            : ($"The function '{call.Name}' does not exist in the expression language.", $"Use one of: {FunctionList()}.");
    }

    /// <summary>The functions, with their implementations bound to <paramref name="timeProvider"/>, for NCalc's context. Cached per clock.</summary>
    public static IDictionary<string, ExpressionFunction> For(TimeProvider timeProvider) =>
        ByClock.GetValue(timeProvider, static clock => Create(clock));

    private static string FunctionList() => string.Join(", ", All.Select(static f => f.Name));

    private static Dictionary<string, ExpressionFunction> Create(TimeProvider clock) => new(StringComparer.Ordinal)
    {
        ["now"] = _ => clock.GetUtcNow(),
        ["addMinutes"] = static args => Add(args, "addMinutes", static (d, n) => d.AddMinutes(n)),
        ["addHours"] = static args => Add(args, "addHours", static (d, n) => d.AddHours(n)),
        ["addDays"] = static args => Add(args, "addDays", static (d, n) => d.AddDays(n)),
        ["isEmpty"] = static args => IsEmpty(ExpressionValues.Normalize(args.Evaluate(0))),
        ["count"] = static args => Count(ExpressionValues.Normalize(args.Evaluate(0))),
        ["contains"] = static args => Contains(ExpressionValues.Normalize(args.Evaluate(0)), ExpressionValues.Normalize(args.Evaluate(1))),
    };

    private static object? Add(FunctionData args, string name, Func<DateTimeOffset, double, DateTimeOffset> add)
    {
        var date = ExpressionValues.ToDateTimeOffset(ExpressionValues.Normalize(args.Evaluate(0)), name);
        var amount = ExpressionValues.Normalize(args.Evaluate(1));
        if (date is null)
        {
            return null;
        }

        if (!ExpressionValues.IsNumber(amount))
        {
            throw new ArgumentException($"{name} expects a number as its second argument, not {ExpressionValues.Describe(amount)}.");
        }

        return add(date.Value, Convert.ToDouble(amount, CultureInfo.InvariantCulture));
    }

    private static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string text => string.IsNullOrWhiteSpace(text),
        JsonElement { ValueKind: JsonValueKind.Array } array => array.GetArrayLength() == 0,
        JsonElement { ValueKind: JsonValueKind.Object } obj => !obj.EnumerateObject().Any(),
        JsonArray array => array.Count == 0,
        JsonObject obj => obj.Count == 0,
        ICollection collection => collection.Count == 0,
        IEnumerable sequence => !sequence.Cast<object?>().Any(),
        _ => false,
    };

    private static int Count(object? value) => value switch
    {
        null => 0,
        string => throw new ArgumentException("count expects a list, not a text."),
        JsonElement { ValueKind: JsonValueKind.Array } array => array.GetArrayLength(),
        JsonArray array => array.Count,
        ICollection collection => collection.Count,
        IEnumerable sequence => sequence.Cast<object?>().Count(),
        _ => throw new ArgumentException($"count expects a list, not {ExpressionValues.Describe(value)}."),
    };

    private static bool Contains(object? list, object? item)
    {
        switch (list)
        {
            case null:
                return false;
            case string text:
                return item is not null && text.Contains(Convert.ToString(item, CultureInfo.InvariantCulture) ?? string.Empty, StringComparison.Ordinal);
            case JsonElement { ValueKind: JsonValueKind.Array } array:
                return array.EnumerateArray().Any(e => ExpressionValues.AreEqual(ExpressionValues.Normalize(e), item));
            case JsonArray array:
                return array.Any(e => ExpressionValues.AreEqual(ExpressionValues.Normalize(e), item));
            case IEnumerable sequence when list is not IDictionary:
                foreach (var element in sequence)
                {
                    if (ExpressionValues.AreEqual(ExpressionValues.Normalize(element), item))
                    {
                        return true;
                    }
                }

                return false;
            default:
                throw new ArgumentException($"contains expects a list or a text, not {ExpressionValues.Describe(list)}.");
        }
    }
}
