namespace ProcessKit.Benchmarks.Compare;

/// <summary>
/// The machine's 1/5/15-minute load averages (Linux), recorded with the figures: on a shared
/// machine they say how much else was running.
/// </summary>
internal static class LoadAverage
{
    private const string Path = "/proc/loadavg";

    /// <summary>The load averages when the comparison started, or <c>null</c> where unknown.</summary>
    public static string? AtStart { get; private set; }

    /// <summary>Records the load averages at the start.</summary>
    public static void RecordStart() => AtStart = Now();

    /// <summary>The load averages now, or <c>null</c> where unknown.</summary>
    public static string? Now()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        var parts = File.ReadAllText(Path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 3 ? string.Join(' ', parts[..3]) : null;
    }
}
