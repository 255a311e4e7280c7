using ProcessKit.Definitions;

namespace ProcessKit.Tests.Generators;

/// <summary>
/// Builds one valid process definition from a seed, following every rule of the semantic
/// validator: ids and field names in their forms and unique; every step reachable from the start
/// and reaching an End; each kind with the flows it allows (decisions with one default, splits
/// named by exactly one join that every branch reaches, human tasks with a declared role and every
/// outcome routed, event choices leading to waits, timers and tasks); declared roles; expressions
/// over declared fields and known functions only; positive durations; no loop of steps that never wait.
/// </summary>
/// <remarks>
/// The process is a chain of blocks built from the End backwards, so each block knows the entry of
/// the block after it. Blocks: a human task, an automated step, a decision, a parallel or inclusive
/// split with its join, an event choice, a message wait, a timer, a notification, a sub-process.
/// </remarks>
internal sealed class ValidDefinitionFactory
{
    private static readonly string[] Names =
    [
        "Greet and seat the guest", "Take the order", "Café «menu» — spécial", "Quote \" and backslash \\",
        "Tab\tand\nnew line", "日本語の名前", "Dish 🍽️ served", "<b>bold</b> & co", "  spaced  ", "x",
    ];

    private static readonly string[] Conditions =
    [
        "amount > 100", "amount >= 10 && amount < 50", "vip", "count(items) > 2", "isEmpty(email)", "rating >= 4 || vip",
    ];

    private static readonly string[] DateTimes = ["dueAt", "addHours(dueAt, 2)", "addDays(now(), 1)", "addMinutes(dueAt, 30)"];

    private readonly Random _random;
    private readonly int _blocks;
    private readonly List<StepDefinition> _steps = [];
    private readonly List<string> _roles = [];
    private int _counter;

    public ValidDefinitionFactory(int seed, int blocks)
    {
        // Not for security: a seeded generator makes FsCheck's replays exact.
#pragma warning disable CA5394
        _random = new Random(seed);
#pragma warning restore CA5394
        _blocks = blocks;
    }

    public ProcessDefinition Create()
    {
        var roleCount = Next(1, 4);
        var roles = new List<RoleDefinition>();
        for (var i = 0; i < roleCount; i++)
        {
            var id = Pick("Operator", "Manager", "Cook", "Head_of-sales") + i;
            _roles.Add(id);
            roles.Add(new RoleDefinition(id, Name()) { Description = Maybe(Name()), HourlyCost = Chance() ? Money() : 0m });
        }

        var end = new EndStep(Id("done"), Name()) { Outcome = Maybe("Served"), Terminate = Chance(), Description = Maybe(Name()) };
        _steps.Add(end);
        var next = end.Id;
        var blocks = new List<List<StepDefinition>>();
        for (var b = 0; b < _blocks; b++)
        {
            var before = _steps.Count;
            next = Block(next);
            blocks.Add(_steps.GetRange(before, _steps.Count - before));
        }

        // Blocks were built backwards: list them from the start, the main End last or first.
        blocks.Reverse();
        var ordered = blocks.SelectMany(static b => b).ToList();
        var endFirst = Chance(4);
        if (endFirst)
        {
            ordered.Insert(0, end);
        }
        else
        {
            ordered.Add(end);
        }

        // The extra ends (alternate paths) were added to _steps with their blocks.
        var startId = next;
        var stepIds = ordered.Select(static s => s.Id).ToList();

        return new ProcessDefinition(Pick("cafe.serve-guest", "sales.lead", "claims_v2", "P"), Name())
        {
            Version = Next(1, 1000),
            Description = Maybe(Name()),
            Kind = Enum<ProcessKind>(),
            Category = Maybe(Pick("Sales", "Cafe", "Claims")),
            Goal = Maybe("The guest is served within 30 minutes and leaves satisfied."),
            OwnerRole = Maybe(_roles[0]),
            Suppliers =
            [
                new Supplier(Id("guest"), Name())
                {
                    Description = Maybe(Name()),
                    Inputs =
                    [
                        new DataField("amount", DataType.Number) { Required = Chance(), Minimum = Maybe<decimal>(0m), Maximum = Maybe<decimal>(1_000_000.5m) },
                        new DataField("email", DataType.String) { Description = Maybe("Where to write to.") },
                        new DataField("dueAt", DataType.DateTime),
                        new DataField("items", DataType.List),
                        new DataField("vip", DataType.Boolean),
                        new DataField("wait_for", DataType.Duration),
                        new DataField("extra", DataType.Object),
                    ],
                },
            ],
            Clients = [new Client(Id("client"), Name()) { Description = Maybe(Name()), Outputs = [new DataField("rating", DataType.Number) { Minimum = 1, Maximum = 5 }] }],
            Roles = [.. roles],
            // Leave the start implicit only where the first listed step is the start.
            StartStep = ordered[0].Id == startId && Chance() ? null : startId,
            Steps = [.. ordered],
            Deadlines = Chance() ? [Deadline(stepIds)] : [],
            Targets = Chance()
                ? new ProcessTargets { CycleTime = MaybeDuration(), CostPerInstance = Maybe<decimal>(Money()), Satisfaction = Maybe<decimal>(4.5m), SatisfactionField = Maybe("rating") }
                : null,
            Triggers = Triggers(),
        };
    }

