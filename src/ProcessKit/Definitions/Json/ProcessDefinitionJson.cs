using System.Globalization;
using System.Buffers;
using System.Text;
using System.Text.Json;
using ProcessKit.Definitions.Validation;

namespace ProcessKit.Definitions.Json;

/// <summary>
/// Reads and writes process definitions in ProcessKit's JSON format (one document per process,
/// described by the JSON Schema <c>processkit.schema.json</c>). Reading checks the document against the JSON Schema, then
/// every semantic rule; problems carry the JSON pointer, line and column.
/// </summary>
/// <remarks>
/// Stateless and thread-safe. No CLR type is ever named or loaded from a document. Documents may
/// come from untrusted sources: size, nesting depth, number of steps and expression length are
/// limited (<see cref="DefinitionReaderOptions"/>), and bad input is reported as problems, never as
/// an unexpected exception.
/// </remarks>
public static partial class ProcessDefinitionJson
{
    /// <summary>The <c>$id</c> of the JSON Schema, which the writer puts in <c>$schema</c> so that editors offer completion.</summary>
    public const string SchemaId = DefinitionSchema.Id;

    /// <summary>The text of the JSON Schema (draft 2020-12) of the format, as embedded in the package.</summary>
    public static string SchemaText => DefinitionSchema.Text;

    /// <summary>Reads a definition and returns it with every problem found; never throws for bad input.</summary>
    /// <param name="utf8Json">The document as UTF-8 bytes (a byte order mark is allowed).</param>
    /// <param name="options">The limits; <see cref="DefinitionReaderOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>
    /// The definition (when it has no error; warnings are allowed) and the problems, each with its
    /// JSON pointer, line and column, in document order.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">A limit in <paramref name="options"/> is out of range.</exception>
    public static DefinitionLoadResult Load(ReadOnlySpan<byte> utf8Json, DefinitionReaderOptions? options = null)
    {
        options ??= DefinitionReaderOptions.Default;
        options.Validate();

        // The size first, before anything looks at the bytes.
        if (utf8Json.Length > options.MaxBytes)
        {
            return TooLarge(utf8Json.Length, options);
        }

        var json = JsonTextScanner.SkipBom(utf8Json);
        if ((JsonTextScanner.CheckText(json) ?? JsonTextScanner.CheckStructure(json, options.MaxDepth)) is { } textProblem)
        {
            return Failed([textProblem]);
        }

        JsonDocument document;
        try
        {
            // The structure was checked above (syntax, depth, duplicate keys) with positions; these
            // options repeat the same rules as a second line of defence.
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions
            {
                MaxDepth = options.MaxDepth,
                AllowDuplicateProperties = false,
                AllowTrailingCommas = false,
                CommentHandling = JsonCommentHandling.Disallow,
            });
        }
        catch (JsonException exception)
        {
            return Failed([new DefinitionProblem(ProblemSeverity.Error, DefinitionProblemCodes.JsonSyntax, string.Empty, $"The document is not valid JSON: {exception.Message}")
            {
                Hint = "Check the JSON syntax.",
                Line = (int)(exception.LineNumber ?? 0) + 1,
                Column = (int)(exception.BytePositionInLine ?? 0) + 1,
            }]);
        }

