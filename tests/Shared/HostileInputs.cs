using System.Text;

namespace ProcessKit.Tests.Shared;

/// <summary>A malformed or hostile definition document, and what reading it must report.</summary>
/// <param name="Name">A short unique name, for test output.</param>
/// <param name="Create">Makes the bytes (a factory, so that the big ones exist only while used).</param>
/// <param name="Code">The expected problem code (for example <c>json-syntax</c>, <c>limit</c>).</param>
/// <param name="Pointer">The expected JSON pointer of that problem (<c>""</c> is the whole document).</param>
/// <param name="MessageFragment">A fragment the problem's message contains (ordinal, case-insensitive).</param>
public sealed record HostileInput(string Name, Func<byte[]> Create, string Code, string Pointer, string MessageFragment)
{
    /// <summary>Returns <see cref="Name"/>.</summary>
    public override string ToString() => Name;
}

/// <summary>
/// The malformed and hostile documents every reader of definitions must survive with one clear
/// problem each. Shared by the library's tests and the CLI's tests (linked, not referenced).
/// </summary>
public static class HostileInputs
{
    /// <summary>A small valid document the cases below are variations of.</summary>
    public const string ValidDocument = """
        {
          "id": "p",
          "name": "P",
          "roles": [{ "id": "clerk", "name": "Clerk" }],
          "steps": [
            { "id": "a", "name": "A", "kind": "HumanTask", "role": "clerk", "next": [{ "to": "done" }] },
            { "id": "done", "name": "Done", "kind": "End" }
          ]
        }
        """;

    private const int DefaultMaxDepth = 32;

