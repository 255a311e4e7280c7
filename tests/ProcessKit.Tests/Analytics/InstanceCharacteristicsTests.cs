using ProcessKit.Analytics;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Tests.Scenarios;

namespace ProcessKit.Tests.Analytics;

public sealed class InstanceCharacteristicsTests
{
    private static TimeSpan Minutes(double minutes) => TimeSpan.FromMinutes(minutes);

    private static InstanceCharacteristics Cafe(HistoryScript script, DateTimeOffset? asOf = null) =>
        ProcessAnalytics.Characteristics(CafeProcess.Definition, script.Events, asOf);

    private static InstanceCharacteristics Sales(HistoryScript script, DateTimeOffset? asOf = null) =>
        ProcessAnalytics.Characteristics(SalesOfficeProcess.Definition, script.Events, asOf);

    [Fact]
    public void CafeGuestWithFreeDessert_HasEveryFigure()
    {
        var c = Cafe(SampleHistories.CafeGuestWithFreeDessert());

        Assert.Equal(new InstanceId(1), c.Instance);
        Assert.Equal(CafeProcess.Id, c.ProcessId);
        Assert.Equal(1, c.ProcessVersion);
        Assert.Equal(InstanceState.Completed, c.State);
        Assert.Equal("GuestServed", c.EndOutcome);
        Assert.Equal(HistoryScript.At(0), c.StartedAt);
        Assert.Equal(HistoryScript.At(70), c.EndedAt);
        Assert.Null(c.AsOf);
        Assert.Equal(Minutes(70), c.CycleTime);
        Assert.Equal(Minutes(22), c.WaitTime);
        Assert.Equal(Minutes(36), c.WorkTime);
        Assert.Equal(Minutes(20), c.EventWaitTime);
        Assert.Equal(Minutes(1), c.TimeToFirstReaction);
        Assert.Equal(253m, c.Cost);
        Assert.Equal(4m, c.Satisfaction);
    }

    [Fact]
    public void CafeGuestWithFreeDessert_RecordsTheSpanBreachAndTheAlternatePath()
    {
        var c = Cafe(SampleHistories.CafeGuestWithFreeDessert());

        var breach = Assert.Single(c.Breaches);
        Assert.Equal(new DeadlineBreach { Time = HistoryScript.At(28), Deadline = "orderToServing" }, breach);
        Assert.True(c.TookAlternatePath);
        Assert.False(c.TookExceptionPath); // the escalation event's path kind is not a step entered
        Assert.False(c.TookReworkPath);
        Assert.False(c.StayedOnHappyPath);
        var dessert = Assert.Single(c.Path, p => p.StepId == "offerFreeDessert");
        Assert.Equal(PathKind.Alternate, dessert.Path);
        Assert.Equal(HistoryScript.At(28), dessert.EnteredAt);
        Assert.Equal("card", Assert.Single(c.Path, p => p.StepId == "billAndPayment").Outcome);
        Assert.Equal(
            ["greetGuest", "takeOrder", "prepareOrder", "prepareDishes", "prepareDrinks", "offerFreeDessert", "dessertOffered", "orderReady", "serve", "guestEats", "billAndPayment", "askRating", "guestServed"],
            c.Path.Select(static p => p.StepId));
    }

    [Fact]
    public void CafeGuestWithFreeDessert_HasPerStepFiguresInDefinitionOrder()
    {
        var c = Cafe(SampleHistories.CafeGuestWithFreeDessert());

        Assert.Equal(
            ["greetGuest", "takeOrder", "prepareOrder", "prepareDishes", "prepareDrinks", "orderReady", "serve", "guestEats", "billAndPayment", "askRating", "guestServed", "offerFreeDessert", "dessertOffered"],
            c.Steps.Select(static s => s.StepId));
        Assert.Equal(
            new StepFigures { StepId = "prepareDishes", Runs = 1, WaitTime = Minutes(10), WorkTime = Minutes(18), Cost = 139.5m },
            c.Step("prepareDishes"));
        Assert.Equal(
            new StepFigures { StepId = "guestEats", Runs = 1, EventWaitTime = Minutes(20) },
            c.Step("guestEats"));
        Assert.Equal(c.Cost, c.Steps.Sum(static s => s.Cost));
        Assert.Equal(c.WaitTime, TimeSpan.FromTicks(c.Steps.Sum(static s => s.WaitTime.Ticks)));
        Assert.Null(c.Step("offerAlternative"));
    }

    [Fact]
    public void CafeGuestOnTime_StaysOnTheHappyPath()
    {
        var c = Cafe(SampleHistories.CafeGuestOnTime());

        Assert.True(c.StayedOnHappyPath);
        Assert.False(c.TookAlternatePath);
        Assert.Empty(c.Breaches);
        Assert.Equal(Minutes(55), c.CycleTime);
        Assert.Equal(230m, c.Cost);
        Assert.Equal(5m, c.Satisfaction);
    }