    private string Block(string next) => Next(0, 10) switch
    {
        0 => HumanTask(next, topLevel: true),
        1 => Automated(next),
        2 => Decision(next),
        3 => ParallelSplit(next),
        4 => InclusiveSplit(next),
        5 => EventChoice(next),
        6 => WaitMessage(next),
        7 => Timer(next),
        8 => Notification(next),
        _ => SubProcess(next),
    };

    private string HumanTask(string next, bool topLevel)
    {
        var id = Id("task");
        var flows = new List<FlowDefinition>();
        var outcomes = new List<string>();
        switch (topLevel ? Next(0, 4) : 0)
        {
            case 0:
                flows.Add(Flow(next));
                break;
            case 1:
                outcomes.AddRange(["approve", "reject"]);
                flows.Add(Flow(next) with { Outcome = "approve" });
                flows.Add(new FlowDefinition(ExtraEnd()) { Outcome = "reject", Path = PathKind.Alternate, Label = Maybe("Rejected") });
                break;
            case 2:
                // One named route and a catch-all flow without outcome.
                outcomes.AddRange(["cash", "card"]);
                flows.Add(new FlowDefinition(ExtraEnd()) { Outcome = "cash" });
                flows.Add(Flow(next));
                break;
            default:
                // A rework loop: the task can send itself back (it waits, so the loop is fine).
                outcomes.AddRange(["done", "redo"]);
                flows.Add(Flow(next) with { Outcome = "done" });
                flows.Add(new FlowDefinition(id) { Outcome = "redo", Path = PathKind.Rework });
                break;
        }

        var strategy = Enum<AllocationStrategy>();
        var earlier = _steps.Select(static s => s.Id).ToList();
        var step = new HumanTaskStep(id, Name())
        {
            Role = Role(),
            Outcomes = [.. outcomes],
            Reads = Chance() ? ["amount", "email"] : [],
            Writes = Chance() ? Fields() : [],
            GoalTime = MaybeDuration(),
            Deadline = Chance() ? Due() : null,
            Escalations = Chance() ? [.. Escalations(next)] : [],
            Allocation = Chance()
                ? new Allocation
                {
                    Strategy = strategy,
                    Assignee = strategy == AllocationStrategy.Expression ? ProcessExpression.FromText("email") : null,
                    SeparateFrom = Chance() && earlier.Count > 0 ? [earlier[Next(0, earlier.Count)]] : [],
                    RetainFamiliar = Chance() && earlier.Count > 0 ? earlier[Next(0, earlier.Count)] : null,
                }
                : new Allocation(),
            MultiInstance = Chance(4) ? Loop() : null,
            Flows = [.. flows],
        };
        Add(Common(step));
        return id;
    }

    private string Automated(string next)
    {
        var step = new AutomatedStep(Id("auto"), Name(), Pick("registerLead", "orders.send", "Handler_1"))
        {
            Asynchronous = Chance(),
            Retry = Chance() ? Retry() : null,
            Timeout = MaybeDuration(),
            Reads = Chance() ? ["items"] : [],
            Writes = Chance() ? Fields() : [],
            MultiInstance = Chance(4) ? Loop() : null,
            Flows = [Flow(next)],
        };
        Add(Common(step));
        return step.Id;
    }

    private string Decision(string next)
    {
        var id = Id("decide");
        var flows = new List<FlowDefinition>();
        var branches = Next(1, 3);
        for (var i = 0; i < branches; i++)
        {
            var target = Chance(3) ? ExtraEnd() : Notification(next);
            flows.Add(new FlowDefinition(target) { When = Pick(Conditions), Label = Maybe(Name()), Path = Enum<PathKind>() });
        }

        var byDefault = new FlowDefinition(next) { IsDefault = true, Label = Maybe("otherwise") };
        flows.Insert(Chance(4) ? 0 : flows.Count, byDefault);
        Add(Common(new DecisionStep(id, Name()) { Flows = [.. flows] }));
        return id;
    }