    /// <summary>Every case.</summary>
    public static IReadOnlyList<HostileInput> All { get; } =
    [
        // Not text, or no JSON at all.
        Text("empty file", string.Empty, "json-syntax", "", "empty"),
        Text("whitespace only", " \r\n\t  \n", "json-syntax", "", "empty"),
        Bytes("invalid UTF-8", [.. "{\"id\": \""u8, 0xC3, 0x28, .. "\"}"u8], "json-syntax", "", "not UTF-8"),
        Bytes("binary with NUL bytes", [0x00, 0x01, 0x02, 0x03, 0xFF, 0xFE, 0x7F, 0x00], "json-syntax", "", "not UTF-8"),
        Bytes("PNG image", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D], "json-syntax", "", "not UTF-8"),
        new("UTF-16 with byte order mark", () => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(ValidDocument)], "json-syntax", "", "UTF-16"),
        new("UTF-16 without byte order mark", () => Encoding.Unicode.GetBytes(ValidDocument), "json-syntax", "", "not UTF-8"),
        Text("NUL byte inside a string", "{\"id\": \"p\u0000\", \"name\": \"P\", \"steps\": []}", "json-syntax", "", "NUL"),

        // Not well-formed JSON.
        new("truncated JSON", () => Encoding.UTF8.GetBytes(ValidDocument[..(ValidDocument.Length / 2)]), "json-syntax", "", "not valid JSON"),
        Text("trailing garbage", ValidDocument + " garbage", "json-syntax", "", "not valid JSON"),
        Text("two documents", ValidDocument + ValidDocument, "json-syntax", "", "not valid JSON"),
        Text("trailing comma", ValidDocument.Replace("\"name\": \"P\",", "\"name\": \"P\",,", StringComparison.Ordinal), "json-syntax", "", "not valid JSON"),
        Text("comment", "// a comment\n" + ValidDocument, "json-syntax", "", "not valid JSON"),
        Text("single quotes", "{'id': 'p'}", "json-syntax", "", "not valid JSON"),
        Text("lone surrogate escape in a value", ValidDocument.Replace("\"name\": \"P\"", "\"name\": \"\\uD800\"", StringComparison.Ordinal), "json-syntax", "/name", "surrogate"),
        Text("lone surrogate escape in a property name", "{\"\\uDC00\": 1}", "json-syntax", "", "surrogate"),
        Text("duplicate key", ValidDocument.Replace("\"name\": \"P\"", "\"name\": \"P\", \"id\": \"q\"", StringComparison.Ordinal), "json-syntax", "/id", "appears twice"),
        Text("duplicate key in a step", ValidDocument.Replace("\"kind\": \"End\"", "\"kind\": \"End\", \"kind\": \"Timer\"", StringComparison.Ordinal), "json-syntax", "/steps/1/kind", "appears twice"),

        // Limits.
        new("10,000-deep arrays", () => Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)), "limit", Repeat("/0", DefaultMaxDepth), "deeper than 32"),
        new("10,000-deep objects", () => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000)), "limit", Repeat("/a", DefaultMaxDepth), "deeper than 32"),
        new("deep nesting inside a description", () => Encoding.UTF8.GetBytes(ValidDocument.Replace("\"name\": \"P\"", "\"name\": \"P\", \"description\": " + new string('[', 100) + new string(']', 100), StringComparison.Ordinal)), "limit", "/description" + Repeat("/0", DefaultMaxDepth - 1), "deeper than 32"),
        new("a 50 MB file", () => FiftyMegabytes(), "limit", "", "the limit is 4,194,304 bytes"),
        new("too many steps", () => ManySteps(2_001), "limit", "/steps", "the limit is 2,000"),
        new("an over-long expression", () => WithCondition(new string('x', 1_001)), "limit", "/steps/0/next/0/when", "1,001 characters"),
        new("a 1 MB string as an expression", () => WithCondition("amount > " + new string('9', 1024 * 1024)), "limit", "/steps/0/next/0/when", "characters long"),

        // Not the shape of a definition.
        Text("top-level array", "[1, 2, 3]", "json-schema", "", "must be a JSON object"),
        Text("top-level string", "\"hello\"", "json-schema", "", "must be a JSON object"),
        Text("top-level null", "null", "json-schema", "", "must be a JSON object"),
        Text("missing id", ValidDocument.Replace("\"id\": \"p\",", string.Empty, StringComparison.Ordinal), "json-schema", "", "'id'"),
        Text("missing steps", "{\"id\": \"p\", \"name\": \"P\"}", "json-schema", "", "'steps'"),
        Text("empty steps", "{\"id\": \"p\", \"name\": \"P\", \"steps\": []}", "json-schema", "/steps", "at least one step"),
        Text("unknown step kind", ValidDocument.Replace("\"kind\": \"End\"", "\"kind\": \"Finish\"", StringComparison.Ordinal), "json-schema", "/steps/1/kind", "'Finish' is not an allowed value"),
        Text("step kind in the wrong case", ValidDocument.Replace("\"kind\": \"End\"", "\"kind\": \"end\"", StringComparison.Ordinal), "json-schema", "/steps/1/kind", "not an allowed value"),
        Text("name is a number", ValidDocument.Replace("\"name\": \"P\"", "\"name\": 42", StringComparison.Ordinal), "json-schema", "/name", "must be a string"),
        Text("targets is null", ValidDocument.Replace("\"name\": \"P\"", "\"name\": \"P\", \"targets\": null", StringComparison.Ordinal), "json-schema", "/targets", "must be an object"),
        Text("terminate is a string", ValidDocument.Replace("\"kind\": \"End\"", "\"kind\": \"End\", \"terminate\": \"yes\"", StringComparison.Ordinal), "json-schema", "/steps/1/terminate", "must be a boolean"),
        Text("handler on a human task", ValidDocument.Replace("\"role\": \"clerk\",", "\"role\": \"clerk\", \"handler\": \"x\",", StringComparison.Ordinal), "json-schema", "/steps/0/handler", "not a property of a HumanTask step"),
        Text("automated step without handler", ValidDocument.Replace("\"kind\": \"HumanTask\"", "\"kind\": \"Automated\"", StringComparison.Ordinal), "json-schema", "/steps/0", "'handler'"),
        Text("unknown property", ValidDocument.Replace("\"name\": \"P\"", "\"name\": \"P\", \"colour\": \"red\"", StringComparison.Ordinal), "json-schema", "/colour", "not a property of the process definition"),
        Text("unknown property in a flow", ValidDocument.Replace("{ \"to\": \"done\" }", "{ \"to\": \"done\", \"condition\": \"x\" }", StringComparison.Ordinal), "json-schema", "/steps/0/next/0/condition", "not a property of a flow"),
        Text("$type CLR type name", ValidDocument.Replace("\"name\": \"P\"", "\"name\": \"P\", \"$type\": \"System.IO.FileInfo, System.IO.FileSystem\"", StringComparison.Ordinal), "json-schema", "/$type", "not a property"),
        Text("__type CLR type name in a step", ValidDocument.Replace("\"kind\": \"End\"", "\"kind\": \"End\", \"__type\": \"System.Diagnostics.Process\"", StringComparison.Ordinal), "json-schema", "/steps/1/__type", "not a property of a End step"),
        Text("bad duration", ValidDocument.Replace("\"role\": \"clerk\",", "\"role\": \"clerk\", \"workTime\": \"15 minutes\",", StringComparison.Ordinal), "json-schema", "/steps/0/workTime", "'15 minutes'"),
        Text("duration with months", ValidDocument.Replace("\"role\": \"clerk\",", "\"role\": \"clerk\", \"goalTime\": \"P1M\",", StringComparison.Ordinal), "json-schema", "/steps/0/goalTime", "'P1M'"),
        Text("duration too long for a TimeSpan", ValidDocument.Replace("\"role\": \"clerk\",", "\"role\": \"clerk\", \"workTime\": \"P99999999999D\",", StringComparison.Ordinal), "invalid-value", "/steps/0/workTime", "duration"),
        Text("negative version", ValidDocument.Replace("\"name\": \"P\"", "\"name\": \"P\", \"version\": -1", StringComparison.Ordinal), "json-schema", "/version", "at least 1"),
        Text("huge version", ValidDocument.Replace("\"name\": \"P\"", "\"name\": \"P\", \"version\": 1e30", StringComparison.Ordinal), "json-schema", "/version", "at most 2147483647"),
        Text("huge hourly cost", ValidDocument.Replace("\"name\": \"Clerk\"", "\"name\": \"Clerk\", \"hourlyCost\": 1e400", StringComparison.Ordinal), "json-schema", "/roles/0/hourlyCost", "out of range"),
        Text("step id with a space", ValidDocument.Replace("\"id\": \"a\"", "\"id\": \"first step\"", StringComparison.Ordinal), "json-schema", "/steps/0/id", "'first step'"),
        Text("due time with both after and at", ValidDocument.Replace("\"role\": \"clerk\",", "\"role\": \"clerk\", \"deadline\": { \"after\": \"PT1H\", \"at\": \"dueAt\" },", StringComparison.Ordinal), "json-schema", "/steps/0/deadline", "exactly one"),
        Text("message trigger without message", ValidDocument.Replace("\"name\": \"P\"", "\"name\": \"P\", \"triggers\": [{ \"kind\": \"Message\" }]", StringComparison.Ordinal), "json-schema", "/triggers/0", "'message'"),
        Text("property of another trigger kind", ValidDocument.Replace("\"name\": \"P\"", "\"name\": \"P\", \"triggers\": [{ \"kind\": \"Manual\", \"every\": \"P1D\" }]", StringComparison.Ordinal), "json-schema", "/triggers/0/every", "not a property of a Manual trigger"),

        // Well-formed, but semantically wrong: reported by the validator, through the reader, with positions.
        Text("flow to an unknown step", ValidDocument.Replace("{ \"to\": \"done\" }", "{ \"to\": \"nowhere\" }", StringComparison.Ordinal), "unknown-step", "/steps/0/next/0/to", "nowhere"),
        Text("human task with an undeclared role", ValidDocument.Replace("\"role\": \"clerk\"", "\"role\": \"ghost\"", StringComparison.Ordinal), "unknown-role", "/steps/0/role", "ghost"),
    ];

    /// <summary>The case with this name.</summary>
    public static HostileInput Get(string name) => All.Single(c => c.Name == name);

    private static HostileInput Text(string name, string text, string code, string pointer, string fragment) =>
        new(name, () => Encoding.UTF8.GetBytes(text), code, pointer, fragment);

    private static HostileInput Bytes(string name, byte[] bytes, string code, string pointer, string fragment) =>
        new(name, () => bytes, code, pointer, fragment);

    private static string Repeat(string segment, int count) => string.Concat(Enumerable.Repeat(segment, count));

    private static byte[] FiftyMegabytes()
    {
        var bytes = new byte[50 * 1024 * 1024];
        bytes.AsSpan().Fill((byte)'a');
        "{\"id\": \"p\", \"name\": \""u8.CopyTo(bytes);
        "\"}"u8.CopyTo(bytes.AsSpan(bytes.Length - 2));
        return bytes;
    }

    private static byte[] ManySteps(int count)
    {
        var builder = new StringBuilder("{\"id\": \"p\", \"name\": \"P\", \"steps\": [");
        for (var i = 0; i < count; i++)
        {
            builder.Append(i == 0 ? string.Empty : ",").Append("{\"id\": \"s").Append(i).Append("\", \"name\": \"S\", \"kind\": \"End\"}");
        }

        return Encoding.UTF8.GetBytes(builder.Append("]}").ToString());
    }

    private static byte[] WithCondition(string condition) =>
        Encoding.UTF8.GetBytes(ValidDocument.Replace("{ \"to\": \"done\" }", "{ \"to\": \"done\", \"when\": \"" + condition + "\" }", StringComparison.Ordinal));
}
