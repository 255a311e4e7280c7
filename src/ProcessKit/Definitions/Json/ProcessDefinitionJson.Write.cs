using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ProcessKit.Definitions.Json;

public static partial class ProcessDefinitionJson
{
    /// <summary>Writes a definition as a JSON document.</summary>
    /// <param name="definition">The definition; it must hold no C# lambda.</param>
    /// <param name="indented">Whether to indent the document (two spaces, <c>\n</c> line ends). Default <see langword="true"/>.</param>
    /// <returns>
    /// The document. Values equal to the model's defaults are left out, and the same definition
    /// always gives the same text; reading it back gives an equal definition.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="DefinitionException">
    /// The definition holds C# lambdas (one <see cref="DefinitionProblemCodes.LambdaNotExportable"/>
    /// problem each), or a number JSON cannot hold.
    /// </exception>
    public static string Write(ProcessDefinition definition, bool indented = true)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(definition, buffer, indented);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes a definition as UTF-8 JSON into a buffer.</summary>
    /// <param name="definition">The definition; it must hold no C# lambda.</param>
    /// <param name="destination">Receives the UTF-8 bytes (without byte order mark).</param>
    /// <param name="indented">Whether to indent the document. Default <see langword="true"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="DefinitionException">The definition holds C# lambdas, or a number JSON cannot hold.</exception>
    public static void Write(ProcessDefinition definition, IBufferWriter<byte> destination, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(destination);
        EnsureWritable(definition);
        using var writer = new Utf8JsonWriter(destination, DefinitionJsonWriter.Options(indented));
        DefinitionJsonWriter.Write(writer, definition);
        writer.Flush();
    }

    /// <summary>Writes a definition as UTF-8 JSON to a stream.</summary>
    /// <param name="definition">The definition; it must hold no C# lambda.</param>
    /// <param name="destination">The stream; written at its current position, not closed.</param>
    /// <param name="indented">Whether to indent the document. Default <see langword="true"/>.</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    /// <returns>A task that completes when the document is written and flushed to the stream.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="DefinitionException">The definition holds C# lambdas, or a number JSON cannot hold.</exception>
    public static async Task WriteAsync(ProcessDefinition definition, Stream destination, bool indented = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(destination);
        var buffer = new ArrayBufferWriter<byte>();
        Write(definition, buffer, indented);
        await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void EnsureWritable(ProcessDefinition definition)
    {
        var problems = new List<DefinitionProblem>();
        foreach (var site in DefinitionWalker.Expressions(definition))
        {
            if (site.Expression.IsLambda)
            {
                problems.Add(new DefinitionProblem(
                    ProblemSeverity.Error,
                    DefinitionProblemCodes.LambdaNotExportable,
                    site.Path,
                    $"The expression '{site.Expression.Text}' is a C# lambda, which cannot be written to JSON.")
                {
                    Hint = "Use expression text instead (for example \"amount > 100\" rather than d => (decimal)d[\"amount\"]! > 100) so that the definition can be saved and read back.",
                });
            }
        }

        for (var i = 0; i < definition.Steps.Count; i++)
        {
            if (definition.Steps[i] is AutomatedStep { Retry.BackoffMultiplier: var factor } && !double.IsFinite(factor))
            {
                problems.Add(new DefinitionProblem(
                    ProblemSeverity.Error,
                    DefinitionProblemCodes.InvalidValue,
                    $"{DefinitionWalker.StepPath(i)}/retry/backoffMultiplier",
                    $"The backoff multiplier {factor} is not a finite number, which JSON cannot hold.")
                {
                    Hint = "Use a finite multiplier of at least 1, for example 2.",
                });
            }
        }

        if (problems.Count > 0)
        {
            throw new DefinitionException(problems, definition.Id);
        }
    }
}