    private string ParallelSplit(string next)
    {
        var splitId = Id("split");
        var join = new ParallelJoinStep(Id("join"), Name(), splitId) { Flows = [Flow(next)] };
        Add(Common(join));
        var branches = Enumerable.Range(0, Next(2, 4)).Select(_ => Branch(join.Id)).ToList();
        Add(Common(new ParallelSplitStep(splitId, Name()) { Flows = [.. branches.Select(static b => new FlowDefinition(b))] }));
        return splitId;
    }

    private string InclusiveSplit(string next)
    {
        var splitId = Id("inclusive");
        var merge = new InclusiveMergeStep(Id("merge"), Name(), splitId) { Flows = [Flow(next)] };
        Add(Common(merge));
        var count = Next(2, 4);
        var withDefault = Chance();
        var flows = new List<FlowDefinition>();
        for (var i = 0; i < count; i++)
        {
            var branch = Branch(merge.Id);
            flows.Add(withDefault && i == count - 1
                ? new FlowDefinition(branch) { IsDefault = true }
                : new FlowDefinition(branch) { When = Pick(Conditions) });
        }

        Add(Common(new InclusiveSplitStep(splitId, Name()) { Flows = [.. flows] }));
        return splitId;
    }

    private string EventChoice(string next)
    {
        var targets = new List<string>();
        var count = Next(2, 4);
        for (var i = 0; i < count; i++)
        {
            targets.Add((i % 3) switch
            {
                0 => WaitMessage(next),
                1 => Timer(next),
                _ => HumanTask(next, topLevel: false),
            });
        }

        var id = Id("first");
        Add(Common(new EventChoiceStep(id, Name()) { Flows = [.. targets.Select(static t => new FlowDefinition(t))] }));
        return id;
    }

    private string WaitMessage(string next)
    {
        var step = new WaitMessageStep(Id("wait"), Name(), Pick("delivered", "client.reply", "payment-received"))
        {
            Correlation = Chance() ? Pick<ProcessExpression>("email", "amount") : null,
            Writes = Chance() ? Fields() : [],
            Timeout = Chance()
                ? new MessageTimeout(Due(), Chance() ? ExtraEnd() : next) { Path = Enum<PathKind>() }
                : null,
            Escalations = Chance()
                ? [new Escalation(EscalationAction.Remind) { At = DueTime.In(Duration()) }, new Escalation(EscalationAction.NotifyRole) { Role = Role(), Message = Maybe("Still waiting") }]
                : [],
            Flows = [Flow(next)],
        };
        Add(Common(step));
        return step.Id;
    }

    private string Timer(string next)
    {
        var step = new TimerStep(Id("timer"), Name(), Due()) { Flows = [Flow(next)] };
        Add(Common(step));
        return step.Id;
    }

    private string Notification(string next)
    {
        var step = new NotificationStep(Id("notify"), Name()) { Role = Role(), Message = Maybe(Name()), Flows = [Flow(next)] };
        Add(Common(step));
        return step.Id;
    }

    private string SubProcess(string next)
    {
        var step = new SubProcessStep(Id("sub"), Name(), Pick("billing.invoice", "Delivery", "shared-claims"))
        {
            Version = Chance() ? Next(1, 50) : null,
            Inputs = Chance() ? [new DataMapping("total", "amount * 2"), new DataMapping("contact", "email")] : [],
            Outputs = Chance() ? [new DataMapping("sub_result" + _counter, "amount")] : [],
            MultiInstance = Chance(4) ? Loop() : null,
            Flows = [Flow(next)],
        };
        Add(Common(step));
        return step.Id;
    }

    private string Branch(string join) => Next(0, 4) switch
    {
        0 => HumanTask(join, topLevel: false),
        1 => Automated(join),
        2 => Timer(join),
        _ => Notification(join),
    };

    private string ExtraEnd()
    {
        var end = new EndStep(Id("end"), Name()) { Outcome = Maybe(Pick("LeadLost", "Rejected", "Paid")), Terminate = Chance(4) };
        Add(end);
        return end.Id;
    }

    private IEnumerable<Escalation> Escalations(string next)
    {
        yield return new Escalation(EscalationAction.Remind) { At = Chance() ? DueTime.In(Duration()) : null, Message = Maybe(Name()) };
        if (Chance())
        {
            yield return new Escalation(EscalationAction.NotifyRole) { Role = Role(), At = Due(), Path = Enum<PathKind>() };
        }

        if (Chance())
        {
            yield return new Escalation(EscalationAction.Reassign) { Role = Role() };
        }

        if (Chance())
        {
            yield return new Escalation(EscalationAction.TakePath) { To = next, Interrupting = Chance(), Path = Enum<PathKind>() };
        }
    }

