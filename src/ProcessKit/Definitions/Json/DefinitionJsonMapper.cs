using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Xml;

namespace ProcessKit.Definitions.Json;

/// <summary>
/// Turns a document that matched the schema into a <see cref="ProcessDefinition"/>, by hand: each
/// property is read by name into the model's own types. Nothing here names, looks up or creates a
/// CLR type from the input; step kinds are a closed switch.
/// </summary>
/// <remarks>
/// One instance reads one document; not thread-safe. Values the schema cannot check (durations too
/// long for a <see cref="TimeSpan"/>, numbers too large for their type, expressions over the length
/// limit) become problems rather than exceptions.
/// </remarks>
internal sealed class DefinitionJsonMapper
{
    private readonly DefinitionReaderOptions _options;
    private readonly List<DefinitionProblem> _problems = [];

    public DefinitionJsonMapper(DefinitionReaderOptions options) => _options = options;

    /// <summary>The problems found while mapping.</summary>
    public IReadOnlyList<DefinitionProblem> Problems => _problems;

    /// <summary>Maps the root object; the result is meaningful only when <see cref="Problems"/> is empty.</summary>
    public ProcessDefinition Map(JsonElement root)
    {
        var definition = new ProcessDefinition(String(root, "id")!, String(root, "name")!)
        {
            Version = Int(root, "version", string.Empty) ?? 1,
            Description = String(root, "description"),
            Kind = Enum<ProcessKind>(root, "kind") ?? ProcessKind.Core,
            Category = String(root, "category"),
            Goal = String(root, "goal"),
            OwnerRole = String(root, "ownerRole"),
            Suppliers = Array(root, "suppliers", string.Empty, (e, p) => new Supplier(String(e, "id")!, String(e, "name")!)
            {
                Description = String(e, "description"),
                Inputs = Fields(e, "inputs", p),
            }),
            Clients = Array(root, "clients", string.Empty, (e, p) => new Client(String(e, "id")!, String(e, "name")!)
            {
                Description = String(e, "description"),
                Outputs = Fields(e, "outputs", p),
            }),
            Roles = Array(root, "roles", string.Empty, (e, p) => new RoleDefinition(String(e, "id")!, String(e, "name")!)
            {
                Description = String(e, "description"),
                HourlyCost = Decimal(e, "hourlyCost", p) ?? 0m,
            }),
            StartStep = String(root, "start"),
            Steps = Array(root, "steps", string.Empty, Step),
            Deadlines = Array(root, "deadlines", string.Empty, (e, p) => new DeadlineDefinition(String(e, "id")!, String(e, "from")!, Due(e.GetProperty("within"), p + "/within"))
            {
                Until = String(e, "until"),
                GoalTime = Duration(e, "goalTime", p),
                Escalations = Escalations(e, p),
            }),
            Targets = root.TryGetProperty("targets", out var targets) ? Targets(targets, "/targets") : null,
            Triggers = Array(root, "triggers", string.Empty, Trigger),
        };
        return definition;
    }

    private StepDefinition Step(JsonElement e, string path)
    {
        var id = String(e, "id")!;
        var name = String(e, "name")!;
        StepDefinition step = String(e, "kind") switch
        {
            "HumanTask" => new HumanTaskStep(id, name)
            {
                Outcomes = Strings(e, "outcomes"),
                Reads = Strings(e, "reads"),
                Writes = Fields(e, "writes", path),
                GoalTime = Duration(e, "goalTime", path),
                Deadline = e.TryGetProperty("deadline", out var deadline) ? Due(deadline, path + "/deadline") : null,
                Escalations = Escalations(e, path),
                Allocation = e.TryGetProperty("allocation", out var allocation) ? Allocation(allocation, path + "/allocation") : new Allocation(),
                MultiInstance = MultiInstance(e, path),
            },
            "Automated" => new AutomatedStep(id, name, String(e, "handler")!)
            {
                Asynchronous = Bool(e, "asynchronous"),
                Retry = e.TryGetProperty("retry", out var retry) ? Retry(retry, path + "/retry") : null,
                Timeout = Duration(e, "timeout", path),
                Reads = Strings(e, "reads"),
                Writes = Fields(e, "writes", path),
                MultiInstance = MultiInstance(e, path),
            },
            "Decision" => new DecisionStep(id, name),
            "ParallelSplit" => new ParallelSplitStep(id, name),
            "InclusiveSplit" => new InclusiveSplitStep(id, name),
            "EventChoice" => new EventChoiceStep(id, name),
            "ParallelJoin" => new ParallelJoinStep(id, name, String(e, "split")!),
            "InclusiveMerge" => new InclusiveMergeStep(id, name, String(e, "split")!),
            "WaitMessage" => new WaitMessageStep(id, name, String(e, "message")!)
            {
                Correlation = Expression(e, "correlation", path),
                Writes = Fields(e, "writes", path),
                Timeout = e.TryGetProperty("timeout", out var timeout)
                    ? new MessageTimeout(Due(timeout.GetProperty("after"), path + "/timeout/after"), String(timeout, "to")!)
                    {
                        Path = Enum<PathKind>(timeout, "path") ?? PathKind.Exception,
                    }
                    : null,
                Escalations = Escalations(e, path),
            },
            "Timer" => new TimerStep(id, name, Due(e.GetProperty("wait"), path + "/wait")),
            "Notification" => new NotificationStep(id, name) { Message = String(e, "message") },
            "SubProcess" => new SubProcessStep(id, name, String(e, "process")!)
            {
                Version = Int(e, "version", path),
                Inputs = Mappings(e, "inputs", path),
                Outputs = Mappings(e, "outputs", path),
                MultiInstance = MultiInstance(e, path),
            },
            "End" => new EndStep(id, name) { Outcome = String(e, "outcome"), Terminate = Bool(e, "terminate") },

            // The schema allows only the kinds above.
            var other => throw new JsonException($"Unknown step kind '{other}'."),
        };

        return step with
        {
            Description = String(e, "description"),
            Role = String(e, "role"),
            WorkTime = Duration(e, "workTime", path),
            FixedCost = Decimal(e, "fixedCost", path),
            Flows = Array(e, "next", path, Flow),
        };
    }

