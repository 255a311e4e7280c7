using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace ProcessKit.Definitions.Json;

/// <summary>
/// Checks the raw text of a definition before it is parsed into a tree (UTF-8, syntax, depth,
/// duplicate keys), and maps JSON pointers to lines and columns. <see cref="System.Text.Json.JsonDocument"/>
/// keeps no positions, so they come from a second walk over the same bytes with
/// <see cref="Utf8JsonReader"/>, made only when a problem needs them.
/// </summary>
/// <remarks>Stateless and thread-safe. Every walk is iterative: nesting never grows the call stack.</remarks>
internal static class JsonTextScanner
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Removes a UTF-8 byte order mark, which is allowed.</summary>
    public static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> utf8) => utf8.StartsWith(Utf8Bom) ? utf8[Utf8Bom.Length..] : utf8;

    /// <summary>Returns the problem when the bytes are not UTF-8 text (invalid sequences, NUL bytes, UTF-16) or hold no JSON at all.</summary>
    public static DefinitionProblem? CheckText(ReadOnlySpan<byte> json)
    {
        if (json.Length >= 2 && ((json[0] == 0xFF && json[1] == 0xFE) || (json[0] == 0xFE && json[1] == 0xFF)))
        {
            return Problem(DefinitionProblemCodes.JsonSyntax, string.Empty, "The document is not UTF-8 text: it starts with a UTF-16 byte order mark.", "Save the file as UTF-8.", 1, 1);
        }

        var nul = json.IndexOf((byte)0);
        var checkedPart = nul >= 0 ? json[..nul] : json;
        var bad = Utf8.IsValid(checkedPart) ? nul : FirstInvalidUtf8(checkedPart);
        if (bad >= 0)
        {
            var (line, column) = LineColumnOf(json, bad);
            var what = json[bad] == 0 ? "a NUL byte" : $"the byte 0x{json[bad]:X2}, which is not valid UTF-8";
            return Problem(
                DefinitionProblemCodes.JsonSyntax,
                string.Empty,
                $"The document is not UTF-8 text: {what} at line {line}, column {column}.",
                "A definition is a UTF-8 JSON text file; check that the right file was given and that it is saved as UTF-8.",
                line,
                column);
        }

        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            return Problem(DefinitionProblemCodes.JsonSyntax, string.Empty, "The document is empty.", "A definition is a JSON object such as {\"id\": \"...\", \"name\": \"...\", \"steps\": [...]}.", 1, 1);
        }

        return null;
    }

    /// <summary>
    /// Walks the whole document once and returns the first syntax error, nesting deeper than
    /// <paramref name="maxDepth"/>, or duplicate property, with its position; <see langword="null"/> when there is none.
    /// </summary>
    public static DefinitionProblem? CheckStructure(ReadOnlySpan<byte> json, int maxDepth) => Walk(json, maxDepth, null);

    /// <summary>Maps every JSON pointer of a well-formed document to its position (a property's name, or an array item's first character).</summary>
    public static JsonPositions MapPositions(ReadOnlySpan<byte> json, int maxDepth)
    {
        var positions = new JsonPositions();
        _ = Walk(json, maxDepth, positions);
        return positions;
    }

    private static DefinitionProblem? Walk(ReadOnlySpan<byte> json, int maxDepth, JsonPositions? positions)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions
        {
            // One more than the limit, so that the limit is reported by this walk, with a pointer.
            MaxDepth = maxDepth + 1,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        });
        var frames = new List<Frame>(16);
        var names = new List<HashSet<string>>(16);
        var tracker = new LineTracker();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                    {
                        if (!TryGetString(ref reader, out var name))
                        {
                            return BadEscape(json, ref reader, Pointer(frames, includeLast: false));
                        }


                        var set = names[frames.Count - 1];
                        var frame = frames[^1];
                        frame.Property = name;
                        frames[^1] = frame;
                        if (!set.Add(name))
                        {
                            var (line, column) = LineColumnOf(json, (int)reader.TokenStartIndex);
                            return Problem(
                                DefinitionProblemCodes.JsonSyntax,
                                Pointer(frames, includeLast: true),
                                $"The property '{name}' appears twice in the same object.",
                                "Remove one of them: a property may appear only once in an object.",
                                line,
                                column);
                        }

                        positions?.Add(Pointer(frames, includeLast: true), tracker.Advance(json, (int)reader.TokenStartIndex));
                        break;
                    }

                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                    {
                        RecordValue(json, ref reader, frames, positions, ref tracker);
                        if (reader.CurrentDepth >= maxDepth)
                        {
                            var (line, column) = LineColumnOf(json, (int)reader.TokenStartIndex);
                            return Problem(
                                DefinitionProblemCodes.Limit,
                                Pointer(frames, includeLast: true),
                                $"The document nests objects and arrays deeper than {maxDepth} levels.",
                                "A process definition is never nested that deeply; check that the right file was given.",
                                line,
                                column);
                        }

                        var isArray = reader.TokenType == JsonTokenType.StartArray;
                        frames.Add(new Frame { IsArray = isArray, Index = -1 });
                        if (names.Count < frames.Count)
                        {
                            names.Add(new HashSet<string>(StringComparer.Ordinal));
                        }
                        else if (!isArray)
                        {
                            names[frames.Count - 1].Clear();
                        }

                        break;
                    }

                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    default:
                        RecordValue(json, ref reader, frames, positions, ref tracker);
                        if (reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped && !TryGetString(ref reader, out _))
                        {
                            return BadEscape(json, ref reader, Pointer(frames, includeLast: true));
                        }

                        break;
                }
            }
        }
        catch (JsonException exception)
        {
            var line = (int)(exception.LineNumber ?? 0);
            var bytesInLine = (int)(exception.BytePositionInLine ?? 0);
            var column = ColumnOf(json, line, bytesInLine);
            return Problem(
                DefinitionProblemCodes.JsonSyntax,
                string.Empty,
                $"The document is not valid JSON: {StripPosition(exception.Message)}",
                "Check the JSON syntax at this position: a missing comma, quote, bracket or brace, or text after the end of the document.",
                line + 1,
                column);
        }

        return null;
    }

    private static bool TryGetString(ref Utf8JsonReader reader, out string value)
    {
        try
        {
            value = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            // An escape that is not UTF-16 text, such as a lone surrogate (\uD800).
            value = string.Empty;
            return false;
        }
    }

    private static DefinitionProblem BadEscape(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, string pointer)
    {
        var (line, column) = LineColumnOf(json, (int)reader.TokenStartIndex);
        return Problem(
            DefinitionProblemCodes.JsonSyntax,
            pointer,
            "The document holds a string with a \\u escape that is not text (a lone surrogate).",
            "Write the character itself, or a complete surrogate pair such as \\uD83D\\uDE00.",
            line,
            column);
    }

    private static void RecordValue(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, List<Frame> frames, JsonPositions? positions, ref LineTracker tracker)
    {
        if (frames.Count == 0)
        {
            positions?.Add(string.Empty, tracker.Advance(json, (int)reader.TokenStartIndex));
            return;
        }

        var frame = frames[^1];
        if (frame.IsArray)
        {
            frame.Index++;
            frames[^1] = frame;
            positions?.Add(Pointer(frames, includeLast: true), tracker.Advance(json, (int)reader.TokenStartIndex));
        }
    }

    private static string Pointer(List<Frame> frames, bool includeLast)
    {
        var builder = new StringBuilder();
        var count = includeLast ? frames.Count : frames.Count - 1;
        for (var i = 0; i < count; i++)
        {
            builder.Append('/');
            var frame = frames[i];
            if (frame.IsArray)
            {
                builder.Append(frame.Index);
            }
            else
            {
                builder.Append(EscapeSegment(frame.Property ?? string.Empty));
            }
        }

        return builder.ToString();
    }

    /// <summary>Escapes one reference token of a JSON pointer (RFC 6901).</summary>
    public static string EscapeSegment(string segment) =>
        segment.Contains('~', StringComparison.Ordinal) || segment.Contains('/', StringComparison.Ordinal)
            ? segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)
            : segment;

    private static string StripPosition(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (at >= 0 ? message[..at] : message).Trim();
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return -1;
    }

    /// <summary>The 1-based line and column (in characters) of a byte offset.</summary>
    public static (int Line, int Column) LineColumnOf(ReadOnlySpan<byte> json, int offset)
    {
        var tracker = new LineTracker();
        return tracker.Advance(json, offset);
    }

    private static int ColumnOf(ReadOnlySpan<byte> json, int zeroBasedLine, int bytesInLine)
    {
        var start = 0;
        for (var line = 0; line < zeroBasedLine; line++)
        {
            var next = json[start..].IndexOf((byte)'\n');
            if (next < 0)
            {
                break;
            }

            start += next + 1;
        }

        var end = Math.Min(json.Length, start + bytesInLine);
        return CountCharacters(json[start..end]) + 1;
    }

    private static int CountCharacters(ReadOnlySpan<byte> bytes)
    {
        var count = 0;
        foreach (var b in bytes)
        {
            if ((b & 0xC0) != 0x80)
            {
                count++;
            }
        }

        return count;
    }

    private static DefinitionProblem Problem(string code, string path, string message, string hint, int line, int column) =>
        new(ProblemSeverity.Error, code, path, message) { Hint = hint, Line = line, Column = column };

    private struct Frame
    {
        public bool IsArray;
        public int Index;
        public string? Property;
    }

    /// <summary>Turns increasing byte offsets into lines and columns in one pass over the bytes.</summary>
    private struct LineTracker
    {
        private int _offset;
        private int _line;
        private int _column;

        public (int Line, int Column) Advance(ReadOnlySpan<byte> json, int offset)
        {
            if (_line == 0)
            {
                _line = 1;
                _column = 1;
            }

            for (; _offset < offset && _offset < json.Length; _offset++)
            {
                var b = json[_offset];
                if (b == (byte)'\n')
                {
                    _line++;
                    _column = 1;
                }
                else if ((b & 0xC0) != 0x80)
                {
                    _column++;
                }
            }

            return (_line, _column);
        }
    }
}
