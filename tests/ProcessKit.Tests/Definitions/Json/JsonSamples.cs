using ProcessKit.Definitions;

namespace ProcessKit.Tests.Definitions.Json;

/// <summary>A document using every property of the format, and the definition it stands for.</summary>
internal static class JsonSamples
{
    public const string EveryProperty = """
        {
          "$schema": "https://processkit.dev/schemas/processkit.schema.json",
          "id": "sales.lead",
          "version": 3,
          "name": "From a lead to a deal",
          "description": "Every contact becomes a lead.",
          "kind": "Supporting",
          "category": "Sales",
          "goal": "A reaction within 15 minutes.",
          "ownerRole": "head",
          "suppliers": [
            {
              "id": "client", "name": "Client", "description": "Calls or writes.",
              "inputs": [
                { "name": "amount", "type": "Number", "required": true, "description": "Deal size.", "minimum": 0, "maximum": 1000000.5 },
                { "name": "email", "type": "String" },
                { "name": "dueAt", "type": "DateTime" },
                { "name": "items", "type": "List" }
              ]
            }
          ],
          "clients": [
            { "id": "company", "name": "Company", "description": "Earns the revenue.", "outputs": [{ "name": "rating", "type": "Number", "minimum": 1, "maximum": 5 }] }
          ],
          "roles": [
            { "id": "operator", "name": "Operator", "description": "Contact centre.", "hourlyCost": 350.5 },
            { "id": "head", "name": "Head of sales" }
          ],
          "start": "review",
          "steps": [
            {
              "id": "review", "name": "Review the lead", "kind": "HumanTask", "description": "Look at it.", "role": "operator",
              "workTime": "PT5M", "fixedCost": 2.5,
              "outcomes": ["existing", "new"], "reads": ["amount"], "writes": [{ "name": "note", "type": "String" }],
              "goalTime": "PT10M", "deadline": { "after": "PT15M" },
              "escalations": [
                { "action": "NotifyRole", "at": { "after": "PT15M" }, "role": "head", "message": "Late lead" },
                { "action": "TakePath", "at": { "at": "addHours(dueAt, 1)" }, "to": "register", "interrupting": true, "path": "Alternate" },
                { "action": "Reassign", "role": "head" },
                { "action": "Remind" }
              ],
              "allocation": { "strategy": "Expression", "assignee": "email", "separateFrom": ["register"], "retainFamiliar": "register" },
              "multiInstance": { "collection": "items", "itemName": "item", "mode": "Sequential", "requiredCompletions": 2 },
              "next": [
                { "to": "register", "outcome": "existing", "label": "Known client", "path": "Alternate" },
                { "to": "decide", "outcome": "new" }
              ]
            },
            {
              "id": "register", "name": "Register", "kind": "Automated", "handler": "registerLead", "asynchronous": true,
              "retry": { "maxAttempts": 5, "delay": "PT2S", "backoffMultiplier": 1.5, "maxDelay": "PT1M" },
              "timeout": "PT30S", "reads": ["email"], "writes": [{ "name": "dealId", "type": "String", "required": true }],
              "multiInstance": { "collection": "items", "itemName": "line" },
              "next": [{ "to": "decide" }]
            },
            {
              "id": "decide", "name": "Big deal?", "kind": "Decision",
              "next": [{ "to": "split", "when": "amount > 100" }, { "to": "either", "default": true }]
            },
            { "id": "split", "name": "Both", "kind": "ParallelSplit", "next": [{ "to": "tell" }, { "to": "call" }] },
            { "id": "tell", "name": "Tell the head", "kind": "Notification", "role": "head", "message": "A big deal", "next": [{ "to": "join" }] },
            {
              "id": "call", "name": "Call", "kind": "SubProcess", "process": "calls.outbound", "version": 2,
              "inputs": [{ "target": "phone", "value": "email" }], "outputs": [{ "target": "callResult", "value": "amount" }],
              "multiInstance": { "collection": "items", "itemName": "item", "mode": "Parallel" },
              "next": [{ "to": "join" }]
            },
            { "id": "join", "name": "Joined", "kind": "ParallelJoin", "split": "split", "next": [{ "to": "either" }] },
            { "id": "either", "name": "Some", "kind": "InclusiveSplit", "next": [{ "to": "first", "when": "amount > 10" }, { "to": "pause", "default": true }] },
            { "id": "first", "name": "First event", "kind": "EventChoice", "next": [{ "to": "reply" }, { "to": "remindLater" }] },
            {
              "id": "reply", "name": "Client reply", "kind": "WaitMessage", "message": "client.reply", "correlation": "dealId",
              "writes": [{ "name": "answer", "type": "Object" }],
              "timeout": { "after": { "after": "P2D" }, "to": "lost", "path": "Alternate" },
              "escalations": [{ "action": "Remind", "at": { "after": "P1D" } }],
              "next": [{ "to": "merge" }]
            },
            { "id": "remindLater", "name": "Later", "kind": "Timer", "wait": { "at": "addDays(dueAt, 1)" }, "next": [{ "to": "merge" }] },
            { "id": "pause", "name": "Pause", "kind": "Timer", "wait": { "after": "PT1H30M" }, "next": [{ "to": "merge" }] },
            { "id": "merge", "name": "Merged", "kind": "InclusiveMerge", "split": "either", "next": [{ "to": "won" }] },
            { "id": "won", "name": "Deal won", "kind": "End", "outcome": "DealWon" },
            { "id": "lost", "name": "Lead lost", "kind": "End", "outcome": "LeadLost", "terminate": true }
          ],
          "deadlines": [
            {
              "id": "reaction", "from": "review", "until": "register", "within": { "after": "PT15M" }, "goalTime": "PT5M",
              "escalations": [{ "action": "NotifyRole", "role": "head" }]
            },
            { "id": "whole", "from": "review", "within": { "at": "addDays(dueAt, 30)" } }
          ],
          "targets": { "cycleTime": "P7D", "costPerInstance": 120, "satisfaction": 4.5, "satisfactionField": "rating" },
          "triggers": [{ "kind": "Manual" }, { "kind": "Message", "message": "contact.received" }, { "kind": "Timer", "every": "P1D" }]
        }
        """;

