using ProcessKit.Execution;
using ProcessKit.History;
using ProcessKit.Samples.SalesOffice.Crm;
using static ProcessKit.Samples.SalesOffice.Tests.SalesHarness;

namespace ProcessKit.Samples.SalesOffice.Tests;

/// <summary>The sample's CRM in SQLite: rows the handlers leave, and idempotency on the step run's key.</summary>
public sealed class CrmTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static async Task<(TempFolder Folder, CrmDatabase Crm)> CrmAsync()
    {
        var folder = new TempFolder();
        var crm = new CrmDatabase(folder.File("crm.db"), ["dan", "dora"]);
        await crm.EnsureCreatedAsync(Ct);
        return (folder, crm);
    }

    [Fact]
    public async Task A_new_crm_knows_four_clients_and_creating_it_again_adds_nothing()
    {
        var (folder, crm) = await CrmAsync();
        using (folder)
        {
            await crm.EnsureCreatedAsync(Ct);

            Assert.Equal(new CrmCounts(0, 0, 4, 3), await crm.CountAsync(Ct));
        }
    }

    [Fact]
    public async Task A_lead_is_matched_to_an_existing_client_by_phone_or_by_email_ignoring_case()
    {
        var (folder, crm) = await CrmAsync();
        using (folder)
        {
            var byPhone = await crm.RegisterLeadAsync("1/registerLead/1", 1, new LeadContact("Ingrid", ExistingClientPhone, null, "call", null), Now, Ct);
            var byEmail = await crm.RegisterLeadAsync("2/registerLead/1", 2, new LeadContact("Pablo", null, "PABLO@ruizhermanos.example", "email", null), Now, Ct);
            var stranger = await crm.RegisterLeadAsync("3/registerLead/1", 3, new LeadContact("Grace", "+1 206 555 0111", "grace@kim.example", "call", null), Now, Ct);

            Assert.Equal(new LeadRecord("L-1", "P-1"), byPhone);
            Assert.Equal(new LeadRecord("L-2", "P-2"), byEmail);
            Assert.Equal(new LeadRecord("L-3", null), stranger);
        }
    }

    [Fact]
    public async Task Registering_a_lead_again_with_the_same_idempotency_key_returns_the_first_lead_and_stores_one()
    {
        var (folder, crm) = await CrmAsync();
        using (folder)
        {
            var contact = new LeadContact("Grace", "+1 206 555 0111", null, "call", "a table");
            var first = await crm.RegisterLeadAsync("7/registerLead/1", 7, contact, Now, Ct);
            var again = await crm.RegisterLeadAsync("7/registerLead/1", 7, contact, Now.AddSeconds(2), Ct);

            Assert.Equal(first, again);
            Assert.Equal(1, (await crm.CountAsync(Ct)).Leads);
            Assert.Equal([7L], await crm.LeadInstancesAsync(Ct));
        }
    }

    [Fact]
    public async Task A_qualified_lead_leaves_one_deal_contact_and_company_however_often_the_deal_is_created()
    {
        var (folder, crm) = await CrmAsync();
        using (folder)
        {
            var lead = await crm.RegisterLeadAsync("1/registerLead/1", 1, new LeadContact("Lena", null, "lena@fischer-bau.example", "webForm", null), Now, Ct);
            var before = await crm.CountAsync(Ct);

            var deal = await crm.CreateDealAsync(lead.LeadId, 4800m, "chairs", Now, Ct);
            var again = await crm.CreateDealAsync(lead.LeadId, 4800m, "chairs", Now, Ct);

            Assert.Equal(deal, again);
            Assert.Equal(new DealRecord("D-1", "P-5", "C-4", null), deal);
            Assert.Equal(before with { Deals = 1, Contacts = before.Contacts + 1, Companies = before.Companies + 1 }, await crm.CountAsync(Ct));
            Assert.Equal(deal, await crm.FindDealByLeadAsync(lead.LeadId, Ct));
        }
    }

    [Fact]
    public async Task A_client_writing_from_a_private_mail_provider_gets_a_contact_without_a_company()
    {
        var (folder, crm) = await CrmAsync();
        using (folder)
        {
            var lead = await crm.RegisterLeadAsync("1/registerLead/1", 1, new LeadContact("Chloe", null, "chloe@post.example", "webForm", null), Now, Ct);

            var deal = await crm.CreateDealAsync(lead.LeadId, null, null, Now, Ct);

            Assert.Null(deal.CompanyId);
        }
    }

    [Fact]
    public async Task Converting_an_existing_clients_lead_twice_leaves_one_deal_with_the_clients_company()
    {
        var (folder, crm) = await CrmAsync();
        using (folder)
        {
            var lead = await crm.RegisterLeadAsync("1/registerLead/1", 1, new LeadContact("Ingrid", ExistingClientPhone, null, "call", null), Now, Ct);

            var deal = await crm.ConvertLeadAsync(lead.LeadId, lead.ClientId!, Now, Ct);
            var again = await crm.ConvertLeadAsync(lead.LeadId, lead.ClientId!, Now, Ct);

            Assert.Equal(new DealRecord("D-1", "P-1", "C-1", null), deal);
            Assert.Equal(deal, again);
            Assert.Equal(1, (await crm.CountAsync(Ct)).Deals);
        }
    }

    [Fact]
    public async Task Dispatchers_take_turns_by_fewest_deals_and_assigning_a_deal_again_keeps_its_dispatcher()
    {
        var (folder, crm) = await CrmAsync();
        using (folder)
        {
            var deals = new List<string>();
            for (var i = 1; i <= 3; i++)
            {
                var lead = await crm.RegisterLeadAsync($"{i}/registerLead/1", i, new LeadContact("Client " + i, null, null, "call", null), Now, Ct);
                deals.Add((await crm.CreateDealAsync(lead.LeadId, null, null, Now, Ct)).DealId);
            }

            var assigned = new List<string>();
            foreach (var deal in deals)
            {
                assigned.Add(await crm.AssignDispatcherAsync(deal, Ct));
            }

            Assert.Equal(["dan", "dora", "dan"], assigned);
            Assert.Equal("dora", await crm.AssignDispatcherAsync(deals[1], Ct));
        }
    }

    [Fact]
    public async Task A_create_deal_step_run_again_after_its_handler_failed_past_the_write_leaves_one_deal()
    {
        var failures = 0;
        using var sales = await SalesHarness.CreateAsync((name, handler) => name == SalesHandlers.CreateDeal ? new FailOnceAfter(handler, () => failures++) : handler);
        var lead = await sales.ReviewedLeadAsync();

        await lead.CompleteAsync("qualifyLead", Mia, "qualified", new Dictionary<string, object?> { ["dealAmount"] = 900 }, Ct);

        var incident = Assert.Single(await sales.Harness.Engine.GetIncidentsAsync(lead.Id, Ct));
        Assert.Equal("createDeal", incident.StepId);
        Assert.Equal(1, (await sales.Crm.CountAsync(Ct)).Deals);

        await sales.Harness.Engine.RetryIncidentAsync(lead.Id, incident.StepInstance, Ct);

        Assert.Equal(1, failures);
        Assert.Equal(1, (await sales.Crm.CountAsync(Ct)).Deals);
        var deal = await sales.Crm.FindDealByLeadAsync(await sales.DataAsync(lead, "leadId"), Ct);
        await lead.AssertDataAsync("dealId", deal!.DealId, Ct);
        await lead.AssertOpenTaskAsync("checkFeasibility", cancellationToken: Ct);
    }

    [Fact]
    public async Task A_register_lead_job_retried_after_its_handler_failed_past_the_write_leaves_one_lead()
    {
        var failures = 0;
        using var sales = await SalesHarness.CreateAsync((name, handler) => name == SalesHandlers.RegisterLead ? new FailOnceAfter(handler, () => failures++) : handler);
        var lead = await sales.ContactAsync();
        Assert.Equal(1, failures);
        Assert.Equal(1, (await sales.Crm.CountAsync(Ct)).Leads);
        await lead.AssertHistoryLacksAsync(HistoryEventType.StepCompleted, "registerLead", Ct);

        // The step's retry policy (2 s, then longer) runs the job again with the same idempotency key.
        await sales.Harness.AdvanceAsync(TimeSpan.FromSeconds(2), Ct);

        Assert.Equal(1, (await sales.Crm.CountAsync(Ct)).Leads);
        await lead.AssertDataAsync("leadId", "L-1", Ct);
        await lead.AssertOpenTaskAsync("reviewLead", role: "operator", cancellationToken: Ct);
    }

    /// <summary>Runs the handler, then fails the first time: the CRM was written, the engine did not take the result.</summary>
    private sealed class FailOnceAfter(IStepHandler inner, Action failed) : IStepHandler
    {
        private bool _failed;

        public async ValueTask ExecuteAsync(StepContext context)
        {
            await inner.ExecuteAsync(context);
            if (!_failed)
            {
                _failed = true;
                failed();
                throw new IOException("The connection to the CRM dropped after the write.");
            }
        }
    }
}
