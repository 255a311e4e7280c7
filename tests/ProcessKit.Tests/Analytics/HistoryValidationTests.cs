using ProcessKit.Analytics;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Tests.Scenarios;

namespace ProcessKit.Tests.Analytics;

public sealed class HistoryValidationTests
{
    private static List<HistoryEvent> LeadLost() => [.. SampleHistories.LeadLost().Events];

    private static ArgumentException Refused(IEnumerable<HistoryEvent> events, DateTimeOffset? asOf = null) =>
        Assert.ThrowsAny<ArgumentException>(() => ProcessAnalytics.Characteristics(SalesOfficeProcess.Definition, events, asOf));

    [Fact]
    public void NullArguments_AreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => ProcessAnalytics.Characteristics(null!, LeadLost()));
        Assert.Throws<ArgumentNullException>(() => ProcessAnalytics.Characteristics(SalesOfficeProcess.Definition, null!));
    }

    [Fact]
    public void EmptyHistory_IsRefused()
    {
        var error = Refused([]);

        Assert.Equal("events", error.ParamName);
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EventsOfSeveralInstances_AreRefused()
    {
        var mixed = LeadLost().Concat(SampleHistories.DealWonWithRework(instance: 2).Events.Skip(1).Select(static e => e with { Sequence = e.Sequence + 100 }));

        var error = Refused(mixed);

        Assert.Contains("mix instances 1 and 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutOfSequenceEvents_AreRefused()
    {
        var events = LeadLost();
        (events[3], events[4]) = (events[4], events[3]);

        var error = Refused(events);

        Assert.Contains("out of sequence: 4 follows 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RepeatedSequenceNumber_IsRefused()
    {
        var events = LeadLost();
        events[2] = events[2] with { Sequence = events[1].Sequence };

        Assert.Contains("out of sequence", Refused(events).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GapsInSequence_AreAccepted()
    {
        var events = LeadLost().Select(static e => e with { Sequence = e.Sequence * 10 });

        Assert.Equal(InstanceState.Completed, ProcessAnalytics.Characteristics(SalesOfficeProcess.Definition, events).State);
    }

    [Fact]
    public void TimeGoingBack_IsRefused()
    {
        var events = LeadLost();
        events[5] = events[5] with { Time = events[4].Time - TimeSpan.FromSeconds(1) };

        Assert.Contains("times must not go back", Refused(events).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HistoryNotStartingWithInstanceStarted_IsRefused()
    {
        Assert.Contains("must start with InstanceStarted", Refused(LeadLost().Skip(1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SecondStart_IsRefused()
    {
        var events = LeadLost();
        events[1] = events[1] with { Type = HistoryEventType.InstanceStarted, StepId = null };

        Assert.Contains("starts twice", Refused(events).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SecondEnd_IsRefused()
    {
        var script = SampleHistories.LeadLost().Add(HistoryEventType.InstanceCancelled, 200);

        Assert.Contains("ends twice", Refused(script.Events).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownStep_IsRefused()
    {
        var events = LeadLost();
        events[1] = events[1] with { StepId = "registerLeed" };

        Assert.Contains("names step 'registerLeed'", Refused(events).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EventsOfAnotherProcessOrVersion_AreRefused()
    {
        Assert.Contains("definition is 'cafe.serve-guest'", Assert.ThrowsAny<ArgumentException>(
            () => ProcessAnalytics.Characteristics(CafeProcess.Definition, LeadLost())).Message, StringComparison.Ordinal);
        Assert.Contains("version 2", Assert.ThrowsAny<ArgumentException>(
            () => ProcessAnalytics.Characteristics(SalesOfficeProcess.Definition with { Version = 2 }, LeadLost())).Message, StringComparison.Ordinal);

        var events = LeadLost();
        events[2] = events[2] with { ProcessVersion = 2 };
        Assert.Contains("names process", Refused(events).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AsOfBeforeTheLastEventOfARunningInstance_IsRefused()
    {
        var error = Refused(SampleHistories.LeadWaitingForReview().Events, HistoryScript.At(10));

        Assert.Equal("asOf", error.ParamName);
    }

    [Fact]
    public void AsOfAtTheLastEvent_IsAccepted()
    {
        var c = ProcessAnalytics.Characteristics(SalesOfficeProcess.Definition, SampleHistories.LeadWaitingForReview().Events, HistoryScript.At(15));

        Assert.Equal(TimeSpan.FromMinutes(15), c.CycleTime);
        Assert.Equal(new InstanceId(3), c.Instance);
    }
}
