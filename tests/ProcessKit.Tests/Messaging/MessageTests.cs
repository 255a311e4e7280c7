using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Messaging;
using ProcessKit.Tests.Execution;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Messaging;

/// <summary>Message waits: correlation, buffering, de-duplication, timeouts, starting by message.</summary>
public sealed class MessageTests
{
    private static ProcessDefinition Delivery()
    {
        var p = ProcessBuilder.Create("delivery", "Delivery");
        p.Supplier("s", "S").Inputs(Field.String("dealId", required: true));
        var wait = p.WaitMessage("waitDelivered", "Wait for the delivery", "delivered")
            .CorrelatedBy("dealId")
            .Writes(Field.DateTime("deliveredAt"));
        var lost = p.End("lost", "Lost").Outcome("NoDelivery");
        var done = p.End("done", "Done").Outcome("Delivered");
        wait.Then(done).Timeout(TimeSpan.FromDays(2), lost);
        return p.Build();
    }

    private static Dictionary<string, object?> Deal(string id) => new() { ["dealId"] = id };

    private static ProcessMessage Delivered(string deal, string? messageId = null) => new("delivered")
    {
        CorrelationKey = deal,
        MessageId = messageId,
        Payload = new Dictionary<string, object?> { ["deliveredAt"] = "2026-03-03T10:00:00Z", ["ignored"] = 1 },
    };

