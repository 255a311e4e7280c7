using ProcessKit.Analytics;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Tests.Scenarios;

namespace ProcessKit.Tests.Analytics;

public sealed class ProcessReportTests
{
    private static TimeSpan Minutes(double minutes) => TimeSpan.FromMinutes(minutes);

    private static ProcessReport SalesReport(int longestWaits = ProcessAnalytics.DefaultLongestWaits)
    {
        var definition = SalesOfficeProcess.Definition;
        InstanceCharacteristics[] instances =
        [
            ProcessAnalytics.Characteristics(definition, SampleHistories.LeadLost(1).Events),
            ProcessAnalytics.Characteristics(definition, SampleHistories.DealWonWithRework(2).Events),
            ProcessAnalytics.Characteristics(definition, SampleHistories.LeadWaitingForReview(3).Events, HistoryScript.At(30)),
        ];
        return ProcessAnalytics.Report(definition, instances, longestWaits);
    }

    private static ProcessReport CafeReport(int longestWaits)
    {
        var definition = CafeProcess.Definition;
        return ProcessAnalytics.Report(
            definition,
            [
                ProcessAnalytics.Characteristics(definition, SampleHistories.CafeGuestWithFreeDessert(1).Events),
                ProcessAnalytics.Characteristics(definition, SampleHistories.CafeGuestOnTime(2).Events),
            ],
            longestWaits);
    }

    [Fact]
    public void SalesReport_CountsInstancesStatesAndOutcomes()
    {
        var r = SalesReport();

        Assert.Equal(SalesOfficeProcess.Id, r.ProcessId);
        Assert.Equal(1, r.ProcessVersion);
        Assert.Equal("From a lead to a deal", r.ProcessName);
        Assert.Equal(3, r.Instances);
        Assert.Equal(2, r.Completed);
        Assert.Equal(1, r.Running);
        Assert.Equal(0, r.Cancelled);
        Assert.Equal(0, r.Failed);
        Assert.Equal(2d / 3, r.CompletionRate);
        Assert.Equal([new NamedCount("DealWon", 1), new NamedCount("LeadLost", 1)], r.Outcomes);
        Assert.Equal(1, r.OutcomeCount("DealWon"));
        Assert.Equal(0, r.OutcomeCount("DealLost"));
        Assert.Equal(0.5, r.OutcomeShare("DealWon"));
    }

    [Fact]
    public void SalesReport_HasCycleTimeCostSatisfactionAndReaction()
    {
        var r = SalesReport();

        Assert.Equal(Minutes((105 + 11780) / 2d), r.CycleTimeMedian);
        Assert.Equal(Minutes(10612.5), r.CycleTime90thPercentile); // 105 + 0.9 × (11780 − 105)
        Assert.Equal(r.CycleTimeMedian, r.CycleTimeMean);
        Assert.Equal(387.5m, r.MeanCost); // completed only: (180 + 595) / 2
        Assert.Equal(775m, r.TotalCost);
        Assert.Equal(5m, r.MeanSatisfaction);
        Assert.Equal(1, r.RatedInstances);
        Assert.Equal(Minutes(12.5), r.MeanTimeToFirstReaction);
        Assert.Equal(2, r.ReactedInstances);
    }

    [Fact]
    public void SalesReport_HasBreachesByRoleAndDeadline()
    {
        var r = SalesReport();

        Assert.Equal(2, r.Breaches);
        Assert.Equal(2, r.BreachedInstances);
        Assert.Equal(2d / 3, r.BreachRate);
        Assert.Equal([new NamedCount("operator", 2)], r.BreachesByRole);
        Assert.Equal([new NamedCount("reviewLead", 2)], r.BreachesByDeadline);
    }

