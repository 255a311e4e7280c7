using Microsoft.Extensions.Time.Testing;
using ProcessKit.Analytics;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Samples.SalesOffice.Contacts;
using ProcessKit.Samples.SalesOffice.Crm;
using ProcessKit.Samples.SalesOffice.Day;
using ProcessKit.Samples.SalesOffice.Hosting;
using ProcessKit.Samples.SalesOffice.Reporting;

namespace ProcessKit.Samples.SalesOffice.Tests;

/// <summary>Scripted days on the sample's host (SQLite store and CRM in one file, fake time) and the report over them.</summary>
public sealed class SalesDayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string SmallDay = """
        {
          "date": "2026-03-02",
          "contacts": [
            { "id": "a", "at": "09:00", "channel": "call", "name": "Grace Kim", "phone": "+1 206 555 0111", "request": "a table" },
            { "id": "b", "at": "09:02", "channel": "webForm", "name": "Lena Fischer", "email": "lena@fischer-bau.example" },
            { "id": "c", "at": "09:04", "channel": "call", "name": "Ingrid Holm", "phone": "+46 8 555 0101" }
          ]
        }
        """;

    private static async Task<(SalesReport Report, SalesOfficeHost Host)> PlayAsync(TempFolder folder, ContactDay day, IDayChoices choices)
    {
        var definition = SalesProcess.Load();
        var clock = new FakeTimeProvider(day.Midnight);
        var host = await SalesOfficeHost.OpenAsync(folder.File("sales-office.db"), definition, clock, SalesStaff.Default, runWorker: false, Ct);
        var (_, ended) = await new SalesDay(host.Engine, clock, host.Crm, SalesStaff.Default, choices).RunAsync(day, Ct);
        return (await SalesReport.ComputeAsync(host.Engine, host.Crm, definition, ended, Ct), host);
    }

    [Fact]
    public async Task The_report_of_a_small_scripted_day_matches_the_figures_computed_by_hand()
    {
        using var folder = new TempFolder();
        var (report, host) = await PlayAsync(folder, ContactFile.Parse(SmallDay, "small day"), new ScriptedChoices());
        await using var _ = host;

        // Timeline (one operator, reviews 12 min, qualifying 30 min, checks 12 min, asking a rating 6 min):
        // 09:00 Grace arrives, olga reviews 09:00-09:12; 09:02 Lena waits until 09:12 (review to 09:24);
        // 09:04 Ingrid waits until 09:24 (review to 09:36): Lena's and Ingrid's reviews pass 15 minutes (09:17, 09:19).
        // Grace: mia qualifies 09:12-09:42, dora checks 09:42-09:54, delivered a day later (Mar 3 09:54), rated 5 two hours later.
        // Lena: max qualifies 09:24-09:54, not interested. Ingrid: existing client, dan checks 09:36-09:48,
        // delivered Mar 3 09:48, no rating: after three days (Mar 6 09:48) mia asks 6 min, rating 3, won Mar 6 09:54.
        Assert.Equal(3, report.Leads);
        Assert.Equal(TimeSpan.FromMinutes(10), report.Process.MeanTimeToFirstReaction); // (0 + 10 + 20) / 3
        Assert.Equal(2, report.BecameDeals);
        Assert.Equal(2, report.DealsWon);
        Assert.Equal(1, report.LeadsLost);
        Assert.Equal(0, report.DealsLost);
        Assert.Equal(0, report.Running);
        Assert.Equal(2d / 3, report.Conversion);
        var grace = new TimeSpan(1, 2, 54, 0);   // Mar 2 09:00 -> Mar 3 11:54
        var ingrid = new TimeSpan(4, 0, 50, 0);  // Mar 2 09:04 -> Mar 6 09:54
        Assert.Equal((grace + ingrid) / 2, report.Won.CycleTimeMedian);
        Assert.Equal(grace + ((ingrid - grace) * 0.9), report.Won.CycleTime90thPercentile);
        // Reviews 12 min at 250/h = 50 each; qualifying 30 min at 500/h = 250; checks 12 min at 350/h = 70; asking 6 min at 500/h = 50.
        Assert.Equal(50m + 250m + 70m + 50m + 250m + 50m + 70m + 50m, report.Process.TotalCost); // 840
        Assert.Equal(420m, report.CostPerDealWon);
        Assert.Equal(4m, report.Process.MeanSatisfaction); // (5 + 3) / 2
        Assert.Equal([new NamedCount("operator", 2)], report.Process.BreachesByRole);
        Assert.Equal(2, report.ReactionDeadlineMissed);

        var text = report.ToText();
        Assert.Contains("2 of 3 leads became deals (66.7%)", text, StringComparison.Ordinal);
        Assert.Contains("per deal won 420.00", text, StringComparison.Ordinal);
        Assert.Contains("4.00 of 5 (2 rated)", text, StringComparison.Ordinal);
        Assert.Contains("operator 2", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_day_that_ships_with_the_sample_reaches_every_alternate_path_of_the_sales_office()
    {
        using var folder = new TempFolder();
        var definition = SalesProcess.Load();
        var (report, host) = await PlayAsync(folder, ContactFile.Read(ContactFile.DefaultPath), new SeededChoices(definition, seed: 1));
        await using var _ = host;

        var histories = new List<IReadOnlyList<HistoryEvent>>();
        foreach (var id in await host.Crm.LeadInstancesAsync(Ct))
        {
            histories.Add(await host.Engine.GetHistoryAsync(new InstanceId(id), Ct));
        }

        bool Reached(Func<IReadOnlyList<HistoryEvent>, bool> path) => histories.Any(path);
        static bool Entered(IReadOnlyList<HistoryEvent> h, string step) => h.Any(e => e.Type == HistoryEventType.StepEntered && e.StepId == step);
        static bool Outcome(IReadOnlyList<HistoryEvent> h, string step, string outcome) => h.Any(e => e.Type == HistoryEventType.StepCompleted && e.StepId == step && e.Detail == outcome);
        static bool Ended(IReadOnlyList<HistoryEvent> h, string outcome) => h[^1].Type == HistoryEventType.InstanceCompleted && h[^1].Detail == outcome;

        var paths = new Dictionary<string, bool>
        {
            ["review late: the head of sales is told"] = Reached(h => h.Any(e => e.Type == HistoryEventType.NotificationSent && e.RoleId == "headOfSales")),
            ["existing client: a deal at once"] = Reached(h => Entered(h, "convertToDeal")),
            ["qualified: a new deal"] = Reached(h => Entered(h, "createDeal")),
            ["qualifying late: the manager reminded"] = Reached(h => h.Any(e => e.Type == HistoryEventType.Escalated && e.StepId == "qualifyLead")),
            ["not interested: lead lost"] = Reached(h => Outcome(h, "qualifyLead", "notInterested") && Ended(h, "LeadLost")),
            ["data missing: the client replies, qualified again"] = Reached(h => h.Any(e => e.Type == HistoryEventType.StepCompleted && e.StepId == "waitReply") && h.Count(e => e.Type == HistoryEventType.StepEntered && e.StepId == "qualifyLead") == 2),
            ["data missing: reminded after a day"] = Reached(h => h.Any(e => e.Type == HistoryEventType.Escalated && e.StepId == "waitReply")),
            ["data missing: no reply in two days, lead lost"] = Reached(h => Entered(h, "waitReply") && !h.Any(e => e.Type == HistoryEventType.StepCompleted && e.StepId == "waitReply") && Ended(h, "LeadLost")),
            ["date not feasible: renegotiated and checked again"] = Reached(h => Outcome(h, "renegotiate", "agreed")),
            ["date not feasible: the client refuses, deal lost"] = Reached(h => Outcome(h, "renegotiate", "refused") && Ended(h, "DealLost")),
            ["discount above 10%: approved"] = Reached(h => Outcome(h, "approveDiscount", "approved")),
            ["discount above 10%: rejected, renegotiated"] = Reached(h => Outcome(h, "approveDiscount", "rejected")),
            ["rating by message"] = Reached(h => h.Any(e => e.Type == HistoryEventType.StepCompleted && e.StepId == "waitRating")),
            ["no rating in three days: the manager asks"] = Reached(h => h.Any(e => e.Type == HistoryEventType.StepCompleted && e.StepId == "askRating")),
            ["deal won"] = Reached(h => Ended(h, "DealWon")),
        };

        var missed = paths.Where(static p => !p.Value).Select(static p => p.Key).ToList();
        Assert.True(missed.Count == 0, "Not reached: " + string.Join("; ", missed));
        Assert.Equal(24, report.Leads);
        Assert.Equal(0, report.Running);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_day_and_another_seed_another()
    {
        var definition = SalesProcess.Load();
        var day = ContactFile.Read(ContactFile.DefaultPath);
        day = day with { Contacts = [.. day.Contacts.Take(8)] };
        var texts = new List<string>();
        foreach (var seed in new[] { 7, 7, 8 })
        {
            using var folder = new TempFolder();
            var (report, host) = await PlayAsync(folder, day, new SeededChoices(definition, seed));
            await using var _ = host;
            texts.Add(report.ToText());
        }

        Assert.Equal(texts[0], texts[1]);
        Assert.NotEqual(texts[0], texts[2]);
    }

    [Fact]
    public void The_json_process_passes_validation_and_names_the_four_crm_handlers()
    {
        var definition = SalesProcess.Load();

        Assert.DoesNotContain(Definitions.Validation.ProcessDefinitionValidator.Validate(definition), static p => p.Severity == ProblemSeverity.Error);
        Assert.Equal(
            ["sales.assignDispatcher", "sales.convertLeadToDeal", "sales.createDeal", "sales.registerLead"],
            definition.Steps.OfType<AutomatedStep>().Select(static s => s.Handler).Order(StringComparer.Ordinal));
        Assert.Equal(SalesProcess.ContactMessage, Assert.Single(definition.Triggers).Message);
    }
}
