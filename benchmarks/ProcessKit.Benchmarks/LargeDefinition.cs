using ProcessKit.Definitions;

namespace ProcessKit.Benchmarks;

/// <summary>Builds a valid definition of a given size that uses most step kinds, for load benchmarks.</summary>
internal static class LargeDefinition
{
    public static ProcessDefinition Create(int approximateSteps)
    {
        var steps = new List<StepDefinition>();
        var roles = new[] { new RoleDefinition("clerk", "Clerk") { HourlyCost = 300 }, new RoleDefinition("lead", "Team lead") { HourlyCost = 600 } };
        var block = 0;
        string Id(string kind, int n) => $"{kind}{n}";
        while (steps.Count < approximateSteps - 1)
        {
            var n = block++;
            var next = $"auto{n + 1}";
            steps.Add(new AutomatedStep(Id("auto", n), $"Compute {n}", "compute")
            {
                Writes = [new DataField($"amount{n}", DataType.Number)],
                Flows = [new FlowDefinition(Id("review", n))],
            });
            steps.Add(new HumanTaskStep(Id("review", n), $"Review {n}")
            {
                Role = "clerk",
                WorkTime = TimeSpan.FromMinutes(5),
                Outcomes = ["approve", "reject"],
                Writes = [new DataField($"comment{n}", DataType.String)],
                Deadline = DueTime.In(TimeSpan.FromHours(4)),
                Escalations = [new Escalation(EscalationAction.NotifyRole) { Role = "lead" }],
                Flows = [new FlowDefinition(Id("check", n)) { Outcome = "approve" }, new FlowDefinition(Id("check", n)) { Outcome = "reject", Path = PathKind.Alternate }],
            });
            steps.Add(new DecisionStep(Id("check", n), $"Large amount {n}?")
            {
                Flows =
                [
                    new FlowDefinition(Id("split", n)) { When = $"amount{n} > 1000 && !isEmpty(comment{n})", Label = "large" },
                    new FlowDefinition(Id("split", n)) { IsDefault = true, Label = "small" },
                ],
            });
            steps.Add(new ParallelSplitStep(Id("split", n), $"Split {n}") { Flows = [new FlowDefinition(Id("left", n)), new FlowDefinition(Id("right", n))] });
            steps.Add(new NotificationStep(Id("left", n), $"Tell the lead {n}") { Role = "lead", Flows = [new FlowDefinition(Id("join", n))] });
            steps.Add(new TimerStep(Id("right", n), $"Cool down {n}", DueTime.In(TimeSpan.FromMinutes(10))) { Flows = [new FlowDefinition(Id("join", n))] });
            steps.Add(new ParallelJoinStep(Id("join", n), $"Join {n}", Id("split", n)) { Flows = [new FlowDefinition(Id("wait", n))] });
            steps.Add(new WaitMessageStep(Id("wait", n), $"Wait for confirmation {n}", "confirmed")
            {
                Correlation = "caseId",
                Timeout = new MessageTimeout(DueTime.In(TimeSpan.FromDays(2)), "timedOut"),
                Flows = [new FlowDefinition(next)],
            });
        }

        // The last block's "next" is the end.
        var last = steps[^1];
        steps[^1] = last with { Flows = [new FlowDefinition("done")] };
        steps.Add(new EndStep("timedOut", "Timed out") { Outcome = "TimedOut" });
        steps.Add(new EndStep("done", "Done") { Outcome = "Done" });

        return new ProcessDefinition("bench.large", "A large process")
        {
            Category = "Benchmarks",
            Suppliers = [new Supplier("client", "Client") { Inputs = [new DataField("caseId", DataType.String) { Required = true }] }],
            Roles = [.. roles],
            Steps = [.. steps],
        };
    }
}