    [Fact]
    public void SalesReport_ListsTheLongestMeanWaitsWithTheirFigures()
    {
        var r = SalesReport();

        Assert.Equal(["checkFeasibility", "qualifyLead", "reviewLead"], r.LongestWaits.Select(static s => s.StepId));
        Assert.Equal(
            new StepSummary
            {
                StepId = "qualifyLead",
                StepName = "Qualify the lead",
                RoleId = "manager",
                Instances = 2,
                Runs = 3,
                TotalWaitTime = Minutes(110),
                MeanWaitTime = Minutes(110d / 3),
                TotalWorkTime = Minutes(60),
                MeanWorkTime = Minutes(20),
                TotalCost = 480m,
                MeanCost = 160m,
            },
            r.LongestWaits[1]);
        var review = r.LongestWaits[2];
        Assert.Equal((3, 3, Minutes(55)), (review.Instances, review.Runs, review.TotalWaitTime));
    }

    [Fact]
    public void SalesReport_StepsFollowTheDefinitionOrder()
    {
        var r = SalesReport();
        var order = SalesOfficeProcess.Definition.Steps.Select(static s => s.Id).ToList();

        Assert.Equal(r.Steps.Select(static s => s.StepId).OrderBy(order.IndexOf), r.Steps.Select(static s => s.StepId));
        Assert.Equal(Minutes(1440 + 10080 + 60), TimeSpan.FromTicks(r.Steps.Sum(static s => s.TotalEventWaitTime.Ticks)));
        Assert.DoesNotContain(r.Steps, static s => s.StepId == "approveDiscount");
    }

    [Fact]
    public void CafeReport_HasTheFiguresTheCafeAsksFor()
    {
        var r = CafeReport(longestWaits: 4);

        Assert.Equal(2, r.OutcomeCount("GuestServed"));
        Assert.Equal(Minutes(62.5), r.CycleTimeMedian);
        Assert.Equal(Minutes(68.5), r.CycleTime90thPercentile);
        Assert.Equal(241.5m, r.MeanCost);
        Assert.Equal(4.5m, r.MeanSatisfaction);
        Assert.Equal(1, r.Breaches);
        Assert.Equal(0.5, r.BreachRate);
        Assert.Empty(r.BreachesByRole); // the span deadline names no role
        Assert.Equal([new NamedCount("orderToServing", 1)], r.BreachesByDeadline);
        Assert.Equal("prepareDishes", r.LongestWaits[0].StepId);
        Assert.Equal(Minutes(6.5), r.LongestWaits[0].MeanWaitTime);
    }

    [Fact]
    public void LongestWaits_TiesGoToTheLongerTotalThenTheDefinitionOrder()
    {
        var r = CafeReport(longestWaits: 10);

        // takeOrder, prepareDrinks and serve all waited 3 min in 2 runs: definition order decides.
        Assert.Equal(
            ["prepareDishes", "billAndPayment", "takeOrder", "prepareDrinks", "serve", "greetGuest", "askRating", "offerFreeDessert"],
            r.LongestWaits.Select(static s => s.StepId));
    }

    [Fact]
    public void LongestWaits_TakesAsManyAsAsked()
    {
        Assert.Equal(3, CafeReport(ProcessAnalytics.DefaultLongestWaits).LongestWaits.Count);
        Assert.Single(CafeReport(1).LongestWaits);
        Assert.Empty(CafeReport(0).LongestWaits);
    }

    [Fact]
    public void EmptyReport_HasZerosAndNoMeans()
    {
        var r = ProcessAnalytics.Report(CafeProcess.Definition, []);

        Assert.Equal(0, r.Instances);
        Assert.Null(r.CompletionRate);
        Assert.Null(r.BreachRate);
        Assert.Null(r.CycleTimeMedian);
        Assert.Null(r.CycleTime90thPercentile);
        Assert.Null(r.MeanCost);
        Assert.Null(r.MeanSatisfaction);
        Assert.Null(r.MeanTimeToFirstReaction);
        Assert.Null(r.OutcomeShare("GuestServed"));
        Assert.Empty(r.Steps);
        Assert.Empty(r.LongestWaits);
    }

