using ProcessKit.Execution;

namespace ProcessKit.Samples.SalesOffice.Crm;

/// <summary>The names the JSON process gives its automated steps' handlers, and the handlers, for hosts and tests.</summary>
internal static class SalesHandlers
{
    public const string RegisterLead = "sales.registerLead";
    public const string ConvertLeadToDeal = "sales.convertLeadToDeal";
    public const string CreateDeal = "sales.createDeal";
    public const string AssignDispatcher = "sales.assignDispatcher";

    /// <summary>Every handler over one CRM, by name (for an engine built without a service container, as in the tests).</summary>
    public static IReadOnlyList<(string Name, IStepHandler Handler)> Create(CrmDatabase crm, TimeProvider clock) =>
    [
        (RegisterLead, new RegisterLeadHandler(crm, clock)),
        (ConvertLeadToDeal, new ConvertLeadToDealHandler(crm, clock)),
        (CreateDeal, new CreateDealHandler(crm, clock)),
        (AssignDispatcher, new AssignDispatcherHandler(crm)),
    ];

    internal static string Text(StepContext context, string field) =>
        context.Get(field) as string ?? throw new InvalidOperationException($"The step '{context.StepId}' of instance {context.Instance} needs '{field}', which is not set.");
}

/// <summary><c>sales.registerLead</c>: stores the contact as a lead and looks the client up by phone or email.</summary>
internal sealed class RegisterLeadHandler(CrmDatabase crm, TimeProvider clock) : IStepHandler
{
    public async ValueTask ExecuteAsync(StepContext context)
    {
        var contact = new LeadContact(
            SalesHandlers.Text(context, "contactName"),
            context.Get("phone") as string,
            context.Get("email") as string,
            SalesHandlers.Text(context, "channel"),
            context.Get("request") as string);
        var lead = await crm.RegisterLeadAsync(context.IdempotencyKey, context.Instance.Value, contact, clock.GetUtcNow(), context.CancellationToken);
        context.Set("leadId", lead.LeadId);
        context.Set("clientExists", lead.ClientId is not null);
        context.Set("clientId", lead.ClientId);
    }
}

/// <summary><c>sales.convertLeadToDeal</c>: an existing client's lead becomes a deal with the client's contact and company.</summary>
internal sealed class ConvertLeadToDealHandler(CrmDatabase crm, TimeProvider clock) : IStepHandler
{
    public async ValueTask ExecuteAsync(StepContext context)
    {
        var deal = await crm.ConvertLeadAsync(SalesHandlers.Text(context, "leadId"), SalesHandlers.Text(context, "clientId"), clock.GetUtcNow(), context.CancellationToken);
        context.Set("dealId", deal.DealId);
        context.Set("contactId", deal.ContactId);
    }
}

/// <summary><c>sales.createDeal</c>: a qualified lead becomes a deal, a contact and (from the email's domain) a company.</summary>
internal sealed class CreateDealHandler(CrmDatabase crm, TimeProvider clock) : IStepHandler
{
    public async ValueTask ExecuteAsync(StepContext context)
    {
        var amount = context.Get("dealAmount") is decimal a ? a : (decimal?)null;
        var deal = await crm.CreateDealAsync(SalesHandlers.Text(context, "leadId"), amount, context.Get("needs") as string, clock.GetUtcNow(), context.CancellationToken);
        context.Set("dealId", deal.DealId);
        context.Set("contactId", deal.ContactId);
        context.Set("companyId", deal.CompanyId);
    }
}

/// <summary><c>sales.assignDispatcher</c>: the dispatcher with the fewest deals becomes responsible for this one.</summary>
internal sealed class AssignDispatcherHandler(CrmDatabase crm) : IStepHandler
{
    public async ValueTask ExecuteAsync(StepContext context) =>
        context.Set("dispatcherId", await crm.AssignDispatcherAsync(SalesHandlers.Text(context, "dealId"), context.CancellationToken));
}