    public static ProcessDefinition EveryPropertyDefinition { get; } = new("sales.lead", "From a lead to a deal")
    {
        Version = 3,
        Description = "Every contact becomes a lead.",
        Kind = ProcessKind.Supporting,
        Category = "Sales",
        Goal = "A reaction within 15 minutes.",
        OwnerRole = "head",
        Suppliers =
        [
            new Supplier("client", "Client")
            {
                Description = "Calls or writes.",
                Inputs =
                [
                    new DataField("amount", DataType.Number) { Required = true, Description = "Deal size.", Minimum = 0m, Maximum = 1_000_000.5m },
                    new DataField("email", DataType.String),
                    new DataField("dueAt", DataType.DateTime),
                    new DataField("items", DataType.List),
                ],
            },
        ],
        Clients = [new Client("company", "Company") { Description = "Earns the revenue.", Outputs = [new DataField("rating", DataType.Number) { Minimum = 1m, Maximum = 5m }] }],
        Roles = [new RoleDefinition("operator", "Operator") { Description = "Contact centre.", HourlyCost = 350.5m }, new RoleDefinition("head", "Head of sales")],
        StartStep = "review",
        Steps =
        [
            new HumanTaskStep("review", "Review the lead")
            {
                Description = "Look at it.",
                Role = "operator",
                WorkTime = TimeSpan.FromMinutes(5),
                FixedCost = 2.5m,
                Outcomes = ["existing", "new"],
                Reads = ["amount"],
                Writes = [new DataField("note", DataType.String)],
                GoalTime = TimeSpan.FromMinutes(10),
                Deadline = DueTime.In(TimeSpan.FromMinutes(15)),
                Escalations =
                [
                    new Escalation(EscalationAction.NotifyRole) { At = DueTime.In(TimeSpan.FromMinutes(15)), Role = "head", Message = "Late lead" },
                    new Escalation(EscalationAction.TakePath) { At = DueTime.AtExpression("addHours(dueAt, 1)"), To = "register", Interrupting = true, Path = PathKind.Alternate },
                    new Escalation(EscalationAction.Reassign) { Role = "head" },
                    new Escalation(EscalationAction.Remind),
                ],
                Allocation = new Allocation { Strategy = AllocationStrategy.Expression, Assignee = "email", SeparateFrom = ["register"], RetainFamiliar = "register" },
                MultiInstance = new MultiInstance("items", "item") { Mode = MultiInstanceMode.Sequential, RequiredCompletions = 2 },
                Flows =
                [
                    new FlowDefinition("register") { Outcome = "existing", Label = "Known client", Path = PathKind.Alternate },
                    new FlowDefinition("decide") { Outcome = "new" },
                ],
            },
            new AutomatedStep("register", "Register", "registerLead")
            {
                Asynchronous = true,
                Retry = new RetryPolicy { MaxAttempts = 5, Delay = TimeSpan.FromSeconds(2), BackoffMultiplier = 1.5, MaxDelay = TimeSpan.FromMinutes(1) },
                Timeout = TimeSpan.FromSeconds(30),
                Reads = ["email"],
                Writes = [new DataField("dealId", DataType.String) { Required = true }],
                MultiInstance = new MultiInstance("items", "line"),
                Flows = [new FlowDefinition("decide")],
            },
            new DecisionStep("decide", "Big deal?") { Flows = [new FlowDefinition("split") { When = "amount > 100" }, new FlowDefinition("either") { IsDefault = true }] },
            new ParallelSplitStep("split", "Both") { Flows = [new FlowDefinition("tell"), new FlowDefinition("call")] },
            new NotificationStep("tell", "Tell the head") { Role = "head", Message = "A big deal", Flows = [new FlowDefinition("join")] },
            new SubProcessStep("call", "Call", "calls.outbound")
            {
                Version = 2,
                Inputs = [new DataMapping("phone", "email")],
                Outputs = [new DataMapping("callResult", "amount")],
                MultiInstance = new MultiInstance("items", "item"),
                Flows = [new FlowDefinition("join")],
            },
            new ParallelJoinStep("join", "Joined", "split") { Flows = [new FlowDefinition("either")] },
            new InclusiveSplitStep("either", "Some") { Flows = [new FlowDefinition("first") { When = "amount > 10" }, new FlowDefinition("pause") { IsDefault = true }] },
            new EventChoiceStep("first", "First event") { Flows = [new FlowDefinition("reply"), new FlowDefinition("remindLater")] },
            new WaitMessageStep("reply", "Client reply", "client.reply")
            {
                Correlation = "dealId",
                Writes = [new DataField("answer", DataType.Object)],
                Timeout = new MessageTimeout(DueTime.In(TimeSpan.FromDays(2)), "lost") { Path = PathKind.Alternate },
                Escalations = [new Escalation(EscalationAction.Remind) { At = DueTime.In(TimeSpan.FromDays(1)) }],
                Flows = [new FlowDefinition("merge")],
            },
            new TimerStep("remindLater", "Later", DueTime.AtExpression("addDays(dueAt, 1)")) { Flows = [new FlowDefinition("merge")] },
            new TimerStep("pause", "Pause", DueTime.In(TimeSpan.FromMinutes(90))) { Flows = [new FlowDefinition("merge")] },
            new InclusiveMergeStep("merge", "Merged", "either") { Flows = [new FlowDefinition("won")] },
            new EndStep("won", "Deal won") { Outcome = "DealWon" },
            new EndStep("lost", "Lead lost") { Outcome = "LeadLost", Terminate = true },
        ],
        Deadlines =
        [
            new DeadlineDefinition("reaction", "review", DueTime.In(TimeSpan.FromMinutes(15)))
            {
                Until = "register",
                GoalTime = TimeSpan.FromMinutes(5),
                Escalations = [new Escalation(EscalationAction.NotifyRole) { Role = "head" }],
            },
            new DeadlineDefinition("whole", "review", DueTime.AtExpression("addDays(dueAt, 30)")),
        ],
        Targets = new ProcessTargets { CycleTime = TimeSpan.FromDays(7), CostPerInstance = 120m, Satisfaction = 4.5m, SatisfactionField = "rating" },
        Triggers = [TriggerDefinition.Manual, TriggerDefinition.OnMessage("contact.received"), TriggerDefinition.Every(TimeSpan.FromDays(1))],
    };
}