    [Fact]
    public void CancelledAndFailedInstances_AreCountedButNotInCycleTimeOrCost()
    {
        var definition = SalesOfficeProcess.Definition;
        var cancelled = SampleHistories.LeadWaitingForReview(7).Add(ProcessKit.History.HistoryEventType.InstanceCancelled, 40, cost: 9m);
        var failed = new HistoryScript(definition, 8).Pass("registerLead", 0, cost: 1m).Add(ProcessKit.History.HistoryEventType.InstanceFailed, 5);

        var r = ProcessAnalytics.Report(
            definition,
            [
                ProcessAnalytics.Characteristics(definition, SampleHistories.LeadLost(1).Events),
                ProcessAnalytics.Characteristics(definition, cancelled.Events),
                ProcessAnalytics.Characteristics(definition, failed.Events),
            ]);

        Assert.Equal((3, 1, 1, 1, 0), (r.Instances, r.Completed, r.Cancelled, r.Failed, r.Running));
        Assert.Equal(Minutes(105), r.CycleTimeMedian);
        Assert.Equal(180m, r.MeanCost);
        Assert.Equal(190m, r.TotalCost);
        Assert.Equal(1d / 3, r.CompletionRate);
    }

    [Fact]
    public void Report_RefusesBadInput()
    {
        var definition = SalesOfficeProcess.Definition;
        var lost = ProcessAnalytics.Characteristics(definition, SampleHistories.LeadLost(1).Events);

        Assert.Throws<ArgumentNullException>(() => ProcessAnalytics.Report(null!, [lost]));
        Assert.Throws<ArgumentNullException>(() => ProcessAnalytics.Report(definition, null!));
        Assert.Throws<ArgumentNullException>(() => ProcessAnalytics.Report(definition, [lost, null!]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProcessAnalytics.Report(definition, [lost], -1));
        Assert.Contains("appears twice", Assert.ThrowsAny<ArgumentException>(() => ProcessAnalytics.Report(definition, [lost, lost])).Message, StringComparison.Ordinal);
        Assert.Contains("report each process version on its own", Assert.ThrowsAny<ArgumentException>(
            () => ProcessAnalytics.Report(definition with { Version = 2 }, [lost])).Message, StringComparison.Ordinal);
        Assert.ThrowsAny<ArgumentException>(() => ProcessAnalytics.Report(CafeProcess.Definition, [lost with { Instance = new InstanceId(9) }]));
    }

    [Fact]
    public void Reports_AreComparedByValue()
    {
        Assert.Equal(SalesReport(), SalesReport());
        Assert.NotEqual(SalesReport(), SalesReport(longestWaits: 1));
    }

    [Fact]
    public void Report_OfDurationsThatAddUpPastWhatATimeSpanHolds_GivesTheirMeanAndASaturatedTotal()
    {
        // A simulated queue that never empties: three instances that each waited a third of TimeSpan.MaxValue and
        // more, so their sum does not fit in a TimeSpan while their mean does.
        var definition = CafeProcess.Definition;
        var step = definition.Steps.First(static s => s.Role is not null).Id;
        var each = TimeSpan.FromTicks(TimeSpan.MaxValue.Ticks / 2);
        var start = DateTimeOffset.UnixEpoch;
        InstanceCharacteristics Instance(int n) => new()
        {
            Instance = new InstanceId(n),
            ProcessId = definition.Id,
            ProcessVersion = definition.Version,
            State = InstanceState.Completed,
            StartedAt = start,
            EndedAt = start + TimeSpan.FromHours(n),
            CycleTime = each,
            TimeToFirstReaction = each,
            WaitTime = each,
            Steps = [new StepFigures { StepId = step, Runs = 1, WaitTime = each, WorkTime = each, EventWaitTime = each }],
        };

        var report = ProcessAnalytics.Report(definition, [Instance(1), Instance(2), Instance(3)]);

        Assert.Equal(each, report.CycleTimeMean);
        Assert.Equal(each, report.MeanTimeToFirstReaction);
        var summary = Assert.Single(report.Steps, s => s.StepId == step);
        Assert.Equal(each, summary.MeanWaitTime);
        Assert.Equal(each, summary.MeanWorkTime);
        Assert.Equal(TimeSpan.MaxValue, summary.TotalWaitTime);
    }
}
