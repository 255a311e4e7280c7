using System.Globalization;
using ProcessKit.Definitions;
using ProcessKit.Execution;

namespace ProcessKit.Analytics;

/// <summary>Folds many instances' characteristics into a <see cref="ProcessReport"/>.</summary>
internal static class ReportCalculator
{
    public static ProcessReport Compute(ProcessDefinition definition, IEnumerable<InstanceCharacteristics> instances, int longestWaits)
    {
        var list = new List<InstanceCharacteristics>();
        var seen = new HashSet<InstanceId>();
        foreach (var instance in instances)
        {
            ArgumentNullException.ThrowIfNull(instance, nameof(instances));
            if (!string.Equals(instance.ProcessId, definition.Id, StringComparison.Ordinal) || instance.ProcessVersion != definition.Version)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Instance {instance.Instance} ran process '{instance.ProcessId}' version {instance.ProcessVersion}, but the report is for '{definition.Id}' version {definition.Version}: report each process version on its own."),
                    nameof(instances));
            }

            if (!seen.Add(instance.Instance))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Instance {instance.Instance} appears twice: pass each instance's characteristics once."),
                    nameof(instances));
            }

            list.Add(instance);
        }

        var completed = list.Where(static i => i.State == InstanceState.Completed).ToList();
        var cycleTimes = completed.Select(static i => i.CycleTime!.Value).Order().ToList();
        var rated = completed.Where(static i => i.Satisfaction.HasValue).ToList();
        var reactions = list.Where(static i => i.TimeToFirstReaction.HasValue).Select(static i => i.TimeToFirstReaction!.Value).ToList();
        var breaches = list.SelectMany(static i => i.Breaches).ToList();
        var steps = StepSummaries(definition, list);

        return new ProcessReport
        {
            ProcessId = definition.Id,
            ProcessVersion = definition.Version,
            ProcessName = definition.Name,
            Instances = list.Count,
            Completed = completed.Count,
            Running = list.Count(static i => i.State == InstanceState.Running),
            Cancelled = list.Count(static i => i.State == InstanceState.Cancelled),
            Failed = list.Count(static i => i.State == InstanceState.Failed),
            CompletionRate = Rate(completed.Count, list.Count),
            Outcomes = CountBy(completed.Select(static i => i.EndOutcome)),
            CycleTimeMedian = cycleTimes.Count == 0 ? null : Percentile.Of(cycleTimes, 0.5),
            CycleTime90thPercentile = cycleTimes.Count == 0 ? null : Percentile.Of(cycleTimes, 0.9),
            CycleTimeMean = cycleTimes.Count == 0 ? null : Percentile.Mean(SumTicks(cycleTimes), cycleTimes.Count),
            MeanCost = completed.Count == 0 ? null : completed.Sum(static i => i.Cost) / completed.Count,
            TotalCost = list.Sum(static i => i.Cost),
            MeanSatisfaction = rated.Count == 0 ? null : rated.Sum(static i => i.Satisfaction!.Value) / rated.Count,
            RatedInstances = rated.Count,
            Breaches = breaches.Count,
            BreachedInstances = list.Count(static i => !i.Breaches.IsEmpty),
            BreachRate = Rate(list.Count(static i => !i.Breaches.IsEmpty), list.Count),
            BreachesByRole = CountBy(breaches.Select(static b => b.RoleId)),
            BreachesByDeadline = CountBy(breaches.Select(static b => b.Deadline)),
            MeanTimeToFirstReaction = reactions.Count == 0 ? null : Percentile.Mean(SumTicks(reactions), reactions.Count),
            ReactedInstances = reactions.Count,
            Steps = [.. steps],
            LongestWaits = [.. LongestWaits(steps, longestWaits)],
        };
    }

    private static List<StepSummary> StepSummaries(ProcessDefinition definition, List<InstanceCharacteristics> instances)
    {
        // One running total per step, added in instance order (the same sums as grouping every figure first).
        var byStep = new Dictionary<string, StepTotals>(StringComparer.Ordinal);
        foreach (var instance in instances)
        {
            foreach (var figures in instance.Steps)
            {
                if (!byStep.TryGetValue(figures.StepId, out var totals))
                {
                    totals = new StepTotals();
                    byStep.Add(figures.StepId, totals);
                }

                totals.Instances++;
                totals.Runs = checked(totals.Runs + figures.Runs);
                totals.Wait += figures.WaitTime.Ticks;
                totals.Work += figures.WorkTime.Ticks;
                totals.EventWait += figures.EventWaitTime.Ticks;
                totals.Cost += figures.Cost;
            }
        }

        var summaries = new List<StepSummary>();
        foreach (var step in definition.Steps)
        {
            if (!byStep.Remove(step.Id, out var totals))
            {
                continue;
            }

            var runs = totals.Runs;
            summaries.Add(new StepSummary
            {
                StepId = step.Id,
                StepName = step.Name,
                RoleId = step.Role,
                Instances = totals.Instances,
                Runs = runs,
                TotalWaitTime = Saturate(totals.Wait),
                MeanWaitTime = runs == 0 ? TimeSpan.Zero : Percentile.Mean(totals.Wait, runs),
                TotalWorkTime = Saturate(totals.Work),
                MeanWorkTime = runs == 0 ? TimeSpan.Zero : Percentile.Mean(totals.Work, runs),
                TotalEventWaitTime = Saturate(totals.EventWait),
                MeanEventWaitTime = runs == 0 ? TimeSpan.Zero : Percentile.Mean(totals.EventWait, runs),
                TotalCost = totals.Cost,
                MeanCost = runs == 0 ? 0m : totals.Cost / runs,
            });
        }

        return summaries;
    }

    private static IEnumerable<StepSummary> LongestWaits(List<StepSummary> steps, int count) =>
        steps
            .Select(static (step, order) => (Step: step, Order: order))
            .Where(static s => s.Step.TotalWaitTime > TimeSpan.Zero)
            .OrderByDescending(static s => s.Step.MeanWaitTime)
            .ThenByDescending(static s => s.Step.TotalWaitTime)
            .ThenBy(static s => s.Order)
            .Take(count)
            .Select(static s => s.Step);

    private static ValueArray<NamedCount> CountBy(IEnumerable<string?> names) =>
        [.. names
            .OfType<string>()
            .GroupBy(static n => n, StringComparer.Ordinal)
            .OrderBy(static g => g.Key, StringComparer.Ordinal)
            .Select(static g => new NamedCount(g.Key, g.Count()))];

    private static double? Rate(int part, int whole) => whole == 0 ? null : (double)part / whole;

    /// <summary>
    /// The sum of durations in ticks, as a decimal: many long waits (a simulated queue that never empties) can add up
    /// past <see cref="TimeSpan.MaxValue"/> even when each of them and their mean fit.
    /// </summary>
    private static decimal SumTicks(IEnumerable<TimeSpan> values)
    {
        var total = 0m;
        foreach (var value in values)
        {
            total += value.Ticks;
        }

        return total;
    }

    /// <summary>A total as a duration; one beyond what a <see cref="TimeSpan"/> holds (about 29,000 years) is <see cref="TimeSpan.MaxValue"/>.</summary>
    private static TimeSpan Saturate(decimal totalTicks) =>
        totalTicks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)totalTicks);

    private sealed class StepTotals
    {
        public int Instances { get; set; }

        public int Runs { get; set; }

        public decimal Wait { get; set; }

        public decimal Work { get; set; }

        public decimal EventWait { get; set; }

        public decimal Cost { get; set; }
    }
}
