namespace ProcessKit.Persistence;

/// <summary>How many tasks of a process are open, and how many of those are overdue (for the telemetry gauges).</summary>
internal readonly record struct OpenTaskCount(string ProcessId, int Open, int Overdue);
