namespace ProcessKit.Samples.SalesOffice.Tests;

/// <summary>A temporary folder for one test, deleted with everything in it when the test ends.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pk-sales-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on this platform: the folder is left for the OS to clean.
        }
    }
}

/// <summary>A clock the handlers read before the harness that owns the real clock exists.</summary>
internal sealed class LateClock : TimeProvider
{
    public TimeProvider? Inner { get; set; }

    public override DateTimeOffset GetUtcNow() => (Inner ?? throw new InvalidOperationException("The clock is not set yet.")).GetUtcNow();
}
