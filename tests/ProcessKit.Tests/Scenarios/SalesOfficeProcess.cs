using ProcessKit.Definitions;

namespace ProcessKit.Tests.Scenarios;

/// <summary>
/// Scenario 2 of SCENARIOS.md, "Sales office — from a lead to a deal", written completely in the
/// fluent builder. Later issues run it in the engine, and the JSON sample is generated from it.
/// </summary>
public static class SalesOfficeProcess
{
    /// <summary>The process id.</summary>
    public const string Id = "sales.lead-to-deal";

    /// <summary>Builds the definition (a new, equal instance on every call).</summary>
    public static ProcessDefinition Definition => Create().Build();

    /// <summary>The builder holding the whole process, before <see cref="ProcessBuilder.Build()"/>.</summary>
    public static ProcessBuilder Create()
    {
        var p = ProcessBuilder.Create(Id, "From a lead to a deal")
            .Kind(ProcessKind.Core)
            .Category("Sales")
            .Goal("Every contact gets a reaction within 15 minutes; a qualified lead becomes a deal the company can fulfil by the date promised to the client.")
            .Description("Every incoming contact registers itself as a lead; the lead is qualified, becomes a deal, is fulfilled and rated.")
            .TriggeredBy(TriggerDefinition.OnMessage("contact.received"))
            .Targets(new ProcessTargets
            {
                CycleTime = TimeSpan.FromDays(14),
                CostPerInstance = 2_000m,
                Satisfaction = 4.5m,
                SatisfactionField = "rating",
            });

        p.Supplier("contact", "Client")
            .Description("A client who calls, writes an email or fills in the web form.")
            .Inputs(
                Field.String("contactName", required: true, description: "Who made contact."),
                Field.String("phone"),
                Field.String("email"),
                Field.String("channel", required: true, description: "call, email or webForm."),
                Field.String("request", description: "What the client asks for."),
                Field.DateTime("requestedDate", description: "The delivery date the client asks for."));

        p.Client("client", "Client")
            .Description("Receives the fulfilled deal.")
            .Outputs(
                Field.DateTime("deliveryDate", required: true, description: "The confirmed delivery date."),
                Field.Number("rating", minimum: 1, maximum: 5, description: "The client's satisfaction, 1 to 5."));
        p.Client("company", "Company")
            .Description("Receives the revenue.")
            .Outputs(
                Field.String("dealId", required: true),
                Field.String("contactId", required: true),
                Field.String("companyId"),
                Field.Number("dealAmount", minimum: 0));

        var operatorRole = p.Role("operator", "Operator").Description("Contact centre.").HourlyCost(250m);
        var manager = p.Role("manager", "Manager").HourlyCost(500m);
        var dispatcher = p.Role("dispatcher", "Dispatcher").HourlyCost(350m);
        var headOfSales = p.Role("headOfSales", "Head of sales").HourlyCost(900m);
        p.Owner(headOfSales);

        // 1-2. The lead registers itself; the operator reacts within 15 minutes.
        var registerLead = p.Automated("registerLead", "Register the lead", "sales.registerLead")
            .Role(operatorRole)
            .Description("Stores the contact and looks the client up by phone or email.")
            .Reads("contactName", "phone", "email", "channel")
            .Writes(
                Field.String("leadId", required: true),
                Field.Boolean("clientExists", required: true),
                Field.String("clientId"))
            .Retry(new RetryPolicy { MaxAttempts = 5, Delay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromMinutes(1) });
        var reviewLead = p.HumanTask("reviewLead", "Review the lead", operatorRole)
            .WorkTime(TimeSpan.FromMinutes(5))
            .Reads("leadId", "contactName", "channel", "request", "clientExists")
            .Deadline(TimeSpan.FromMinutes(15))
            .OnLateNotifyRole(headOfSales, message: "A lead has had no reaction for 15 minutes.");
        var existingClient = p.Decision("existingClient", "Existing client?");
        var convertToDeal = p.Automated("convertToDeal", "Turn the lead into a deal", "sales.convertLeadToDeal")
            .Role(operatorRole)
            .Reads("leadId", "clientId")
            .Writes(Field.String("dealId", required: true), Field.String("contactId", required: true));

        // 3-4. A manager, assigned in turn, qualifies the lead.
        var qualifyLead = p.HumanTask("qualifyLead", "Qualify the lead", manager)
            .AllocateRoundRobin()
            .WorkTime(TimeSpan.FromMinutes(20))
            .Deadline(TimeSpan.FromHours(4))
            .OnLateRemind()
            .Reads("leadId", "contactName", "phone", "email", "request")
            .Writes(
                Field.String("needs", description: "What the client needs."),
                Field.Number("dealAmount", minimum: 0),
                Field.Number("discountPercent", minimum: 0, maximum: 100),
                Field.DateTime("requestedDate"),
                Field.String("comments"));
        var createDeal = p.Automated("createDeal", "Create the deal, contact and company", "sales.createDeal")
            .Role(manager)
            .Reads("leadId", "needs", "dealAmount")
            .Writes(Field.String("dealId", required: true), Field.String("contactId", required: true), Field.String("companyId"));
        var contactClient = p.HumanTask("contactClient", "Ask the client for the missing data", manager)
            .RetainFamiliar(qualifyLead)
            .WorkTime(TimeSpan.FromMinutes(10))
            .Reads("leadId", "comments");
        var waitReply = p.WaitMessage("waitReply", "Wait for the client's reply", "client.replied")
            .Role(manager)
            .CorrelatedBy("leadId")
            .Writes(Field.String("reply"))
            .OnLateRemind(TimeSpan.FromDays(1), "The client has not replied for a day.");
        var leadLost = p.End("leadLost", "Lead lost").Outcome("LeadLost");

        // 5-6. A dispatcher checks the date; the same manager renegotiates when it cannot be met.
        var assignDispatcher = p.Automated("assignDispatcher", "Make a dispatcher responsible", "sales.assignDispatcher")
            .Role(dispatcher)
            .Reads("dealId")
            .Writes(Field.String("dispatcherId", required: true));
        var checkFeasibility = p.HumanTask("checkFeasibility", "Check the deal can be fulfilled by the requested date", dispatcher)
            .AllocateTo("dispatcherId")
            .WorkTime(TimeSpan.FromMinutes(30))
            .Reads("dealId", "requestedDate", "needs")
            .Writes(Field.DateTime("deliveryDate"));
        var tellManager = p.Notification("tellManager", "Tell the manager the date cannot be met", manager)
            .Message("The requested date cannot be met: renegotiate it with the client.");
        var renegotiate = p.HumanTask("renegotiate", "Renegotiate with the client", manager)
            .RetainFamiliar(qualifyLead)
            .WorkTime(TimeSpan.FromMinutes(20))
            .Reads("dealId", "requestedDate", "deliveryDate")
            .Writes(Field.DateTime("requestedDate"), Field.Number("discountPercent", minimum: 0, maximum: 100));
        var dealLost = p.End("dealLost", "Deal lost").Outcome("DealLost");

        // 7. A discount above 10% needs the head of sales, who may not be the manager who asked.
        var discountCheck = p.Decision("discountCheck", "Discount above 10%?");
        var approveDiscount = p.HumanTask("approveDiscount", "Approve the discount", headOfSales)
            .SeparateFrom(qualifyLead, renegotiate)
            .WorkTime(TimeSpan.FromMinutes(10))
            .Reads("dealId", "dealAmount", "discountPercent");

        // 8-9. Fulfilment, then the client's rating: by message, or asked by the manager.
        var waitDelivered = p.WaitMessage("waitDelivered", "Wait for the delivery", "delivered")
            .Role(dispatcher)
            .CorrelatedBy("dealId")
            .Writes(Field.DateTime("deliveredAt"));
        var ratingChoice = p.EventChoice("ratingChoice", "Rating received or asked for");
        var waitRating = p.WaitMessage("waitRating", "Wait for the client's rating", "rating.received")
            .CorrelatedBy("dealId")
            .Writes(Field.Number("rating", required: true, minimum: 1, maximum: 5));
        var ratingOverdue = p.Timer("ratingOverdue", "Three days without a rating", TimeSpan.FromDays(3));
        var askRating = p.HumanTask("askRating", "Ask the client for a rating", manager)
            .RetainFamiliar(qualifyLead)
            .WorkTime(TimeSpan.FromMinutes(5))
            .Writes(Field.Number("rating", required: true, minimum: 1, maximum: 5));
        var dealWon = p.End("dealWon", "Deal won").Outcome("DealWon");

        registerLead.Then(reviewLead);
        reviewLead.Then(existingClient);
        existingClient
            .When("clientExists", convertToDeal, label: "existing client")
            .Otherwise(qualifyLead, label: "new client");
        convertToDeal.Then(assignDispatcher);
        qualifyLead
            .On("qualified", createDeal)
            .On("notInterested", leadLost, PathKind.Alternate, "not interested")
            .On("dataMissing", contactClient, PathKind.Alternate, "data missing");
        createDeal.Then(assignDispatcher);
        contactClient.Then(waitReply);
        waitReply
            .Then(qualifyLead, PathKind.Rework, "reply received")
            .Timeout(TimeSpan.FromDays(2), leadLost, PathKind.Exception);
        assignDispatcher.Then(checkFeasibility);
        checkFeasibility
            .On("feasible", discountCheck)
            .On("dateNotFeasible", tellManager, PathKind.Alternate, "cannot meet the date");
        tellManager.Then(renegotiate, PathKind.Alternate);
        renegotiate
            .On("agreed", checkFeasibility, PathKind.Rework, "new date or terms agreed")
            .On("refused", dealLost, PathKind.Alternate, "client refused");
        discountCheck
            .When("discountPercent > 10", approveDiscount, label: "discount > 10%")
            .Otherwise(waitDelivered);
        approveDiscount
            .On("approved", waitDelivered)
            .On("rejected", renegotiate, PathKind.Rework, "discount rejected");
        waitDelivered.Then(ratingChoice);
        ratingChoice
            .WaitFor(waitRating, label: "rating received")
            .WaitFor(ratingOverdue, PathKind.Alternate, "no rating in 3 days");
        waitRating.Then(dealWon);
        ratingOverdue.Then(askRating, PathKind.Alternate);
        askRating.Then(dealWon, PathKind.Alternate);

        return p;
    }
}
