using System.Globalization;

namespace ProcessKit.Cli;

/// <summary>The bytes of a definition file, or why they could not be read.</summary>
/// <param name="Bytes">The buffer; only the first <paramref name="Length"/> bytes are the file.</param>
/// <param name="Length">How many bytes were read.</param>
/// <param name="Error">Why the file could not be read, in one line; <see langword="null"/> on success.</param>
internal readonly record struct DefinitionFile(byte[] Bytes, int Length, string? Error)
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
                return TooLarge(stream.Length, maxBytes);
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

            return length > maxBytes ? TooLarge(null, maxBytes) : new DefinitionFile(buffer, length, null);
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

    private static DefinitionFile TooLarge(long? length, int maxBytes)
    {
        var size = length is { } known ? known.ToString(CultureInfo.InvariantCulture) + " bytes" : "larger";
        return Fail($"the file is too large ({size}; the limit is {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes, see --max-bytes)");
    }

    private static DefinitionFile Fail(string error) => new([], 0, error);
}