    private DeadlineDefinition Deadline(List<string> stepIds) =>
        new(Id("deadline"), stepIds[Next(0, stepIds.Count)], Due())
        {
            Until = Chance() ? stepIds[Next(0, stepIds.Count)] : null,
            GoalTime = MaybeDuration(),
            Escalations = Chance()
                ? [new Escalation(EscalationAction.NotifyRole) { Role = Role(), Message = "Late" }, new Escalation(EscalationAction.Remind)]
                : [],
        };

    private ValueArray<TriggerDefinition> Triggers()
    {
        var triggers = new List<TriggerDefinition>();
        if (Chance())
        {
            triggers.Add(TriggerDefinition.Manual);
        }

        if (Chance())
        {
            triggers.Add(TriggerDefinition.OnMessage(Pick("contact.received", "order placed")));
        }

        if (Chance())
        {
            triggers.Add(TriggerDefinition.Every(Duration()));
        }

        return [.. triggers];
    }

    private RetryPolicy Retry() => Next(0, 3) switch
    {
        // All defaults: written as an empty object.
        0 => new RetryPolicy(),
        1 => new RetryPolicy { MaxAttempts = Next(1, 10), Delay = Duration(), BackoffMultiplier = 1 + (_random.NextDouble() * 9), MaxDelay = MaybeDuration() },
        _ => new RetryPolicy { MaxAttempts = 5, BackoffMultiplier = Pick(1.0, 1.5, 3.25) },
    };

    private MultiInstance Loop() => new("items", Pick("item", "dish", "_line"))
    {
        Mode = Enum<MultiInstanceMode>(),
        RequiredCompletions = Chance() ? Next(1, 5) : null,
    };

    private ValueArray<DataField> Fields()
    {
        var count = Next(1, 4);
        var fields = new List<DataField>();
        for (var i = 0; i < count; i++)
        {
            var type = Enum<DataType>();
            var numeric = type == DataType.Number && Chance();
            fields.Add(new DataField($"{Pick("note", "Total", "_flag")}_{_counter}_{i}", type)
            {
                Required = Chance(),
                Description = Maybe(Name()),
                Minimum = numeric ? -10.25m : null,
                Maximum = numeric ? Money() : null,
            });
        }

        return [.. fields];
    }

    private DueTime Due() => Chance(3) ? DueTime.AtExpression(Pick(DateTimes)) : DueTime.In(Duration());

    private FlowDefinition Flow(string to) => new(to) { Label = Chance(4) ? Name() : null, Path = Chance(4) ? Enum<PathKind>() : PathKind.Happy };

    private T Common<T>(T step)
        where T : StepDefinition =>
        step with
        {
            Description = Maybe(Name()),
            Role = step is HumanTaskStep || step is NotificationStep || Chance(4) ? Role() : null,
            WorkTime = MaybeDuration(),
            FixedCost = Chance(3) ? Money() : null,
        };

    private void Add(StepDefinition step) => _steps.Add(step);

    private string Id(string prefix) => $"{prefix}{(Chance() ? "-" : "_")}{++_counter}";

    private string Role() => _roles[Next(0, _roles.Count)];

    private TimeSpan Duration() => Next(0, 4) switch
    {
        0 => TimeSpan.FromMinutes(Pick(1, 15, 25, 90)),
        1 => TimeSpan.FromDays(Next(1, 30)),
        2 => TimeSpan.FromMilliseconds(500),
        _ => TimeSpan.FromTicks(_random.NextInt64(1, TimeSpan.FromDays(400).Ticks)),
    };

    private TimeSpan? MaybeDuration() => Chance() ? Duration() : null;

    private decimal Money() => Next(0, 4) switch
    {
        0 => 0m,
        1 => 12.50m,
        2 => 99_999_999.9999m,
        _ => Next(0, 1_000_000) / 100m,
    };

    private string Name() => Names[Next(0, Names.Length)];

    private string? Maybe(string value) => Chance() ? value : null;

    private T? Maybe<T>(T value)
        where T : struct => Chance() ? value : null;

    private T Pick<T>(params T[] values) => values[Next(0, values.Length)];

    private TEnum Enum<TEnum>()
        where TEnum : struct, Enum => Pick(System.Enum.GetValues<TEnum>());

    private bool Chance(int oneIn = 2) => Next(0, oneIn) == 0;

    private int Next(int min, int maxExclusive) => _random.Next(min, maxExclusive);
}
