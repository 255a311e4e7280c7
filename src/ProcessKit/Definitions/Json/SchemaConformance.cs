using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ProcessKit.Definitions.Json;

/// <summary>
/// A fast yes/no check of a document against the format's JSON Schema, compiled from the same
/// schema text into plain delegates. It understands only the keywords that schema uses and refuses
/// to compile any other, so it cannot silently drift from the schema.
/// </summary>
/// <remarks>
/// <para>
/// Why: the general evaluator takes tens of milliseconds for a 200-step definition (every step is
/// tested against each kind's subschema), while loading should take a few. A valid document is
/// accepted here in well under a millisecond; any document this check refuses is then evaluated by
/// the general evaluator, which decides and explains. So a mistake here can only cost time, except
/// for accepting what the schema refuses: every doubtful case (a number too large to compare
/// exactly, for instance) is refused, and tests compare both evaluators on valid and mutated documents.
/// </para>
/// <para>Compiled once; thread-safe.</para>
/// </remarks>
internal sealed class SchemaConformance
{
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal) { "$schema", "$id", "$defs", "title", "description", "default" };

    private readonly JsonElement _defs;
    private readonly Dictionary<string, Func<JsonElement, bool>> _compiledDefs = new(StringComparer.Ordinal);
    private readonly Func<JsonElement, bool> _root;

    private SchemaConformance(JsonElement schema)
    {
        _defs = schema.TryGetProperty("$defs", out var defs) ? defs : default;
        _root = Compile(schema);
    }

    /// <summary>Compiles a schema.</summary>
    /// <exception cref="NotSupportedException">The schema uses a keyword this check does not implement.</exception>
    public static SchemaConformance Compile(JsonDocument schema) => new(schema.RootElement);

    /// <summary>Whether <paramref name="instance"/> surely matches the schema; <see langword="false"/> when it does not, or may not.</summary>
    public bool Conforms(JsonElement instance) => _root(instance);

    private Func<JsonElement, bool> Compile(JsonElement schema)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return static _ => true;
        }

        if (schema.ValueKind == JsonValueKind.False)
        {
            return static _ => false;
        }

        var checks = new List<Func<JsonElement, bool>>();
        Func<JsonElement, bool>? condition = null, then = null, otherwise = null;
        foreach (var keyword in schema.EnumerateObject())
        {
            var value = keyword.Value;
            switch (keyword.Name)
            {
                case var name when Annotations.Contains(name):
                    break;
                case "$ref":
                    checks.Add(Reference(value.GetString()!));
                    break;
                case "type":
                    checks.Add(Type(value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(static t => t.GetString()!)] : [value.GetString()!]));
                    break;
                case "enum":
                    checks.Add(OneOf([.. value.EnumerateArray()]));
                    break;
                case "const":
                    checks.Add(OneOf([value]));
                    break;

                case "pattern":
                {
                    // The patterns are the schema's own (ids, names, durations), never the input's: compile them. None has a
                    // nested quantifier, so a match is linear in the text and needs no timeout; a timeout would make the
                    // check's answer depend on how busy the machine is (a thread paused for a second fails it).
                    var regex = new Regex(value.GetString()!, RegexOptions.CultureInvariant | RegexOptions.Compiled, Regex.InfiniteMatchTimeout);
                    checks.Add(i => i.ValueKind != JsonValueKind.String || regex.IsMatch(i.GetString()!));
                    break;
                }

                case "minLength":
                {
                    var min = value.GetInt32();
                    checks.Add(i => i.ValueKind != JsonValueKind.String || i.GetString()!.EnumerateRunes().Count() >= min);
                    break;
                }

                case "minimum":
                case "maximum":
                {
                    var bound = value.GetDecimal();
                    var isMinimum = keyword.Name == "minimum";
                    checks.Add(i => i.ValueKind != JsonValueKind.Number || (i.TryGetDecimal(out var n) && (isMinimum ? n >= bound : n <= bound)));
                    break;
                }

                case "minItems":
                {
                    var min = value.GetInt32();
                    checks.Add(i => i.ValueKind != JsonValueKind.Array || i.GetArrayLength() >= min);
                    break;
                }

                case "items":
                {
                    var item = Compile(value);
                    checks.Add(i => i.ValueKind != JsonValueKind.Array || AllItems(i, item));
                    break;
                }

                case "minProperties":
                case "maxProperties":
                {
                    var bound = value.GetInt32();
                    var isMinimum = keyword.Name == "minProperties";
                    checks.Add(i => i.ValueKind != JsonValueKind.Object || (isMinimum ? i.EnumerateObject().Count() >= bound : i.EnumerateObject().Count() <= bound));
                    break;
                }

                case "required":
                {
                    var names = value.EnumerateArray().Select(static n => n.GetString()!).ToArray();
                    checks.Add(i => i.ValueKind != JsonValueKind.Object || HasAll(i, names));
                    break;
                }

                case "properties":
                case "additionalProperties":
                    // Compiled together below: which properties are "additional" depends on both.
                    break;
                case "allOf":
                {
                    var all = value.EnumerateArray().Select(Compile).ToArray();
                    checks.Add(i => AllHold(all, i));
                    break;
                }

                case "if":
                    condition = Compile(value);
                    break;
                case "then":
                    then = Compile(value);
                    break;
                case "else":
                    otherwise = Compile(value);
                    break;
                default:
                    throw new NotSupportedException($"The fast schema check does not implement the keyword '{keyword.Name}'.");
            }
        }

        if (schema.TryGetProperty("properties", out var properties) || schema.TryGetProperty("additionalProperties", out _))
        {
            checks.Add(Properties(schema, properties));
        }

        if (condition is not null)
        {
            var (i, t, e) = (condition, then, otherwise);
            checks.Add(x => i(x) ? t?.Invoke(x) ?? true : e?.Invoke(x) ?? true);
        }

        var compiled = checks.ToArray();
        return compiled.Length switch
        {
            0 => static _ => true,
            1 => compiled[0],
            _ => x => AllHold(compiled, x),
        };
    }

    private Func<JsonElement, bool> Properties(JsonElement schema, JsonElement properties)
    {
        var known = new Dictionary<string, Func<JsonElement, bool>>(StringComparer.Ordinal);
        if (properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                known[property.Name] = Compile(property.Value);
            }
        }

        var additional = schema.TryGetProperty("additionalProperties", out var extra) ? Compile(extra) : null;
        if (additional is null)
        {
            // Only the named properties matter (for example a kind discriminator): look them up
            // rather than walking every property of the instance.
            var named = known.ToArray();
            return i =>
            {
                if (i.ValueKind != JsonValueKind.Object)
                {
                    return true;
                }

                foreach (var (name, check) in named)
                {
                    if (i.TryGetProperty(name, out var value) && !check(value))
                    {
                        return false;
                    }
                }

                return true;
            };
        }

        return i =>
        {
            if (i.ValueKind != JsonValueKind.Object)
            {
                return true;
            }

            foreach (var property in i.EnumerateObject())
            {
                if (known.TryGetValue(property.Name, out var check))
                {
                    if (!check(property.Value))
                    {
                        return false;
                    }
                }
                else if (additional is not null && !additional(property.Value))
                {
                    return false;
                }
            }

            return true;
        };
    }

    private Func<JsonElement, bool> Reference(string reference)
    {
        const string Prefix = "#/$defs/";
        if (!reference.StartsWith(Prefix, StringComparison.Ordinal) || _defs.ValueKind != JsonValueKind.Object)
        {
            throw new NotSupportedException($"The fast schema check resolves only local $defs references, not '{reference}'.");
        }

        var name = reference[Prefix.Length..];
        if (!_compiledDefs.ContainsKey(name))
        {
            // Placeholder first, so that a recursive reference would end.
            Func<JsonElement, bool>? resolved = null;
            _compiledDefs[name] = i => resolved!(i);
            resolved = Compile(_defs.GetProperty(name));
            _compiledDefs[name] = resolved;
        }

        var target = _compiledDefs[name];
        return target;
    }

    // Loops rather than LINQ or Array.TrueForAll with a capturing lambda: this runs for every
    // value of every document, and a closure per call was most of the check's allocations.
    private static bool AllHold(Func<JsonElement, bool>[] checks, JsonElement instance)
    {
        foreach (var check in checks)
        {
            if (!check(instance))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllItems(JsonElement array, Func<JsonElement, bool> item)
    {
        foreach (var element in array.EnumerateArray())
        {
            if (!item(element))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasAll(JsonElement instance, string[] names)
    {
        foreach (var name in names)
        {
            if (!instance.TryGetProperty(name, out _))
            {
                return false;
            }
        }

        return true;
    }

    private static Func<JsonElement, bool> OneOf(JsonElement[] values)
    {
        if (Array.TrueForAll(values, static v => v.ValueKind == JsonValueKind.String))
        {
            // The common case, without allocating: compares the UTF-8 text in place.
            var strings = values.Select(static v => v.GetString()!).ToArray();
            return i => i.ValueKind == JsonValueKind.String && Array.Exists(strings, i.ValueEquals);
        }

        var allowed = values.Select(static v => v.Clone()).ToArray();
        return i => Array.Exists(allowed, a => JsonElement.DeepEquals(a, i));
    }

    private static Func<JsonElement, bool> Type(string[] types) => i =>
    {
        foreach (var type in types)
        {
            var matches = type switch
            {
                "object" => i.ValueKind == JsonValueKind.Object,
                "array" => i.ValueKind == JsonValueKind.Array,
                "string" => i.ValueKind == JsonValueKind.String,
                "boolean" => i.ValueKind is JsonValueKind.True or JsonValueKind.False,
                "null" => i.ValueKind == JsonValueKind.Null,
                "number" => i.ValueKind == JsonValueKind.Number,

                // 3.0 is an integer in JSON Schema; a number too large for decimal is left to the full evaluator.
                "integer" => i.ValueKind == JsonValueKind.Number && i.TryGetDecimal(out var n) && n == decimal.Truncate(n),
                _ => throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"Unknown type '{type}'.")),
            };
            if (matches)
            {
                return true;
            }
        }

        return false;
    };
}