    [Fact]
    public async Task A_waiting_instance_parks_and_resumes_on_the_message_with_its_correlation_key()
    {
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(Delivery(), Ct);
        var a = await kit.Engine.StartAsync("delivery", Deal("A"), cancellationToken: Ct);
        var b = await kit.Engine.StartAsync("delivery", Deal("B"), cancellationToken: Ct);
        Assert.Equal(["waitDelivered"], (await kit.InstanceAsync(a)).ActiveSteps);

        Assert.Equal(MessageOutcome.Delivered, await kit.Engine.PublishMessageAsync(Delivered("B"), Ct));

        Assert.Equal(InstanceState.Running, (await kit.InstanceAsync(a)).State);
        var resumed = await kit.InstanceAsync(b);
        Assert.Equal(InstanceState.Completed, resumed.State);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 10, 0, 0, TimeSpan.Zero), resumed.Data["deliveredAt"]);
        Assert.False(resumed.Data.ContainsKey("ignored"));
        Assert.Contains(await kit.HistoryAsync(b), e => e.Type == HistoryEventType.MessageReceived && e.Detail == "delivered");
    }

    [Fact]
    public async Task A_message_addressed_to_one_instance_reaches_it_even_when_another_waits_first_for_the_same_key()
    {
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(Delivery(), Ct);
        var first = await kit.Engine.StartAsync("delivery", Deal("same"), cancellationToken: Ct);
        var second = await kit.Engine.StartAsync("delivery", Deal("same"), cancellationToken: Ct);

        Assert.Equal(MessageOutcome.Delivered, await kit.Engine.PublishMessageAsync(Delivered("same") with { Instance = second }, Ct));

        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(second)).State);
        Assert.Equal(["waitDelivered"], (await kit.InstanceAsync(first)).ActiveSteps);
        Assert.Equal(MessageOutcome.Delivered, await kit.Engine.PublishMessageAsync(Delivered("same"), Ct));
        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(first)).State);
    }

    [Fact]
    public async Task WCP24_Persistent_trigger_a_message_published_before_anyone_waits_is_kept_and_consumed_once()
    {
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(Delivery(), Ct);

        Assert.Equal(MessageOutcome.Buffered, await kit.Engine.PublishMessageAsync(Delivered("A"), Ct));
        var id = await kit.Engine.StartAsync("delivery", Deal("A"), cancellationToken: Ct);

        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(id)).State);
        var again = await kit.Engine.StartAsync("delivery", Deal("A"), cancellationToken: Ct);
        Assert.Equal(InstanceState.Running, (await kit.InstanceAsync(again)).State);
    }

    [Fact]
    public async Task A_buffered_message_expires_after_its_time_to_live()
    {
        var kit = new EngineTestKit(o => o.MessageTimeToLive = TimeSpan.FromHours(1));
        await kit.Engine.DeployAsync(Delivery(), Ct);
        await kit.Engine.PublishMessageAsync(Delivered("A"), Ct);
        kit.Time.Advance(TimeSpan.FromHours(2));

        var id = await kit.Engine.StartAsync("delivery", Deal("A"), cancellationToken: Ct);

        Assert.Equal(InstanceState.Running, (await kit.InstanceAsync(id)).State);
    }

    [Fact]
    public async Task A_repeated_message_id_is_applied_once()
    {
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(Delivery(), Ct);
        var a = await kit.Engine.StartAsync("delivery", Deal("A"), cancellationToken: Ct);

        Assert.Equal(MessageOutcome.Delivered, await kit.Engine.PublishMessageAsync(Delivered("A", "m-1"), Ct));
        var b = await kit.Engine.StartAsync("delivery", Deal("A"), cancellationToken: Ct);
        Assert.Equal(MessageOutcome.Duplicate, await kit.Engine.PublishMessageAsync(Delivered("A", "m-1"), Ct));

        Assert.Equal(InstanceState.Completed, (await kit.InstanceAsync(a)).State);
        Assert.Equal(InstanceState.Running, (await kit.InstanceAsync(b)).State);
        Assert.Equal(MessageOutcome.Buffered, await kit.Engine.PublishMessageAsync(Delivered("Z", "m-2"), Ct));
        Assert.Equal(MessageOutcome.Duplicate, await kit.Engine.PublishMessageAsync(Delivered("Z", "m-2"), Ct));
    }

    [Fact]
    public async Task A_message_for_an_ended_instance_is_refused_and_changes_nothing()
    {
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(Delivery(), Ct);
        var id = await kit.Engine.StartAsync("delivery", Deal("A"), cancellationToken: Ct);
        await kit.Engine.PublishMessageAsync(Delivered("A"), Ct);
        var ended = await kit.InstanceAsync(id);

        var error = await Assert.ThrowsAsync<InvalidCommandException>(() => kit.Engine.PublishMessageAsync(Delivered("A") with { Instance = id }, Ct).AsTask());

        Assert.Equal(ProcessErrorCodes.InstanceEnded, error.ErrorCode);
        Assert.Equal(ended.Version, (await kit.InstanceAsync(id)).Version);
        await Assert.ThrowsAsync<ProcessNotFoundException>(() => kit.Engine.PublishMessageAsync(Delivered("A") with { Instance = new InstanceId(999) }, Ct).AsTask());
    }

    [Fact]
    public async Task No_message_in_time_takes_the_timeout_path()
    {
        var kit = new EngineTestKit();
        var id = await kit.DeployAndStartAsync(Delivery(), Deal("A"));
        Assert.Equal(Epoch.AddDays(2), kit.Engine.NextDueTime);

        Assert.Equal(0, await kit.AdvanceAsync(TimeSpan.FromDays(1)));
        Assert.Equal(1, await kit.AdvanceAsync(TimeSpan.FromDays(1)));

        var instance = await kit.InstanceAsync(id);
        Assert.Equal("NoDelivery", instance.EndOutcome);
        var history = await kit.HistoryAsync(id);
        Assert.Contains(history, e => e.Type == HistoryEventType.DeadlineBreached && e.StepId == "waitDelivered");
        Assert.Equal(PathKind.Exception, history.Single(e => e.Type == HistoryEventType.StepEntered && e.StepId == "lost").Path);
        Assert.Equal(MessageOutcome.Buffered, await kit.Engine.PublishMessageAsync(Delivered("A"), Ct));
    }

    [Fact]
    public async Task A_message_trigger_starts_an_instance_with_the_payload_as_start_data()
    {
        var p = ProcessBuilder.Create("lead", "Lead").TriggeredBy(TriggerDefinition.OnMessage("contact.received"));
        p.Supplier("client", "Client").Inputs(Field.String("contactName", required: true));
        var clerk = p.Role("operator", "Operator");
        var review = p.HumanTask("review", "Review", clerk);
        var done = p.End("done", "Done");
        review.Then(done);
        var kit = new EngineTestKit();
        await kit.Engine.DeployAsync(p.Build(), Ct);

        var outcome = await kit.Engine.PublishMessageAsync(
            new ProcessMessage("contact.received") { MessageId = "c-1", Payload = new Dictionary<string, object?> { ["contactName"] = "Ann" } }, Ct);

        Assert.Equal(MessageOutcome.Started, outcome);
        var task = Assert.Single(await kit.Engine.QueryTasksAsync(new() { Role = "operator" }, Ct));
        var instance = await kit.InstanceAsync(task.Instance);
        Assert.Equal("Ann", instance.Data["contactName"]);
        var started = (await kit.HistoryAsync(task.Instance))[0];
        Assert.Equal(HistoryEventType.InstanceStarted, started.Type);
        Assert.Equal("contact.received", started.Detail);
        Assert.Equal(MessageOutcome.Duplicate, await kit.Engine.PublishMessageAsync(
            new ProcessMessage("contact.received") { MessageId = "c-1", Payload = new Dictionary<string, object?> { ["contactName"] = "Ann" } }, Ct));
        Assert.Equal(1, kit.Store.InstanceCount);
    }
}
