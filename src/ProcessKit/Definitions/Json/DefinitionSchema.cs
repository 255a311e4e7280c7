using System.Globalization;
using System.Text.Json;
using Json.Schema;

namespace ProcessKit.Definitions.Json;

/// <summary>
/// The JSON Schema of the definition format (<c>schemas/processkit.schema.json</c>, embedded in the
/// assembly), compiled once, and the translation of its errors into readable problems.
/// </summary>
/// <remarks>Thread-safe: the compiled schema is built once and only read afterwards.</remarks>
internal static class DefinitionSchema
{
    /// <summary>The <c>$id</c> of the schema, which documents name in <c>$schema</c>.</summary>
    public const string Id = "https://processkit.dev/schemas/processkit.schema.json";

    private const string ResourceName = "ProcessKit.processkit.schema.json";

    private static readonly Lazy<string> s_text = new(LoadText, LazyThreadSafetyMode.ExecutionAndPublication);

    // A private registry: the global one refuses a second schema with the same $id.
    private static readonly Lazy<JsonSchema> s_schema = new(
        () => JsonSchema.FromText(s_text.Value, new BuildOptions { SchemaRegistry = new SchemaRegistry() }),
        LazyThreadSafetyMode.ExecutionAndPublication);

    // The schema as plain JSON, to read enums, descriptions and property lists for messages.
    private static readonly Lazy<JsonDocument> s_document = new(() => JsonDocument.Parse(s_text.Value), LazyThreadSafetyMode.ExecutionAndPublication);

