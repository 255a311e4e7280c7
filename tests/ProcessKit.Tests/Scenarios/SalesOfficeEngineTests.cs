using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Messaging;
using ProcessKit.Tests.Execution;
using static ProcessKit.Tests.Execution.EngineTestKit;

namespace ProcessKit.Tests.Scenarios;

/// <summary>
/// The sales-office scenario's other paths run end to end in the engine on fake time, with stub handlers (the happy
/// path runs on every store in <see cref="ProcessKit.Scenarios.SampleScenarioContract"/>).
/// </summary>
public sealed class SalesOfficeEngineTests
{
    private static EngineTestKit Kit(bool existingClient) => new(o =>
    {
        o.RoleMembers = role => role switch
        {
            "manager" => ["mia", "max"],
            _ => [],
        };
        o.AddHandler("sales.registerLead", c =>
        {
            c.Set("leadId", "L-" + c.Instance);
            c.Set("clientExists", existingClient);
            if (existingClient)
            {
                c.Set("clientId", "C-1");
            }
        });
        o.AddHandler("sales.convertLeadToDeal", static c =>
        {
            c.Set("dealId", "D-" + c.Instance);
            c.Set("contactId", "P-1");
        });
        o.AddHandler("sales.createDeal", static c =>
        {
            c.Set("dealId", "D-" + c.Instance);
            c.Set("contactId", "P-2");
            c.Set("companyId", "Co-2");
        });
        o.AddHandler("sales.assignDispatcher", static c => c.Set("dispatcherId", "dan"));
    });

    private static readonly ProcessMessage Contact = new("contact.received")
    {
        MessageId = "call-1",
        Payload = new Dictionary<string, object?> { ["contactName"] = "Ann Client", ["channel"] = "call", ["phone"] = "+100" },
    };

    private static async Task<InstanceId> LeadAsync(EngineTestKit kit)
    {
        await kit.Engine.DeployAsync(SalesOfficeProcess.Definition, Ct);
        Assert.Equal(MessageOutcome.Started, await kit.Engine.PublishMessageAsync(Contact, Ct));
        var review = Assert.Single(await kit.Engine.QueryTasksAsync(new() { Role = "operator" }, Ct));
        kit.Time.Advance(TimeSpan.FromMinutes(5));
        await kit.Engine.CompleteTaskAsync(review.TaskId, User("olga", "operator"), cancellationToken: Ct);
        return review.Instance;
    }

    [Fact]
    public async Task Existing_client_becomes_a_deal_at_once_and_a_missing_rating_is_asked_for_by_the_manager()
    {
        var kit = Kit(existingClient: true);
        var id = await LeadAsync(kit);

        Assert.Contains("convertToDeal", Steps(await kit.HistoryAsync(id), HistoryEventType.StepCompleted));
        await kit.CompleteAsync(id, "checkFeasibility", "feasible", new Dictionary<string, object?> { ["deliveryDate"] = "2026-03-30T00:00:00Z" });
        var dealId = (string)(await kit.InstanceAsync(id)).Data["dealId"]!;
        await kit.Engine.PublishMessageAsync(new ProcessMessage("delivered") { CorrelationKey = dealId }, Ct);
        await kit.AdvanceAsync(TimeSpan.FromDays(3));
        await kit.CompleteAsync(id, "askRating", data: new Dictionary<string, object?> { ["rating"] = 3 });

        Assert.Equal("DealWon", (await kit.InstanceAsync(id)).EndOutcome);
    }

    [Fact]
    public async Task Alternate_path_missing_data_waits_for_the_reply_and_a_late_review_tells_the_head_of_sales()
    {
        var kit = Kit(existingClient: false);
        await kit.Engine.DeployAsync(SalesOfficeProcess.Definition, Ct);
        await kit.Engine.PublishMessageAsync(Contact, Ct);
        await kit.AdvanceAsync(TimeSpan.FromMinutes(16));
        var id = Assert.Single(await kit.Engine.QueryTasksAsync(new() { Role = "operator" }, Ct)).Instance;
        Assert.Contains(await kit.HistoryAsync(id), e => e.Type == HistoryEventType.NotificationSent && e.RoleId == "headOfSales");
        await kit.CompleteAsync(id, "reviewLead");

        await kit.CompleteAsync(id, "qualifyLead", "dataMissing", new Dictionary<string, object?> { ["comments"] = "no email" });
        var contact = await kit.OpenTaskAsync(id, "contactClient");
        Assert.Equal("mia", contact.AssignedTo);
        await kit.CompleteAsync(id, "contactClient");
        var leadId = (string)(await kit.InstanceAsync(id)).Data["leadId"]!;
        await kit.Engine.PublishMessageAsync(new ProcessMessage("client.replied") { CorrelationKey = leadId, Payload = new Dictionary<string, object?> { ["reply"] = "ann@example.org" } }, Ct);

        var again = await kit.OpenTaskAsync(id, "qualifyLead");
        await kit.Engine.CompleteTaskAsync(again.TaskId, User(again.AssignedTo!, "manager"), "notInterested", cancellationToken: Ct);
        var instance = await kit.InstanceAsync(id);
        Assert.Equal("LeadLost", instance.EndOutcome);
        Assert.Equal("ann@example.org", instance.Data["reply"]);
    }

    [Fact]
    public async Task Alternate_path_a_date_that_cannot_be_met_is_renegotiated_by_the_same_manager_and_checked_again()
    {
        var kit = Kit(existingClient: false);
        var id = await LeadAsync(kit);
        await kit.CompleteAsync(id, "qualifyLead", "qualified", new Dictionary<string, object?> { ["dealAmount"] = 900 });
        await kit.CompleteAsync(id, "checkFeasibility", "dateNotFeasible");

        var history = await kit.HistoryAsync(id);
        Assert.Contains(history, e => e.Type == HistoryEventType.NotificationSent && e.StepId == "tellManager" && e.RoleId == "manager");
        var renegotiate = await kit.OpenTaskAsync(id, "renegotiate");
        Assert.Equal("mia", renegotiate.AssignedTo);
        await kit.Engine.CompleteTaskAsync(renegotiate.TaskId, User("mia", "manager"), "agreed", new Dictionary<string, object?> { ["requestedDate"] = "2026-05-01T00:00:00Z" }, Ct);
        await kit.CompleteAsync(id, "checkFeasibility", "feasible", new Dictionary<string, object?> { ["deliveryDate"] = "2026-04-30T00:00:00Z" });

        Assert.Equal(["waitDelivered"], (await kit.InstanceAsync(id)).ActiveSteps);
        var checks = (await kit.HistoryAsync(id)).Where(e => e.Type == HistoryEventType.StepEntered && e.StepId == "checkFeasibility").ToList();
        Assert.Equal([ProcessKit.Definitions.PathKind.Happy, ProcessKit.Definitions.PathKind.Rework], checks.Select(e => e.Path));
        Assert.Equal(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero), (await kit.InstanceAsync(id)).Data["requestedDate"]);
    }
}