        using (document)
        {
            var root = document.RootElement;
            var problems = new List<DefinitionProblem>();
            if (root.ValueKind == JsonValueKind.Object &&
                root.TryGetProperty("steps", out var steps) &&
                steps.ValueKind == JsonValueKind.Array &&
                steps.GetArrayLength() > options.MaxSteps)
            {
                problems.Add(new DefinitionProblem(
                    ProblemSeverity.Error,
                    DefinitionProblemCodes.Limit,
                    "/steps",
                    string.Create(CultureInfo.InvariantCulture, $"The process has {steps.GetArrayLength():N0} steps; the limit is {options.MaxSteps:N0}."))
                {
                    Hint = "Split the process into sub-processes, or raise DefinitionReaderOptions.MaxSteps if the source is trusted.",
                });
                return WithPositions(json, options, problems, null, sort: false);
            }

            problems.AddRange(DefinitionSchema.Evaluate(root));
            if (problems.Count > 0)
            {
                return WithPositions(json, options, problems, null, sort: true);
            }

            var mapper = new DefinitionJsonMapper(options);
            ProcessDefinition definition;
            try
            {
                definition = mapper.Map(root);
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException or FormatException)
            {
                // The schema admits only what the mapper reads; this is a second line of defence.
                problems.Add(new DefinitionProblem(ProblemSeverity.Error, DefinitionProblemCodes.JsonSchema, string.Empty, $"The document could not be read: {exception.Message}")
                {
                    Hint = $"Check it against {SchemaId}.",
                });
                return WithPositions(json, options, problems, null, sort: false);
            }

            if (mapper.Problems.Count > 0)
            {
                problems.AddRange(mapper.Problems);
                return WithPositions(json, options, problems, null, sort: true);
            }

            problems.AddRange(ProcessDefinitionValidator.Validate(definition));
            var valid = !problems.Exists(static p => p.Severity == ProblemSeverity.Error);
            return problems.Count == 0
                ? new DefinitionLoadResult(definition, [])
                : WithPositions(json, options, problems, valid ? definition : null, sort: false);
        }
    }

    /// <summary>Reads a definition from a stream, reading at most <see cref="DefinitionReaderOptions.MaxBytes"/> + 1 bytes; never throws for bad input.</summary>
    /// <param name="utf8Json">The stream holding the document as UTF-8; read from its current position, not closed.</param>
    /// <param name="options">The limits; <see cref="DefinitionReaderOptions.Default"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The definition (when it has no error) and the problems.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    public static async Task<DefinitionLoadResult> LoadAsync(Stream utf8Json, DefinitionReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        options ??= DefinitionReaderOptions.Default;
        options.Validate();

        var limit = options.MaxBytes + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit, 64 * 1024));
        var length = 0;
        try
        {
            while (length < limit)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit, buffer.Length * 2L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await utf8Json.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit) - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return length > options.MaxBytes ? TooLarge(null, options) : Load(buffer.AsSpan(0, length), options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads a definition, throwing when it has errors.</summary>
    /// <param name="utf8Json">The document as UTF-8 bytes.</param>
    /// <param name="options">The limits; <see cref="DefinitionReaderOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="DefinitionException">The document has errors; every problem is listed with its position.</exception>
    public static ProcessDefinition Read(ReadOnlySpan<byte> utf8Json, DefinitionReaderOptions? options = null) => OrThrow(Load(utf8Json, options));

    /// <summary>Reads a definition from JSON text, throwing when it has errors.</summary>
    /// <param name="json">The document.</param>
    /// <param name="options">The limits; <see cref="DefinitionReaderOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="DefinitionException">The document has errors; every problem is listed with its position.</exception>
    public static ProcessDefinition Read(string json, DefinitionReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read(Encoding.UTF8.GetBytes(json), options);
    }

    /// <summary>Reads a definition from a stream, reading at most <see cref="DefinitionReaderOptions.MaxBytes"/> + 1 bytes, and throws when it has errors.</summary>
    /// <param name="utf8Json">The stream holding the document as UTF-8; read from its current position, not closed.</param>
    /// <param name="options">The limits; <see cref="DefinitionReaderOptions.Default"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is <see langword="null"/>.</exception>
    /// <exception cref="DefinitionException">The document has errors; every problem is listed with its position.</exception>
    public static async Task<ProcessDefinition> ReadAsync(Stream utf8Json, DefinitionReaderOptions? options = null, CancellationToken cancellationToken = default) =>
        OrThrow(await LoadAsync(utf8Json, options, cancellationToken).ConfigureAwait(false));

    private static ProcessDefinition OrThrow(DefinitionLoadResult result) =>
        result.Definition ?? throw new DefinitionException(result.Problems);

    private static DefinitionLoadResult TooLarge(long? length, DefinitionReaderOptions options)
    {
        var size = length is { } known ? string.Create(CultureInfo.InvariantCulture, $"{known:N0} bytes") : string.Create(CultureInfo.InvariantCulture, $"more than {options.MaxBytes:N0} bytes");
        return Failed([new DefinitionProblem(ProblemSeverity.Error, DefinitionProblemCodes.Limit, string.Empty, string.Create(CultureInfo.InvariantCulture, $"The document is {size}; the limit is {options.MaxBytes:N0} bytes."))
        {
            Hint = "A process definition is rarely more than a few hundred kilobytes; check that the right file was given, or raise DefinitionReaderOptions.MaxBytes if the source is trusted.",
            Line = 1,
            Column = 1,
        }]);
    }

    private static DefinitionLoadResult Failed(ValueArray<DefinitionProblem> problems) => new(null, problems);

    private static DefinitionLoadResult WithPositions(ReadOnlySpan<byte> json, DefinitionReaderOptions options, List<DefinitionProblem> problems, ProcessDefinition? definition, bool sort)
    {
        var positions = JsonTextScanner.MapPositions(json, options.MaxDepth);
        IEnumerable<DefinitionProblem> located = problems.Select(positions.Attach).ToList();

        // Schema errors come in the schema's order, not the document's; OrderBy is stable, so
        // problems at one place keep the order they were found in. The validator's problems
        // already come in document order.
        if (sort)
        {
            located = located.OrderBy(static p => p.Line).ThenBy(static p => p.Column);
        }

        return new DefinitionLoadResult(definition, [.. located]);
    }
}
