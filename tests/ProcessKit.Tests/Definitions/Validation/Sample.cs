using ProcessKit.Definitions;

namespace ProcessKit.Tests.Definitions.Validation;

/// <summary>Small definitions for validator tests: a valid cafe process, and helpers for one-rule variations.</summary>
internal static class Sample
{
    public static FlowDefinition To(string step) => new(step);

    public static HumanTaskStep Task(string id, string next, string role = "Clerk") =>
        new(id, id) { Role = role, Flows = [To(next)] };

    public static AutomatedStep Auto(string id, string next) => new(id, id, "Handler") { Flows = [To(next)] };

    public static EndStep End(string id = "end") => new(id, id);

    /// <summary>A process with one role (Clerk), inputs amount (Number) and email (String), and the given steps.</summary>
    public static ProcessDefinition Process(params StepDefinition[] steps) => new("sample", "Sample")
    {
        Suppliers = [new Supplier("customer", "Customer") { Inputs = [new DataField("amount", DataType.Number), new DataField("email", DataType.String)] }],
        Roles = [new RoleDefinition("Clerk", "Clerk")],
        Steps = [.. steps],
    };

    /// <summary>The cafe: every kind of step but sub-process and event choice, a deadline, targets, a trigger.</summary>
    public static ProcessDefinition Cafe() => new("cafe.serve-guest", "Serving a guest")
    {
        Kind = ProcessKind.Core,
        Category = "Cafe",
        Goal = "The guest is served within 30 minutes and leaves satisfied.",
        OwnerRole = "Manager",
        Suppliers = [new Supplier("guest", "Guest") { Inputs = [new DataField("table", DataType.Number) { Required = true, Minimum = 1, Maximum = 40 }] }],
        Clients = [new Client("guest", "Guest") { Outputs = [new DataField("rating", DataType.Number) { Minimum = 1, Maximum = 5 }] }],
        Roles =
        [
            new RoleDefinition("Host", "Host") { HourlyCost = 300 },
            new RoleDefinition("Waiter", "Waiter") { HourlyCost = 350 },
            new RoleDefinition("Cook", "Cook") { HourlyCost = 450 },
            new RoleDefinition("Cashier", "Cashier") { HourlyCost = 300 },
            new RoleDefinition("Manager", "Manager") { HourlyCost = 600 },
        ],
        Steps =
        [
            new HumanTaskStep("seat", "Greet and seat the guest") { Role = "Host", WorkTime = TimeSpan.FromMinutes(2), Flows = [To("register")] },
            new AutomatedStep("register", "Register the guest", "RegisterGuest")
            {
                Retry = new RetryPolicy { MaxAttempts = 5, Delay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromMinutes(1) },
                Timeout = TimeSpan.FromSeconds(30),
                Reads = ["table"],
                Writes = [new DataField("guestId", DataType.String)],
                Flows = [To("order")],
            },
            new HumanTaskStep("order", "Take the order")
            {
                Role = "Waiter",
                Outcomes = ["ordered", "unavailable"],
                Writes = [new DataField("dishes", DataType.List)],
                GoalTime = TimeSpan.FromMinutes(5),
                Deadline = DueTime.In(TimeSpan.FromMinutes(10)),
                Escalations = [new Escalation(EscalationAction.Remind) { At = DueTime.In(TimeSpan.FromMinutes(8)) }],
                Flows = [To("split") with { Outcome = "ordered" }, To("order") with { Outcome = "unavailable", Path = PathKind.Rework }],
            },
            new ParallelSplitStep("split", "Prepare") { Flows = [To("cook"), To("drinks")] },
            new HumanTaskStep("cook", "Prepare a dish")
            {
                Role = "Cook",
                FixedCost = 4.5m,
                MultiInstance = new MultiInstance("dishes", "dish"),
                Allocation = new Allocation { Strategy = AllocationStrategy.Expression, Assignee = "dish.cook" },
                Flows = [To("join")],
            },
            new HumanTaskStep("drinks", "Prepare the drinks")
            {
                Role = "Waiter",
                Allocation = new Allocation { SeparateFrom = ["cook"], RetainFamiliar = "order" },
                Flows = [To("join")],
            },
            new ParallelJoinStep("join", "Ready", "split") { Flows = [To("serve")] },
            new HumanTaskStep("serve", "Serve") { Role = "Waiter", Flows = [To("eat")] },
            new TimerStep("eat", "The guest eats", DueTime.In(TimeSpan.FromMinutes(20))) { Flows = [To("bill")] },
            new HumanTaskStep("bill", "Bill and payment")
            {
                Role = "Cashier",
                Outcomes = ["card", "cash"],
                Writes = [new DataField("amount", DataType.Number) { Minimum = 0 }],
                Flows = [To("rate")],
            },
            new WaitMessageStep("rate", "The guest rates", "guest.rated")
            {
                Correlation = "guestId",
                Writes = [new DataField("comment", DataType.String)],
                Timeout = new MessageTimeout(DueTime.In(TimeSpan.FromMinutes(10)), "done"),
                Flows = [To("check")],
            },
            new DecisionStep("check", "Satisfied?")
            {
                Flows = [To("done") with { When = "rating >= 4 || isEmpty(comment)" }, To("apologize") with { IsDefault = true, Path = PathKind.Alternate }],
            },
            new NotificationStep("apologize", "Tell the manager") { Role = "Manager", Message = "A guest was not satisfied.", Flows = [To("done")] },
            new EndStep("done", "Guest served") { Outcome = "Served" },
        ],
        Deadlines =
        [
            new DeadlineDefinition("serving", "order", DueTime.In(TimeSpan.FromMinutes(25)))
            {
                Until = "serve",
                GoalTime = TimeSpan.FromMinutes(20),
                Escalations = [new Escalation(EscalationAction.NotifyRole) { Role = "Manager", Message = "Offer a free dessert." }],
            },
        ],
        Targets = new ProcessTargets { CycleTime = TimeSpan.FromHours(1), CostPerInstance = 20, Satisfaction = 4.5m, SatisfactionField = "rating" },
        Triggers = [TriggerDefinition.Manual],
    };
}