    // The fast check for documents that match; the general evaluator decides and explains the rest.
    private static readonly Lazy<SchemaConformance> s_conformance = new(() => SchemaConformance.Compile(s_document.Value), LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly EvaluationOptions s_flag = new() { OutputFormat = OutputFormat.Flag };
    private static readonly EvaluationOptions s_list = new() { OutputFormat = OutputFormat.List };

    /// <summary>The schema text.</summary>
    public static string Text => s_text.Value;

    /// <summary>Whether the general evaluator finds the document valid (for tests of the fast check).</summary>
    public static bool IsValidByEvaluator(JsonElement root) => s_schema.Value.Evaluate(root, s_flag).IsValid;

    /// <summary>Whether the fast check accepts the document (for tests against the general evaluator).</summary>
    public static bool ConformsByFastCheck(JsonElement root) => s_conformance.Value.Conforms(root);

    /// <summary>Checks a document against the schema and returns a problem per error (without positions).</summary>
    public static List<DefinitionProblem> Evaluate(JsonElement root)
    {
        var problems = new List<DefinitionProblem>();
        if (s_conformance.Value.Conforms(root))
        {
            return problems;
        }

        var results = s_schema.Value.Evaluate(root, s_list);
        if (results.IsValid)
        {
            return problems;
        }

        var seen = new HashSet<(string, string)>();
        foreach (var detail in results.Details ?? [])
        {
            if (detail.IsValid || detail.Errors is not { Count: > 0 } errors)
            {
                continue;
            }

            var evaluationPath = detail.EvaluationPath.ToString();

            // The "if" of a kind discriminator fails for every kind but the one given: not an error.
            if (evaluationPath.Contains("/if/", StringComparison.Ordinal) || evaluationPath.EndsWith("/if", StringComparison.Ordinal))
            {
                continue;
            }

            var instancePath = detail.InstanceLocation.ToString();
            var schemaPath = Uri.UnescapeDataString(detail.SchemaLocation.Fragment).TrimStart('#');
            foreach (var (keyword, raw) in errors)
            {
                var problem = Describe(root, instancePath, schemaPath, evaluationPath, keyword, raw);
                if (seen.Add((problem.Path, problem.Message)))
                {
                    problems.Add(problem);
                }
            }
        }

        if (problems.Count == 0)
        {
            problems.Add(Problem(string.Empty, "The document does not match the ProcessKit definition schema.", $"Check it against {Id}."));
        }

        return problems;
    }

    private static DefinitionProblem Describe(JsonElement root, string instancePath, string schemaPath, string evaluationPath, string keyword, string raw)
    {
        var value = Find(root, instancePath);
        if (keyword.Length == 0 && evaluationPath.EndsWith("/additionalProperties", StringComparison.Ordinal))
        {
            return NotAllowed(root, instancePath, schemaPath);
        }

        var node = FindSchemaNode(schemaPath);
        switch (keyword)
        {
            case "required":
                return Missing(instancePath, value, node);
            case "enum":
            case "const":
            {
                var allowed = node is { } n && n.TryGetProperty(keyword, out var values)
                    ? (values.ValueKind == JsonValueKind.Array ? string.Join(", ", values.EnumerateArray().Select(static v => v.ToString())) : values.ToString())
                    : "see the schema";
                return Problem(instancePath, $"{Show(value)} is not an allowed value for '{LastSegment(instancePath)}'.", $"Use one of: {allowed}.");
            }

            case "pattern":
                return Problem(instancePath, $"{Show(value)} is not in the form '{LastSegment(instancePath)}' needs.", Description(node) ?? "See the schema for the allowed form.");
            case "type":
            {
                var expected = node is { } n && n.TryGetProperty("type", out var type) ? type.ToString() : "another type";
                if (instancePath.Length == 0)
                {
                    return Problem(instancePath, $"The document must be a JSON object (a process definition), not {KindName(value)}.", "Start the document with {\"id\": \"...\", \"name\": \"...\", \"steps\": [...]}.");
                }

                return Problem(instancePath, $"'{LastSegment(instancePath)}' must be {Article(expected)}, not {KindName(value)}.", Description(node) ?? $"Give {Article(expected)}.");
            }

            case "minimum":
            case "maximum":
            case "exclusiveMinimum":
            case "exclusiveMaximum":
            {
                var limit = node is { } n && n.TryGetProperty(keyword, out var bound) ? bound.GetRawText() : "?";
                var relation = keyword.Contains("inimum", StringComparison.Ordinal) ? "at least" : "at most";
                return Problem(instancePath, $"{Show(value)} is out of range for '{LastSegment(instancePath)}': it must be {relation} {limit}.", Description(node) ?? $"Give a number {relation} {limit}.");
            }

            case "minItems":
                return instancePath == "/steps"
                    ? Problem(instancePath, "A process needs at least one step.", "Add a step, for example {\"id\": \"done\", \"name\": \"Done\", \"kind\": \"End\"}.")
                    : Problem(instancePath, $"'{LastSegment(instancePath)}' needs more items.", raw);
            case "minLength":
                return Problem(instancePath, $"'{LastSegment(instancePath)}' must not be empty.", Description(node) ?? "Give a value.");
            case "minProperties":
            case "maxProperties":
                if (node is { } due && due.TryGetProperty("properties", out var dueProperties) && dueProperties.TryGetProperty("after", out _))
                {
                    return Problem(instancePath, $"'{LastSegment(instancePath)}' needs exactly one of 'after' (a duration) and 'at' (an expression).", "For example {\"after\": \"PT15M\"} or {\"at\": \"requestedDate\"}.");
                }

                return Problem(instancePath, $"'{LastSegment(instancePath)}' has the wrong number of properties.", raw);
            default:
                return Problem(instancePath, $"'{LastSegment(instancePath)}' does not match the schema: {raw}", Description(node) ?? $"Check it against {Id}.");
        }
    }

    private static DefinitionProblem NotAllowed(JsonElement root, string instancePath, string schemaPath)
    {
        var name = LastSegment(instancePath);
        var ownerPath = Parent(instancePath);
        var owner = Find(root, ownerPath);
        var at = schemaPath.IndexOf("/additionalProperties", StringComparison.Ordinal);
        var node = FindSchemaNode(at >= 0 ? schemaPath[..at] : schemaPath);
        var allowed = node is { } n && n.TryGetProperty("properties", out var properties)
            ? string.Join(", ", properties.EnumerateObject().Select(static p => p.Name))
            : "see the schema";

        string where;
        if (ownerPath.Length == 0)
        {
            where = "the process definition";
        }
        else if (owner is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String)
        {
            where = ownerPath.StartsWith("/triggers/", StringComparison.Ordinal) ? $"a {kind.GetString()} trigger" : $"a {kind.GetString()} step";
        }
        else
        {
            where = node is { } titled && titled.TryGetProperty("title", out var title) ? "a " + title.GetString()!.ToLowerInvariant() : $"'{LastSegment(ownerPath)}'";
        }

        var typeName = name.StartsWith('$') || name.Contains("type", StringComparison.OrdinalIgnoreCase)
            ? " ProcessKit never reads CLR type names from a document."
            : string.Empty;
        return Problem(instancePath, $"'{name}' is not a property of {where}.", $"Allowed here: {allowed}.{typeName}");
    }

    private static DefinitionProblem Missing(string instancePath, JsonElement? value, JsonElement? node)
    {
        var missing = new List<string>();
        var descriptions = new List<string>();
        if (node is { } n && n.TryGetProperty("required", out var required))
        {
            foreach (var item in required.EnumerateArray())
            {
                var name = item.GetString()!;
                if (value is not { ValueKind: JsonValueKind.Object } o || !o.TryGetProperty(name, out _))
                {
                    missing.Add(name);
                    if (n.TryGetProperty("properties", out var properties) && properties.TryGetProperty(name, out var property) && Description(property) is { } description)
                    {
                        descriptions.Add($"'{name}': {description}");
                    }
                }
            }
        }

        if (missing.Count == 0)
        {
            return Problem(instancePath, "A required property is missing.", $"Check it against {Id}.");
        }

        var list = string.Join("', '", missing);
        var message = missing.Count == 1 ? $"The required property '{list}' is missing." : $"The required properties '{list}' are missing.";
        var hint = descriptions.Count > 0 ? "Add " + string.Join("; ", descriptions) : $"Add '{list}'.";
        return Problem(instancePath, message, hint);
    }

    private static string? Description(JsonElement? node)
    {
        for (var depth = 0; node is { ValueKind: JsonValueKind.Object } n && depth < 4; depth++)
        {
            if (n.TryGetProperty("description", out var description))
            {
                return description.GetString();
            }

            node = n.TryGetProperty("$ref", out var reference) ? FindSchemaNode(reference.GetString()!.TrimStart('#')) : null;
        }

        return null;
    }

    private static JsonElement? FindSchemaNode(string pointer) => Find(s_document.Value.RootElement, pointer);

    /// <summary>The element at a JSON pointer, or <see langword="null"/> when there is none.</summary>
    public static JsonElement? Find(JsonElement root, string pointer)
    {
        var current = root;
        if (pointer.Length == 0)
        {
            return current;
        }

        foreach (var rawSegment in pointer[1..].Split('/'))
        {
            var segment = rawSegment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var child))
            {
                current = child;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    private static string Parent(string pointer)
    {
        var slash = pointer.LastIndexOf('/');
        return slash <= 0 ? string.Empty : pointer[..slash];
    }

    private static string LastSegment(string pointer)
    {
        var slash = pointer.LastIndexOf('/');
        var segment = slash < 0 ? pointer : pointer[(slash + 1)..];
        return segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
    }

    private static string Show(JsonElement? value)
    {
        if (value is not { } v)
        {
            return "The value";
        }

        var text = v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText();
        if (text.Length > 60)
        {
            text = string.Concat(text.AsSpan(0, 57), "...");
        }

        // One line in every message: control characters are shown escaped.
        text = string.Concat(text.Select(static c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
        return v.ValueKind == JsonValueKind.String ? $"'{text}'" : text;
    }

    private static string KindName(JsonElement? value) => value?.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "missing",
    };

    private static string Article(string type) => type switch
    {
        "object" => "an object",
        "array" => "an array",
        "integer" => "an integer",
        "string" => "a string",
        "number" => "a number",
        "boolean" => "a boolean (true or false)",
        _ => type,
    };

    private static DefinitionProblem Problem(string path, string message, string hint) =>
        new(ProblemSeverity.Error, DefinitionProblemCodes.JsonSchema, path, message) { Hint = hint };

    private static string LoadText()
    {
        using var stream = typeof(DefinitionSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource '{ResourceName}' is missing from the ProcessKit assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
