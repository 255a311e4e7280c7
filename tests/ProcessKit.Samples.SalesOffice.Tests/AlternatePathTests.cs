using ProcessKit.Definitions;
using ProcessKit.History;
using ProcessKit.Messaging;
using ProcessKit.Samples.SalesOffice.Crm;
using ProcessKit.Testing;
using static ProcessKit.Samples.SalesOffice.Tests.SalesHarness;

namespace ProcessKit.Samples.SalesOffice.Tests;

/// <summary>
/// The sample's JSON process with its real CRM handlers, on fake time: the happy path and every
/// alternate path of the sales office (SCENARIOS.md, section 2), one test each.
/// </summary>
public sealed class AlternatePathTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, object?> Qualified(int discount) => new()
    {
        ["needs"] = "a meeting room table",
        ["dealAmount"] = 4800,
        ["discountPercent"] = discount,
        ["requestedDate"] = Monday.AddDays(10),
    };

    private static Dictionary<string, object?> Feasible => new() { ["deliveryDate"] = Monday.AddDays(9) };

    [Fact]
    public async Task Happy_path_a_new_client_is_qualified_becomes_a_deal_in_the_crm_is_delivered_and_rates_it()
    {
        using var sales = await SalesHarness.CreateAsync();
        var lead = await sales.ReviewedLeadAsync();
        await lead.AssertOpenTaskAsync("qualifyLead", role: "manager", user: "mia", cancellationToken: Ct);
        await lead.CompleteAsync("qualifyLead", Mia, "qualified", Qualified(discount: 5), Ct);

        var dealId = await sales.DataAsync(lead, "dealId");
        var deal = await sales.Crm.FindDealByLeadAsync(await sales.DataAsync(lead, "leadId"), Ct);
        Assert.NotNull(deal);
        Assert.Equal(dealId, deal.DealId);
        Assert.Equal("dan", deal.DispatcherId);
        await lead.AssertDataAsync("companyId", deal.CompanyId, Ct);
        await lead.AssertOpenTaskAsync("checkFeasibility", user: "dan", cancellationToken: Ct);
        await lead.CompleteAsync("checkFeasibility", Dan, "feasible", Feasible, Ct);

        await lead.AssertActiveStepsAsync(["waitDelivered"], Ct);
        Assert.Equal(MessageOutcome.Delivered, await sales.Harness.PublishAsync(new ProcessMessage("delivered") { CorrelationKey = dealId }, Ct));
        Assert.Equal(MessageOutcome.Delivered, await sales.Harness.PublishAsync(new ProcessMessage("rating.received") { CorrelationKey = dealId, Payload = new Dictionary<string, object?> { ["rating"] = 5 } }, Ct));

        await lead.AssertCompletedAsync("DealWon", Ct);
        await lead.AssertDataAsync("rating", 5m, Ct);
        await lead.AssertHistoryLacksAsync(HistoryEventType.DeadlineBreached, cancellationToken: Ct);
    }

    [Fact]
    public async Task Alternate_path_review_missed_fifteen_minutes_tells_the_head_of_sales()
    {
        using var sales = await SalesHarness.CreateAsync();
        var lead = await sales.ContactAsync();

        await sales.Harness.AdvanceAsync(TimeSpan.FromMinutes(16), Ct);

        var breach = await lead.AssertHistoryContainsAsync(HistoryEventType.DeadlineBreached, "reviewLead", Ct);
        Assert.Equal(Monday.AddMinutes(15), breach.Time);
        await lead.AssertHistoryContainsAsync(e => e.Type == HistoryEventType.NotificationSent && e.RoleId == "headOfSales", "the head of sales told", Ct);
        await lead.AssertOpenTasksAsync(["reviewLead"], Ct);
    }

    [Fact]
    public async Task Alternate_path_existing_client_becomes_a_deal_at_once_with_the_clients_contact_and_company()
    {
        using var sales = await SalesHarness.CreateAsync();
        var lead = await sales.ReviewedLeadAsync(phone: ExistingClientPhone);

        await lead.AssertDataAsync("clientExists", true, Ct);
        await lead.AssertHistoryContainsAsync(HistoryEventType.StepCompleted, "convertToDeal", Ct);
        await lead.AssertHistoryLacksAsync(HistoryEventType.StepEntered, "qualifyLead", Ct);
        var deal = await sales.Crm.FindDealByLeadAsync(await sales.DataAsync(lead, "leadId"), Ct);
        Assert.Equal(new DealRecord("D-1", "P-1", "C-1", "dan"), deal);
        await lead.AssertOpenTaskAsync("checkFeasibility", user: "dan", cancellationToken: Ct);
    }

    [Fact]
    public async Task Alternate_path_not_interested_ends_with_the_lead_lost_and_no_deal()
    {
        using var sales = await SalesHarness.CreateAsync();
        var lead = await sales.ReviewedLeadAsync();

        await lead.CompleteAsync("qualifyLead", Mia, "notInterested", cancellationToken: Ct);

        await lead.AssertCompletedAsync("LeadLost", Ct);
        Assert.Null(await sales.Crm.FindDealByLeadAsync(await sales.DataAsync(lead, "leadId"), Ct));
    }

    [Fact]
    public async Task Alternate_path_data_missing_the_same_manager_contacts_the_client_and_the_reply_goes_back_to_qualifying()
    {
        using var sales = await SalesHarness.CreateAsync();
        var lead = await sales.ReviewedLeadAsync();
        await lead.CompleteAsync("qualifyLead", Mia, "dataMissing", new Dictionary<string, object?> { ["comments"] = "no address" }, Ct);
        await lead.AssertOpenTaskAsync("contactClient", user: "mia", cancellationToken: Ct);
        await lead.CompleteAsync("contactClient", Mia, cancellationToken: Ct);
        await lead.AssertActiveStepsAsync(["waitReply"], Ct);

        await sales.Harness.AdvanceAsync(TimeSpan.FromHours(3), Ct);
        await sales.Harness.PublishAsync(new ProcessMessage("client.replied") { CorrelationKey = await sales.DataAsync(lead, "leadId"), Payload = new Dictionary<string, object?> { ["reply"] = "the address" } }, Ct);

        await lead.AssertDataAsync("reply", "the address", Ct);
        var again = await lead.AssertOpenTaskAsync("qualifyLead", role: "manager", cancellationToken: Ct);
        var entered = (await lead.GetHistoryAsync(Ct)).Last(e => e.Type == HistoryEventType.StepEntered && e.StepId == "qualifyLead");
        Assert.Equal(PathKind.Rework, entered.Path);
        await lead.CompleteAsync("qualifyLead", again.AssignedTo == "max" ? Max : Mia, "qualified", Qualified(discount: 0), Ct);
        await lead.AssertOpenTaskAsync("checkFeasibility", cancellationToken: Ct);
        await lead.AssertHistoryLacksAsync(HistoryEventType.Escalated, "waitReply", Ct);
    }

    [Fact]
    public async Task Alternate_path_no_reply_the_manager_is_reminded_after_a_day_and_the_lead_is_lost_after_two()
    {
        using var sales = await SalesHarness.CreateAsync();
        var lead = await sales.ReviewedLeadAsync();
        await lead.CompleteAsync("qualifyLead", Mia, "dataMissing", cancellationToken: Ct);
        await lead.CompleteAsync("contactClient", Mia, cancellationToken: Ct);

        await sales.Harness.AdvanceAsync(TimeSpan.FromDays(1), Ct);
        await lead.AssertHistoryContainsAsync(HistoryEventType.Escalated, "waitReply", Ct);
        await lead.AssertActiveStepsAsync(["waitReply"], Ct);

        await sales.Harness.AdvanceAsync(TimeSpan.FromDays(1), Ct);
        await lead.AssertCompletedAsync("LeadLost", Ct);
    }

    [Fact]
    public async Task Alternate_path_qualifying_later_than_four_hours_reminds_the_manager()
    {
        using var sales = await SalesHarness.CreateAsync();
        var lead = await sales.ReviewedLeadAsync();

        await sales.Harness.AdvanceAsync(TimeSpan.FromHours(4), Ct);

        var breach = await lead.AssertHistoryContainsAsync(HistoryEventType.DeadlineBreached, "qualifyLead", Ct);
        Assert.Equal(Monday.AddMinutes(5).AddHours(4), breach.Time);
        await lead.AssertHistoryContainsAsync(HistoryEventType.Escalated, "qualifyLead", Ct);
        await lead.AssertOpenTaskAsync("qualifyLead", user: "mia", cancellationToken: Ct);
    }

    [Fact]
    public async Task Alternate_path_date_not_feasible_the_manager_is_told_renegotiates_and_the_dispatcher_checks_again()
    {
        using var sales = await SalesHarness.CreateAsync();
        var lead = await sales.ReviewedLeadAsync();
        await lead.CompleteAsync("qualifyLead", Mia, "qualified", Qualified(discount: 0), Ct);
        await lead.CompleteAsync("checkFeasibility", Dan, "dateNotFeasible", cancellationToken: Ct);

        await lead.AssertHistoryContainsAsync(e => e.Type == HistoryEventType.NotificationSent && e.StepId == "tellManager" && e.RoleId == "manager", "the manager told", Ct);
        await lead.AssertOpenTaskAsync("renegotiate", user: "mia", cancellationToken: Ct);
        await lead.CompleteAsync("renegotiate", Mia, "agreed", new Dictionary<string, object?> { ["requestedDate"] = Monday.AddDays(20) }, Ct);

        await lead.AssertOpenTaskAsync("checkFeasibility", user: "dan", cancellationToken: Ct);
        var checks = (await lead.GetHistoryAsync(Ct)).Where(e => e.Type == HistoryEventType.StepEntered && e.StepId == "checkFeasibility").Select(e => e.Path);
        Assert.Equal([PathKind.Happy, PathKind.Rework], checks);
        await lead.CompleteAsync("checkFeasibility", Dan, "feasible", Feasible, Ct);
        await lead.AssertActiveStepsAsync(["waitDelivered"], Ct);
    }

    [Fact]
    public async Task Alternate_path_the_client_refuses_the_renegotiated_terms_and_the_deal_is_lost()
    {
        using var sales = await SalesHarness.CreateAsync();
        var lead = await sales.ReviewedLeadAsync();
        await lead.CompleteAsync("qualifyLead", Mia, "qualified", Qualified(discount: 0), Ct);
        await lead.CompleteAsync("checkFeasibility", Dan, "dateNotFeasible", cancellationToken: Ct);

        await lead.CompleteAsync("renegotiate", Mia, "refused", cancellationToken: Ct);

        await lead.AssertCompletedAsync("DealLost", Ct);
    }

    [Fact]
    public async Task Alternate_path_a_discount_above_ten_percent_is_approved_by_the_head_of_sales_never_by_the_manager_who_asked()
    {
        using var sales = await SalesHarness.CreateAsync();
        var lead = await sales.ReviewedLeadAsync();
        await lead.CompleteAsync("qualifyLead", Mia, "qualified", Qualified(discount: 15), Ct);
        await lead.CompleteAsync("checkFeasibility", Dan, "feasible", Feasible, Ct);

        await lead.AssertOpenTaskAsync("approveDiscount", role: "headOfSales", cancellationToken: Ct);
        await Assert.ThrowsAsync<ProcessAuthorizationException>(() => lead.CompleteAsync("approveDiscount", ProcessTestHarness.User("mia", "manager", "headOfSales"), "approved", cancellationToken: Ct).AsTask());
        await lead.CompleteAsync("approveDiscount", Hal, "approved", cancellationToken: Ct);

        await lead.AssertActiveStepsAsync(["waitDelivered"], Ct);
    }

    [Fact]
    public async Task Alternate_path_a_rejected_discount_goes_back_to_renegotiation()
    {
        using var sales = await SalesHarness.CreateAsync();
        var lead = await sales.ReviewedLeadAsync();
        await lead.CompleteAsync("qualifyLead", Mia, "qualified", Qualified(discount: 20), Ct);
        await lead.CompleteAsync("checkFeasibility", Dan, "feasible", Feasible, Ct);

        await lead.CompleteAsync("approveDiscount", Hal, "rejected", cancellationToken: Ct);

        await lead.AssertOpenTaskAsync("renegotiate", user: "mia", cancellationToken: Ct);
        await lead.CompleteAsync("renegotiate", Mia, "agreed", new Dictionary<string, object?> { ["discountPercent"] = 10 }, Ct);
        await lead.CompleteAsync("checkFeasibility", Dan, "feasible", Feasible, Ct);
        await lead.AssertActiveStepsAsync(["waitDelivered"], Ct);
    }

    [Fact]
    public async Task Alternate_path_no_rating_in_three_days_the_manager_asks_the_client_for_it()
    {
        using var sales = await SalesHarness.CreateAsync();
        var lead = await sales.ReviewedLeadAsync();
        await lead.CompleteAsync("qualifyLead", Mia, "qualified", Qualified(discount: 0), Ct);
        await lead.CompleteAsync("checkFeasibility", Dan, "feasible", Feasible, Ct);
        await sales.Harness.PublishAsync(new ProcessMessage("delivered") { CorrelationKey = await sales.DataAsync(lead, "dealId") }, Ct);
        await lead.AssertActiveStepsAsync(["waitRating", "ratingOverdue"], Ct);

        await sales.Harness.AdvanceAsync(TimeSpan.FromDays(3), Ct);

        await lead.AssertOpenTaskAsync("askRating", user: "mia", cancellationToken: Ct);
        await lead.CompleteAsync("askRating", Mia, data: new Dictionary<string, object?> { ["rating"] = 4 }, cancellationToken: Ct);
        var ended = await lead.AssertCompletedAsync("DealWon", Ct);
        Assert.Equal(4m, ended.Data["rating"]);
    }
}
