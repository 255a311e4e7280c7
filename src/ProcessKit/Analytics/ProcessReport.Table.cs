using System.Globalization;
using System.Text;
using ProcessKit.Definitions;

namespace ProcessKit.Analytics;

/// <content>The plain-text rendering of a report.</content>
public sealed partial record ProcessReport
{
    /// <summary>
    /// Renders the report as plain text for a console or a log: a block of summary lines, then a
    /// table of every step that ran with its means per run, then the steps with the longest waits. Numbers use the
    /// invariant culture; money and satisfaction have two decimals, rates one; durations read
    /// like <c>1h 02m 30s</c> (seconds left out from a day up, fractions of a second dropped); a
    /// missing figure is <c>-</c>. Lines end with <c>\n</c>.
    /// </summary>
    /// <returns>The text; deterministic for a given report.</returns>
    /// <remarks>Thread-safe.</remarks>
    public string ToTable()
    {
        var text = new StringBuilder();
        Line(text, $"{ProcessName} ({ProcessId} v{ProcessVersion})");
        var summary = new ReportTable(["figure", "value"], [false, false]);
        summary.Add("instances", Invariant($"{Instances} (completed {Completed}, running {Running}, cancelled {Cancelled}, failed {Failed})"));
        summary.Add("completion rate", Percent(CompletionRate));
        summary.Add("outcomes", Outcomes.IsEmpty ? "-" : string.Join(", ", Outcomes.Select(o => Invariant($"{o.Name} {o.Count} ({Percent(OutcomeShare(o.Name))})"))));
        summary.Add("cycle time median", Duration(CycleTimeMedian));
        summary.Add("cycle time 90th percentile", Duration(CycleTime90thPercentile));
        summary.Add("cycle time mean", Duration(CycleTimeMean));
        summary.Add("mean cost", Money(MeanCost));
        summary.Add("total cost", Money(TotalCost));
        summary.Add("mean satisfaction", MeanSatisfaction is { } s ? Invariant($"{s:0.00} ({RatedInstances} rated)") : "-");
        summary.Add("mean time to first reaction", ReactedInstances == 0 ? "-" : Invariant($"{Duration(MeanTimeToFirstReaction)} ({ReactedInstances} instances)"));
        summary.Add("deadline breaches", Invariant($"{Breaches} in {BreachedInstances} instances ({Percent(BreachRate)})"));
        summary.Add("breaches by role", Counts(BreachesByRole));
        summary.Add("breaches by deadline", Counts(BreachesByDeadline));
        summary.WriteTo(text, header: false);

        text.Append('\n');
        var steps = new ReportTable(
            ["step", "role", "instances", "runs", "mean wait", "mean work", "mean event wait", "mean cost"],
            [false, false, true, true, true, true, true, true]);
        foreach (var step in Steps)
        {
            steps.Add(
                step.StepId,
                step.RoleId ?? "-",
                step.Instances.ToString(CultureInfo.InvariantCulture),
                step.Runs.ToString(CultureInfo.InvariantCulture),
                Duration(step.MeanWaitTime),
                Duration(step.MeanWorkTime),
                Duration(step.MeanEventWaitTime),
                Money(step.MeanCost));
        }

        if (Steps.IsEmpty)
        {
            Line(text, "steps: -");
        }
        else
        {
            steps.WriteTo(text, header: true);
        }

        text.Append('\n');
        Line(text, "longest waits: " + (LongestWaits.IsEmpty
            ? "-"
            : string.Join(", ", LongestWaits.Select(static s => Invariant($"{s.StepId} {Duration(s.MeanWaitTime)}")))));
        return text.ToString();
    }

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-";

    private static string Money(decimal? amount) => amount is { } a ? a.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string Counts(ValueArray<NamedCount> counts) =>
        counts.IsEmpty ? "-" : string.Join(", ", counts.Select(static c => Invariant($"{c.Name} {c.Count}")));

    private static string Duration(TimeSpan? value)
    {
        if (value is not { } span)
        {
            return "-";
        }

        var sign = span < TimeSpan.Zero ? "-" : string.Empty;
        span = span.Duration();
        if (span.Days > 0)
        {
            return Invariant($"{sign}{span.Days}d {span.Hours:00}h {span.Minutes:00}m");
        }

        if (span.Hours > 0)
        {
            return Invariant($"{sign}{span.Hours}h {span.Minutes:00}m {span.Seconds:00}s");
        }

        return span.Minutes > 0 ? Invariant($"{sign}{span.Minutes}m {span.Seconds:00}s") : Invariant($"{sign}{span.Seconds}s");
    }
}
