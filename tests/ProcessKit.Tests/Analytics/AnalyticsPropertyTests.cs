using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessKit.Analytics;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Tests.Scenarios;

namespace ProcessKit.Tests.Analytics;

public sealed class AnalyticsPropertyTests
{
    private const string Step = "prepareDishes";

    private static readonly ProcessDefinition Cafe = CafeProcess.Definition;

    /// <summary>
    /// One run of a multi-instance task: offered at <see cref="Offset"/>, then alternately waiting
    /// and held for the given minutes (claim, release, claim, ...), then completed.
    /// <see cref="RankA"/> and <see cref="RankB"/> order events that share a time in two ways.
    /// </summary>
    private sealed record TaskPlan(int Offset, int[] Segments, decimal Cost, int RankA, int RankB)
    {
        public TimeSpan Wait => TimeSpan.FromMinutes(Segments.Where(static (_, i) => i % 2 == 0).Sum());

        public TimeSpan Work => TimeSpan.FromMinutes(Segments.Where(static (_, i) => i % 2 == 1).Sum());
    }

    private static readonly Gen<TaskPlan> TaskPlans =
        from offset in Gen.Choose(0, 120)
        from segments in Gen.NonEmptyListOf(Gen.Choose(0, 90))
        from cents in Gen.Choose(0, 100_000)
        from rankA in Gen.Choose(0, 1000)
        from rankB in Gen.Choose(0, 1000)
        select new TaskPlan(offset, [.. segments.Take(7)], cents / 100m, rankA, rankB);

    private static List<HistoryEvent> Interleave(IReadOnlyList<TaskPlan> tasks, Func<TaskPlan, int> rank)
    {
        var timeline = new List<(int Minute, int Rank, int Task, int Phase, HistoryEventType Type, decimal Cost)>();
        for (var t = 0; t < tasks.Count; t++)
        {
            var task = tasks[t];
            var minute = task.Offset;
            timeline.Add((minute, rank(task), t, 0, HistoryEventType.StepEntered, 0m));
            timeline.Add((minute, rank(task), t, 1, HistoryEventType.TaskCreated, 0m));
            for (var s = 0; s < task.Segments.Length; s++)
            {
                minute += task.Segments[s];
                var last = s == task.Segments.Length - 1;
                var type = last ? HistoryEventType.StepCompleted : s % 2 == 0 ? HistoryEventType.TaskClaimed : HistoryEventType.TaskReleased;
                timeline.Add((minute, rank(task), t, s + 2, type, last ? task.Cost : 0m));
            }
        }

        var events = new List<HistoryEvent> { Event(1, HistoryEventType.InstanceStarted, 0, null, 0, 0m) };
        foreach (var item in timeline.OrderBy(static e => e.Minute).ThenBy(static e => e.Rank).ThenBy(static e => e.Task).ThenBy(static e => e.Phase))
        {
            events.Add(Event(events.Count + 1, item.Type, item.Minute, Step, item.Task + 1, item.Cost));
        }

        return events;
    }

    private static HistoryEvent Event(long sequence, HistoryEventType type, int minute, string? step, int run, decimal cost) => new()
    {
        Sequence = sequence,
        Instance = new InstanceId(1),
        ProcessId = Cafe.Id,
        ProcessVersion = Cafe.Version,
        Type = type,
        Time = HistoryScript.At(minute),
        StepId = step,
        StepInstance = run,
        Cost = cost,
    };

    [Property]
    public Property WaitWorkAndCost_AreSumsOverTasks_WhateverTheInterleaving()
    {
        return Prop.ForAll(Gen.NonEmptyListOf(TaskPlans).ToArbitrary(), plans =>
        {
            var tasks = plans.ToList();
            var a = ProcessAnalytics.Characteristics(Cafe, Interleave(tasks, static t => t.RankA));
            var b = ProcessAnalytics.Characteristics(Cafe, Interleave(tasks, static t => t.RankB));

            Assert.Equal(TimeSpan.FromTicks(tasks.Sum(static t => t.Wait.Ticks)), a.WaitTime);
            Assert.Equal(TimeSpan.FromTicks(tasks.Sum(static t => t.Work.Ticks)), a.WorkTime);
            Assert.Equal(tasks.Sum(static t => t.Cost), a.Cost);
            Assert.Equal((a.WaitTime, a.WorkTime, a.Cost, a.TimeToFirstReaction), (b.WaitTime, b.WorkTime, b.Cost, b.TimeToFirstReaction));
            Assert.Equal(a.Steps, b.Steps);
            Assert.Equal(new StepFigures { StepId = Step, Runs = tasks.Count, WaitTime = a.WaitTime, WorkTime = a.WorkTime, Cost = a.Cost }, Assert.Single(a.Steps));
        });
    }

    [Property]
    public Property Percentiles_LieBetweenMinAndMax_AndGrowWithTheFraction()
    {
        var values = Gen.NonEmptyListOf(Gen.Choose(0, int.MaxValue).Select(static t => TimeSpan.FromTicks(t * 1_000L)));
        var fractions = Gen.Choose(0, 1000).Select(static f => f / 1000d);
        return Prop.ForAll(values.ToArbitrary(), fractions.ToArbitrary(), fractions.ToArbitrary(), (list, f1, f2) =>
        {
            var sorted = list.Order().ToList();
            var (low, high) = f1 <= f2 ? (f1, f2) : (f2, f1);
            var p = Percentile.Of(sorted, low);
            var q = Percentile.Of(sorted, high);

            Assert.InRange(p, sorted[0], sorted[^1]);
            Assert.InRange(q, sorted[0], sorted[^1]);
            Assert.True(p <= q, $"P{low} = {p} > P{high} = {q}");
            Assert.Equal(sorted[0], Percentile.Of(sorted, 0));
            Assert.Equal(sorted[^1], Percentile.Of(sorted, 1));
        });
    }

    [Property]
    public Property Report_MedianAndP90_LieBetweenTheShortestAndLongestCycle_AndMeansMatchTheSums()
    {
        var guests = Gen.NonEmptyListOf(Gen.Zip(Gen.Choose(1, 600), Gen.Choose(0, 50_000)));
        return Prop.ForAll(guests.ToArbitrary(), list =>
        {
            var instances = list
                .Select(static (g, i) => ProcessAnalytics.Characteristics(
                    Cafe,
                    new HistoryScript(Cafe, i + 1).Add(HistoryEventType.InstanceCompleted, g.Item1, cost: g.Item2 / 100m).Events))
                .ToList();

            var r = ProcessAnalytics.Report(Cafe, instances);

            var shortest = instances.Min(static c => c.CycleTime!.Value);
            var longest = instances.Max(static c => c.CycleTime!.Value);
            Assert.InRange(r.CycleTimeMedian!.Value, shortest, longest);
            Assert.InRange(r.CycleTime90thPercentile!.Value, r.CycleTimeMedian.Value, longest);
            Assert.Equal(instances.Count, r.Completed);
            Assert.Equal(1d, r.CompletionRate);
            Assert.Equal(r.TotalCost, instances.Sum(static c => c.Cost));
            Assert.Equal(r.TotalCost / instances.Count, r.MeanCost);
        });
    }
}
