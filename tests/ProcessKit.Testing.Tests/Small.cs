using ProcessKit.Definitions;

namespace ProcessKit.Testing.Tests;

/// <summary>Small definitions for the harness's own tests.</summary>
internal static class Small
{
    /// <summary>review (clerk, deadline 1 h with a reminder) → enrich (handler) → approve (boss: ok | no) → done / rejected.</summary>
    public static ProcessDefinition Review()
    {
        var p = ProcessBuilder.Create("review", "Review");
        p.Supplier("s", "S").Inputs(Field.String("caseId", required: true), Field.Number("amount"));
        var clerk = p.Role("clerk", "Clerk").HourlyCost(60);
        var boss = p.Role("boss", "Boss");
        var review = p.HumanTask("review", "Review", clerk).Writes(Field.String("note")).Deadline(TimeSpan.FromHours(1)).OnLateRemind();
        var enrich = p.Automated("enrich", "Enrich", "enrich").Writes(Field.String("score"));
        var approve = p.HumanTask("approve", "Approve", boss);
        var done = p.End("done", "Done").Outcome("Approved");
        var rejected = p.End("rejected", "Rejected").Outcome("Rejected");
        review.Then(enrich);
        enrich.Then(approve);
        approve.On("ok", done).On("no", rejected, PathKind.Alternate);
        return p.Build();
    }

    /// <summary>wait for 'paid' by caseId (timeout 2 d → lost, reminder after 1 d) → done; and a 30-minute timer before it.</summary>
    public static ProcessDefinition Payment()
    {
        var p = ProcessBuilder.Create("payment", "Payment");
        p.Supplier("s", "S").Inputs(Field.String("caseId", required: true));
        var cool = p.Timer("cool", "Cool down", TimeSpan.FromMinutes(30));
        var wait = p.WaitMessage("waitPaid", "Wait for the payment", "paid").CorrelatedBy("caseId").Writes(Field.Number("paidAmount"));
        var lost = p.End("lost", "Lost").Outcome("Unpaid");
        var done = p.End("done", "Done").Outcome("Paid");
        cool.Then(wait);
        wait.Then(done).Timeout(TimeSpan.FromDays(2), lost).OnLateRemind(TimeSpan.FromDays(1));
        return p.Build();
    }

    public static Dictionary<string, object?> Case(string id) => new() { ["caseId"] = id };
}
