namespace ProcessKit.Analytics;

/// <summary>Percentiles and means of durations (see <see cref="ProcessReport.CycleTime90thPercentile"/> for the method).</summary>
internal static class Percentile
{
    /// <summary>The <paramref name="fraction"/> percentile of values sorted ascending, by linear interpolation between closest ranks.</summary>
    public static TimeSpan Of(IReadOnlyList<TimeSpan> sorted, double fraction)
    {
        if (sorted.Count == 0)
        {
            throw new ArgumentException("There are no values to take a percentile of.", nameof(sorted));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(fraction, 0d);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1d);

        var rank = (sorted.Count - 1) * (decimal)fraction;
        var lowerIndex = (int)decimal.Floor(rank);
        var lower = sorted[lowerIndex].Ticks;
        if (lowerIndex == sorted.Count - 1)
        {
            return TimeSpan.FromTicks(lower);
        }

        var upper = sorted[lowerIndex + 1].Ticks;
        var offset = decimal.Round((rank - lowerIndex) * (upper - lower), MidpointRounding.AwayFromZero);
        return TimeSpan.FromTicks(lower + (long)offset);
    }

    /// <summary>The mean of durations given as their total in ticks (which may exceed a <see cref="TimeSpan"/>), rounded to the nearest tick.</summary>
    public static TimeSpan Mean(decimal totalTicks, int count) =>
        TimeSpan.FromTicks((long)decimal.Round(totalTicks / count, MidpointRounding.AwayFromZero));
}