    private FlowDefinition Flow(JsonElement e, string path) => new(String(e, "to")!)
    {
        When = Expression(e, "when", path),
        Outcome = String(e, "outcome"),
        IsDefault = Bool(e, "default"),
        Label = String(e, "label"),
        Path = Enum<PathKind>(e, "path") ?? PathKind.Happy,
    };

    private TriggerDefinition Trigger(JsonElement e, string path) => String(e, "kind") switch
    {
        "Message" => TriggerDefinition.OnMessage(String(e, "message")!),
        "Timer" => TriggerDefinition.Every(Duration(e, "every", path) ?? TimeSpan.Zero),
        _ => TriggerDefinition.Manual,
    };

    private ValueArray<Escalation> Escalations(JsonElement owner, string ownerPath) =>
        Array(owner, "escalations", ownerPath, (e, p) => new Escalation(Enum<EscalationAction>(e, "action") ?? EscalationAction.Remind)
        {
            At = e.TryGetProperty("at", out var at) ? Due(at, p + "/at") : null,
            Role = String(e, "role"),
            To = String(e, "to"),
            Interrupting = Bool(e, "interrupting"),
            Path = Enum<PathKind>(e, "path") ?? PathKind.Exception,
            Message = String(e, "message"),
        });

    private Allocation Allocation(JsonElement e, string path) => new()
    {
        Strategy = Enum<AllocationStrategy>(e, "strategy") ?? AllocationStrategy.OfferToRole,
        Assignee = Expression(e, "assignee", path),
        SeparateFrom = Strings(e, "separateFrom"),
        RetainFamiliar = String(e, "retainFamiliar"),
    };

    private RetryPolicy Retry(JsonElement e, string path)
    {
        var retry = new RetryPolicy();
        return retry with
        {
            MaxAttempts = Int(e, "maxAttempts", path) ?? retry.MaxAttempts,
            Delay = Duration(e, "delay", path) ?? retry.Delay,
            BackoffMultiplier = e.TryGetProperty("backoffMultiplier", out var factor) ? factor.GetDouble() : retry.BackoffMultiplier,
            MaxDelay = Duration(e, "maxDelay", path),
        };
    }

    private MultiInstance? MultiInstance(JsonElement step, string stepPath)
    {
        if (!step.TryGetProperty("multiInstance", out var e))
        {
            return null;
        }

        var path = stepPath + "/multiInstance";
        return new MultiInstance(Expression(e, "collection", path)!, String(e, "itemName")!)
        {
            Mode = Enum<MultiInstanceMode>(e, "mode") ?? MultiInstanceMode.Parallel,
            RequiredCompletions = Int(e, "requiredCompletions", path),
        };
    }

    private ProcessTargets Targets(JsonElement e, string path) => new()
    {
        CycleTime = Duration(e, "cycleTime", path),
        CostPerInstance = Decimal(e, "costPerInstance", path),
        Satisfaction = Decimal(e, "satisfaction", path),
        SatisfactionField = String(e, "satisfactionField"),
    };

    private DueTime Due(JsonElement e, string path)
    {
        if (e.TryGetProperty("after", out _))
        {
            return DueTime.In(Duration(e, "after", path) ?? TimeSpan.Zero);
        }

        return DueTime.AtExpression(Expression(e, "at", path)!);
    }

    private ValueArray<DataField> Fields(JsonElement owner, string property, string ownerPath) =>
        Array(owner, property, ownerPath, (e, p) => new DataField(String(e, "name")!, Enum<DataType>(e, "type") ?? DataType.String)
        {
            Required = Bool(e, "required"),
            Description = String(e, "description"),
            Minimum = Decimal(e, "minimum", p),
            Maximum = Decimal(e, "maximum", p),
        });