    [Fact]
    public void LeadLost_HasOutcomeBreachByOperatorAndLateFirstReaction()
    {
        var c = Sales(SampleHistories.LeadLost());

        Assert.Equal(InstanceState.Completed, c.State);
        Assert.Equal("LeadLost", c.EndOutcome);
        Assert.Null(c.Satisfaction);
        Assert.Equal(Minutes(105), c.CycleTime);
        Assert.Equal(Minutes(20), c.TimeToFirstReaction);
        Assert.Equal(Minutes(80), c.WaitTime);
        Assert.Equal(Minutes(25), c.WorkTime);
        Assert.Equal(TimeSpan.Zero, c.EventWaitTime);
        Assert.Equal(180m, c.Cost);
        Assert.Equal(
            new DeadlineBreach { Time = HistoryScript.At(15), Deadline = "reviewLead", StepId = "reviewLead", StepInstance = 1, RoleId = "operator" },
            Assert.Single(c.Breaches));
        Assert.True(c.TookAlternatePath);
        Assert.False(c.TookReworkPath);
        Assert.Equal("notInterested", Assert.Single(c.Path, p => p.StepId == "qualifyLead").Outcome);
    }

    [Fact]
    public void DealWonWithRework_CountsBothRunsOfTheReworkedStep()
    {
        var c = Sales(SampleHistories.DealWonWithRework());

        Assert.Equal("DealWon", c.EndOutcome);
        Assert.Equal(5m, c.Satisfaction);
        Assert.Equal(Minutes(11780), c.CycleTime);
        Assert.Equal(Minutes(5), c.TimeToFirstReaction);
        Assert.Equal(Minutes(115), c.WaitTime);
        Assert.Equal(Minutes(85), c.WorkTime);
        Assert.Equal(Minutes(1440 + 10080 + 60), c.EventWaitTime);
        Assert.Equal(595m, c.Cost);
        Assert.Empty(c.Breaches);
        Assert.True(c.TookReworkPath);
        Assert.True(c.TookAlternatePath);
        Assert.False(c.TookExceptionPath);
        Assert.Equal(
            new StepFigures { StepId = "qualifyLead", Runs = 2, WaitTime = Minutes(50), WorkTime = Minutes(40), Cost = 320m },
            c.Step("qualifyLead"));
        Assert.Equal(
            [("qualifyLead", 1, PathKind.Happy, "dataMissing"), ("qualifyLead", 2, PathKind.Rework, "qualified")],
            c.Path.Where(static p => p.StepId == "qualifyLead").Select(static p => (p.StepId, p.StepInstance, p.Path, p.Outcome)));
    }

    [Fact]
    public void RunningInstance_WithAsOf_MeasuresOpenWaitAndCycleTimeToIt()
    {
        var c = Sales(SampleHistories.LeadWaitingForReview(), asOf: HistoryScript.At(30));

        Assert.Equal(InstanceState.Running, c.State);
        Assert.Null(c.EndOutcome);
        Assert.Null(c.EndedAt);
        Assert.Equal(HistoryScript.At(30), c.AsOf);
        Assert.Equal(Minutes(30), c.CycleTime);
        Assert.Equal(Minutes(30), c.WaitTime);
        Assert.Null(c.TimeToFirstReaction);
        Assert.Single(c.Breaches);
    }

    [Fact]
    public void RunningInstance_WithoutAsOf_HasNoCycleTimeAndLeavesOpenIntervalsOut()
    {
        var c = Sales(SampleHistories.LeadWaitingForReview());

        Assert.Equal(InstanceState.Running, c.State);
        Assert.Null(c.AsOf);
        Assert.Null(c.CycleTime);
        Assert.Equal(TimeSpan.Zero, c.WaitTime);
        Assert.Equal(1, c.Step("reviewLead")!.Runs);
    }

    [Fact]
    public void EndedInstance_IgnoresAsOf()
    {
        var c = Sales(SampleHistories.LeadLost(), asOf: HistoryScript.At(5000));

        Assert.Null(c.AsOf);
        Assert.Equal(Minutes(105), c.CycleTime);
    }

    [Fact]
    public void ReleasedTask_WaitsAgainUntilReclaimed()
    {
        var script = new HistoryScript(CafeProcess.Definition)
            .Enter("greetGuest", 0).Created("greetGuest", 0)
            .Claimed("greetGuest", 2)
            .Add(HistoryEventType.TaskReleased, 5, "greetGuest", 1)
            .Claimed("greetGuest", 9, user: "other")
            .Complete("greetGuest", 10);

        var c = Cafe(script, asOf: HistoryScript.At(10));

        Assert.Equal(Minutes(2 + 4), c.WaitTime);
        Assert.Equal(Minutes(3 + 1), c.WorkTime);
        Assert.Equal(Minutes(2), c.TimeToFirstReaction);
    }

    [Fact]
    public void DelegatedTask_WaitsUntilTheNewHolderClaimsIt()
    {
        var script = new HistoryScript(CafeProcess.Definition)
            .Enter("greetGuest", 0).Created("greetGuest", 0)
            .Claimed("greetGuest", 1)
            .Add(HistoryEventType.TaskDelegated, 3, "greetGuest", 1, detail: "bob")
            .Claimed("greetGuest", 4, user: "bob")
            .Complete("greetGuest", 6);

        var c = Cafe(script);

        Assert.Equal(Minutes(1 + 1), c.WaitTime);
        Assert.Equal(Minutes(2 + 2), c.WorkTime);
    }

