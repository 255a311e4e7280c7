using System.Globalization;
using System.Text;
using ProcessKit.Analytics;
using ProcessKit.Definitions;

namespace ProcessKit.Testing.Simulation;

/// <summary>
/// What a simulation measured: the process report the engine's analytics compute from the
/// simulated instances' history (instances, outcomes, cycle time, cost, satisfaction, deadline
/// breaches, where instances wait longest), with what only a simulation knows (how busy each role
/// was) and the means of work and wait time per instance.
/// </summary>
/// <remarks>Immutable and thread-safe; compared by value. The same options and seed give an equal report.</remarks>
public sealed record SimulationReport
{
    /// <summary>The characteristics of the simulated process version, as <see cref="ProcessAnalytics.Report"/> computes them from the history (running instances measured at <see cref="EndTime"/>).</summary>
    public required ProcessReport Process { get; init; }

    /// <summary>The seed the simulation ran with.</summary>
    public int Seed { get; init; }

    /// <summary>When the simulated clock started.</summary>
    public DateTimeOffset StartTime { get; init; }

    /// <summary>When the last instance ended, or (when some still run) when the simulation stopped.</summary>
    public DateTimeOffset EndTime { get; init; }

    /// <summary>The mean time people worked on a completed instance (see <see cref="InstanceCharacteristics.WorkTime"/>); <see langword="null"/> when none completed.</summary>
    public TimeSpan? MeanWorkTime { get; init; }

    /// <summary>The mean time a completed instance's tasks waited for a person (see <see cref="InstanceCharacteristics.WaitTime"/>); <see langword="null"/> when none completed.</summary>
    public TimeSpan? MeanWaitTime { get; init; }

    /// <summary>The mean time a completed instance waited for messages and timers (see <see cref="InstanceCharacteristics.EventWaitTime"/>); <see langword="null"/> when none completed.</summary>
    public TimeSpan? MeanEventWaitTime { get; init; }

    /// <summary>How busy each role's people were, in the definition's role order.</summary>
    public ValueArray<RoleUtilization> Roles { get; init; }

    /// <summary>The handlers that ran as stubs (see <see cref="SimulationOptions.StubMissingHandlers"/>), sorted; empty when none.</summary>
    public ValueArray<string> StubbedHandlers { get; init; }

    /// <summary>The step where instances waited longest for a person (the first of <see cref="ProcessReport.LongestWaits"/>); <see langword="null"/> when no task waited.</summary>
    public StepSummary? LongestWait => Process.LongestWaits.IsEmpty ? null : Process.LongestWaits[0];

    /// <summary>
    /// Renders the report as plain text: <see cref="ProcessReport.ToTable"/>, then the simulation's
    /// own lines (seed, simulated span, mean work and wait per instance, the step with the longest
    /// wait) and a table of the roles' utilization. Deterministic; lines end with <c>\n</c>.
    /// </summary>
    /// <returns>The text.</returns>
    /// <remarks>Thread-safe.</remarks>
    public string ToTable()
    {
        var text = new StringBuilder(Process.ToTable());
        text.Append('\n');
        Line(text, "simulation");
        var rows = new List<(string Name, string Value)>
        {
            ("seed", Seed.ToString(CultureInfo.InvariantCulture)),
            ("simulated span", Invariant($"{StartTime:yyyy-MM-dd HH:mm} to {EndTime:yyyy-MM-dd HH:mm} UTC ({Duration(EndTime - StartTime)})")),
            ("mean work per instance", Duration(MeanWorkTime)),
            ("mean wait per instance", Duration(MeanWaitTime)),
            ("mean event wait per instance", Duration(MeanEventWaitTime)),
            ("longest wait", LongestWait is { } w ? Invariant($"{w.StepId} ({w.RoleId ?? "-"}), mean {Duration(w.MeanWaitTime)}") : "-"),
            ("stubbed handlers", StubbedHandlers.IsEmpty ? "-" : string.Join(", ", StubbedHandlers)),
        };
        var width = rows.Max(static r => r.Name.Length);
        foreach (var (name, value) in rows)
        {
            Line(text, name.PadRight(width) + "  " + value);
        }

        text.Append('\n');
        var header = new[] { "role", "people", "tasks", "busy", "utilization" };
        var table = new List<string[]> { header };
        foreach (var role in Roles)
        {
            table.Add(
            [
                role.RoleId,
                role.People.ToString(CultureInfo.InvariantCulture),
                role.TasksCompleted.ToString(CultureInfo.InvariantCulture),
                Duration(role.BusyTime),
                role.Utilization is { } u ? (u * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-",
            ]);
        }

        var widths = new int[header.Length];
        foreach (var row in table)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in table)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                if (i > 0)
                {
                    line.Append("  ");
                }

                line.Append(i == 0 ? row[i].PadRight(widths[i]) : row[i].PadLeft(widths[i]));
            }

            Line(text, line.ToString().TrimEnd());
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan? value)
    {
        if (value is not { } span)
        {
            return "-";
        }

        if (span.Days > 0)
        {
            return Invariant($"{span.Days}d {span.Hours:00}h {span.Minutes:00}m");
        }

        if (span.Hours > 0)
        {
            return Invariant($"{span.Hours}h {span.Minutes:00}m {span.Seconds:00}s");
        }

        return span.Minutes > 0 ? Invariant($"{span.Minutes}m {span.Seconds:00}s") : Invariant($"{span.Seconds}s");
    }
}