    private ValueArray<DataMapping> Mappings(JsonElement owner, string property, string ownerPath) =>
        Array(owner, property, ownerPath, (e, p) => new DataMapping(String(e, "target")!, Expression(e, "value", p)!));

    private ValueArray<T> Array<T>(JsonElement owner, string property, string ownerPath, Func<JsonElement, string, T> map)
    {
        if (!owner.TryGetProperty(property, out var array) || array.GetArrayLength() == 0)
        {
            return ValueArray<T>.Empty;
        }

        var builder = ImmutableArray.CreateBuilder<T>(array.GetArrayLength());
        var index = 0;
        var prefix = $"{ownerPath}/{property}/";
        foreach (var item in array.EnumerateArray())
        {
            builder.Add(map(item, prefix + index.ToString(CultureInfo.InvariantCulture)));
            index++;
        }

        return builder.MoveToImmutable();
    }

    private static ValueArray<string> Strings(JsonElement owner, string property)
    {
        if (!owner.TryGetProperty(property, out var array) || array.GetArrayLength() == 0)
        {
            return ValueArray<string>.Empty;
        }

        var builder = ImmutableArray.CreateBuilder<string>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            builder.Add(item.GetString()!);
        }

        return builder.MoveToImmutable();
    }

    private static string? String(JsonElement owner, string property) =>
        owner.TryGetProperty(property, out var value) ? value.GetString() : null;

    private static bool Bool(JsonElement owner, string property) =>
        owner.TryGetProperty(property, out var value) && value.GetBoolean();

    private static T? Enum<T>(JsonElement owner, string property)
        where T : struct, Enum =>
        owner.TryGetProperty(property, out var value) && System.Enum.TryParse<T>(value.GetString(), ignoreCase: false, out var parsed) && System.Enum.IsDefined(parsed)
            ? parsed
            : null;

    private int? Int(JsonElement owner, string property, string ownerPath)
    {
        if (!owner.TryGetProperty(property, out var value))
        {
            return null;
        }

        if (value.TryGetInt32(out var number))
        {
            return number;
        }

        // The schema's "integer" also admits 3.0 and 3e0.
        if (value.TryGetDecimal(out var exact) && exact == decimal.Truncate(exact) && exact is >= int.MinValue and <= int.MaxValue)
        {
            return (int)exact;
        }

        OutOfRange(ownerPath + "/" + property, value, "an integer between -2147483648 and 2147483647");
        return null;
    }

    private decimal? Decimal(JsonElement owner, string property, string ownerPath)
    {
        if (!owner.TryGetProperty(property, out var value))
        {
            return null;
        }

        if (value.TryGetDecimal(out var number))
        {
            return number;
        }

        OutOfRange(ownerPath + "/" + property, value, "a decimal number with at most 28 significant digits");
        return null;
    }

    private TimeSpan? Duration(JsonElement owner, string property, string ownerPath)
    {
        if (!owner.TryGetProperty(property, out var value))
        {
            return null;
        }

        var text = value.GetString()!;
        try
        {
            return XmlConvert.ToTimeSpan(text);
        }
        catch (Exception exception) when (exception is FormatException or OverflowException)
        {
            _problems.Add(new DefinitionProblem(
                ProblemSeverity.Error,
                DefinitionProblemCodes.InvalidValue,
                ownerPath + "/" + property,
                $"'{Shorten(text)}' is not a duration ProcessKit can hold (at most about 10,675,199 days).")
            {
                Hint = "Give an ISO 8601 duration such as PT15M, PT1H30M or P2D.",
            });
            return TimeSpan.Zero;
        }
    }

    private ProcessExpression? Expression(JsonElement owner, string property, string ownerPath)
    {
        if (!owner.TryGetProperty(property, out var value))
        {
            return null;
        }

        var text = value.GetString()!;
        if (text.Length > _options.MaxExpressionLength)
        {
            _problems.Add(new DefinitionProblem(
                ProblemSeverity.Error,
                DefinitionProblemCodes.Limit,
                ownerPath + "/" + property,
                string.Create(CultureInfo.InvariantCulture, $"The expression is {text.Length:N0} characters long; the limit is {_options.MaxExpressionLength:N0}."))
            {
                Hint = "Shorten the expression, for example by computing part of it in an automated step that writes a field.",
            });
        }

        return ProcessExpression.FromText(text);
    }

    private void OutOfRange(string path, JsonElement value, string expected) =>
        _problems.Add(new DefinitionProblem(ProblemSeverity.Error, DefinitionProblemCodes.InvalidValue, path, $"{Shorten(value.GetRawText())} is out of range: expected {expected}.")
        {
            Hint = "Give a smaller number.",
        });

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");
}