    [Fact]
    public void TaskCompletedWithoutClaim_WaitedUntilCompletionAndCountsNoWork()
    {
        var script = new HistoryScript(CafeProcess.Definition)
            .Enter("greetGuest", 0).Created("greetGuest", 0)
            .Add(HistoryEventType.TaskAssigned, 1, "greetGuest", 1, user: "ann")
            .Complete("greetGuest", 7, cost: 2m);

        var c = Cafe(script);

        Assert.Equal(Minutes(7), c.WaitTime);
        Assert.Equal(TimeSpan.Zero, c.WorkTime);
        Assert.Equal(Minutes(7), c.TimeToFirstReaction); // a human task completed is a reaction
        Assert.Equal(2m, c.Cost);
    }

    [Fact]
    public void ClaimWithoutCreation_CountsWorkFromTheClaimAndNoWait()
    {
        var script = new HistoryScript(CafeProcess.Definition)
            .Enter("greetGuest", 0)
            .Claimed("greetGuest", 3)
            .Complete("greetGuest", 5);

        var c = Cafe(script);

        Assert.Equal(TimeSpan.Zero, c.WaitTime);
        Assert.Equal(Minutes(2), c.WorkTime);
        Assert.Equal(Minutes(3), c.TimeToFirstReaction);
    }

    [Fact]
    public void CompletedAutomatedStep_IsNotAReaction()
    {
        var c = Sales(new HistoryScript(SalesOfficeProcess.Definition).Pass("registerLead", 0, cost: 0.5m).Pass("existingClient", 3));

        Assert.Null(c.TimeToFirstReaction);
        Assert.Equal(0.5m, c.Cost);
    }

    [Fact]
    public void CancelledInstance_ClosesOpenTaskAndMessageWaitAtItsEnd()
    {
        var script = new HistoryScript(SalesOfficeProcess.Definition)
            .Pass("registerLead", 0)
            .Enter("reviewLead", 0).Created("reviewLead", 0).Claimed("reviewLead", 4)
            .Enter("waitReply", 5)
            .Add(HistoryEventType.InstanceCancelled, 10);

        var c = Sales(script);

        Assert.Equal(InstanceState.Cancelled, c.State);
        Assert.Null(c.EndOutcome);
        Assert.Equal(HistoryScript.At(10), c.EndedAt);
        Assert.Equal(Minutes(10), c.CycleTime);
        Assert.Equal(Minutes(4), c.WaitTime);
        Assert.Equal(Minutes(6), c.WorkTime);
        Assert.Equal(Minutes(5), c.EventWaitTime);
    }

    [Fact]
    public void StepCancelled_EndsATaskAndATimer()
    {
        var script = new HistoryScript(SalesOfficeProcess.Definition)
            .Enter("ratingOverdue", 0, path: PathKind.Alternate)
            .Enter("askRating", 0).Created("askRating", 0)
            .Add(HistoryEventType.StepCancelled, 3, "askRating", 1)
            .Add(HistoryEventType.StepCancelled, 3, "ratingOverdue", 1)
            .Add(HistoryEventType.InstanceFailed, 50, detail: "step budget exceeded");

        var c = Sales(script);

        Assert.Equal(InstanceState.Failed, c.State);
        Assert.Equal(Minutes(3), c.WaitTime);
        Assert.Equal(Minutes(3), c.EventWaitTime);
        Assert.Null(c.TimeToFirstReaction);
        Assert.Null(c.Path.Single(p => p.StepId == "askRating").Outcome);
    }

    [Fact]
    public void BreachRole_ComesFromTheEventBeforeTheDefinition()
    {
        var script = new HistoryScript(SalesOfficeProcess.Definition)
            .Add(HistoryEventType.DeadlineBreached, 1, "reviewLead", 1, role: "headOfSales")
            .Add(HistoryEventType.DeadlineBreached, 2, "reviewLead", 1);

        var c = Sales(script);

        Assert.Equal(["headOfSales", "operator"], c.Breaches.Select(static b => b.RoleId));
    }

    [Fact]
    public void Cost_SumsEveryEventsCost_NotOnlyStepCompletions()
    {
        var script = new HistoryScript(SalesOfficeProcess.Definition)
            .Add(HistoryEventType.JobFailed, 1, "registerLead", 1, cost: 0.25m)
            .Pass("registerLead", 2, cost: 1m)
            .Add(HistoryEventType.NotificationSent, 3, cost: 0.1m);

        var c = Sales(script);

        Assert.Equal(1.35m, c.Cost);
        Assert.Equal(1.25m, c.Step("registerLead")!.Cost);
    }

    [Fact]
    public void Characteristics_AreComparedByValue()
    {
        var first = Cafe(SampleHistories.CafeGuestWithFreeDessert());
        var again = Cafe(SampleHistories.CafeGuestWithFreeDessert());

        Assert.Equal(first, again);
        Assert.NotEqual(first, Cafe(SampleHistories.CafeGuestOnTime(instance: 1)));
    }
}
