using System.Globalization;
using ProcessKit.Definitions;

namespace ProcessKit.Cli;

/// <summary>The bytes of a definition file, or why they could not be read, or why they were refused.</summary>
/// <param name="Bytes">The buffer; only the first <paramref name="Length"/> bytes are the file.</param>
/// <param name="Length">How many bytes were read.</param>
/// <param name="Error">Why the file could not be read, in one line; <see langword="null"/> otherwise.</param>
/// <param name="TooLarge">
/// The problem of a document over the size limit (code <c>limit</c>, at the root, as the reader
/// reports it), found without reading the document; <see langword="null"/> otherwise.
/// </param>
internal readonly record struct DefinitionFile(byte[] Bytes, int Length, string? Error, DefinitionProblem? TooLarge = null)
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>The bytes read.</summary>
    public ReadOnlySpan<byte> Content => Bytes.AsSpan(0, Length);

    /// <summary>
    /// Reads at most <paramref name="maxBytes"/> bytes of <paramref name="path"/>. The length is checked
    /// before reading where the file has one, and reading stops after <paramref name="maxBytes"/> + 1
    /// bytes otherwise (pipes, devices), so a huge or endless file costs nothing.
    /// </summary>
    public static DefinitionFile Read(string path, int maxBytes, CancellationToken cancellationToken)
    {
        if (path.Length == 0)
        {
            return Fail("the file name is empty");
        }

        try
        {
            if (Directory.Exists(path))
            {
                return Fail("is a directory, not a file");
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            if (stream.CanSeek && stream.Length > maxBytes)
            {
                return Refuse(stream.Length, maxBytes);
            }

            var capacity = stream.CanSeek ? (int)Math.Min(stream.Length + 1, (long)maxBytes + 1) : Math.Min(ChunkSize, maxBytes + 1);
            var buffer = new byte[Math.Max(capacity, 1)];
            var length = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        break;
                    }

                    Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, (long)maxBytes + 1));
                }

                var read = stream.Read(buffer, length, Math.Min(buffer.Length - length, ChunkSize));
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return length > maxBytes ? Refuse(null, maxBytes) : new DefinitionFile(buffer, length, null);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Fail("file not found");
        }
        catch (UnauthorizedAccessException)
        {
            return Fail("permission denied");
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or NotSupportedException)
        {
            return Fail("cannot read the file: " + CliText.OneLine(ex.Message));
        }
    }

    /// <summary>The same problem the reader gives a document over its limit, with a hint for the tool.</summary>
    private static DefinitionFile Refuse(long? length, int maxBytes)
    {
        var size = length is { } known
            ? string.Create(CultureInfo.InvariantCulture, $"{known:N0} bytes")
            : string.Create(CultureInfo.InvariantCulture, $"more than {maxBytes:N0} bytes");
        var problem = new DefinitionProblem(
            ProblemSeverity.Error,
            DefinitionProblemCodes.Limit,
            string.Empty,
            string.Create(CultureInfo.InvariantCulture, $"The document is {size}; the limit is {maxBytes:N0} bytes."))
        {
            Hint = "A process definition is rarely more than a few hundred kilobytes; check that the right file was given, or raise the limit with --max-bytes if the file is trusted.",
            Line = 1,
            Column = 1,
        };
        return new DefinitionFile([], 0, null, problem);
    }

    private static DefinitionFile Fail(string error) => new([], 0, error);
}
