namespace ProcessKit.Definitions;

/// <summary>
/// A step declared on a <see cref="ProcessBuilder"/>. Each kind of step has its own sealed handle
/// (<see cref="HumanTaskHandle"/>, <see cref="DecisionHandle"/>, ...) that offers only what that kind
/// can do; this base is what flows, deadlines and escalations accept as a target.
/// </summary>
/// <remarks>Not thread-safe, like the builder it belongs to. It can be used only with that builder.</remarks>
public abstract class StepHandle
{
    private readonly List<FlowDefinition> _flows = [];

    private protected StepHandle(ProcessBuilder builder, string id, string name)
    {
        Builder = builder;
        Id = id;
        Name = name;
    }

    /// <summary>The step id, used in the definition's flows.</summary>
    public string Id { get; }

    internal string Name { get; }

    internal ProcessBuilder Builder { get; }

    internal string? DescriptionText { get; set; }

    internal string? RoleId { get; set; }

    internal TimeSpan? ExpectedWorkTime { get; set; }

    internal decimal? Cost { get; set; }

    /// <summary>Creates the immutable step with everything this handle holds.</summary>
    internal StepDefinition ToStep() => CreateStep() with
    {
        Description = DescriptionText,
        Role = RoleId,
        WorkTime = ExpectedWorkTime,
        FixedCost = Cost,
        Flows = [.. _flows],
    };

    /// <summary>Creates the kind-specific step; the common settings are added by <see cref="ToStep"/>.</summary>
    private protected abstract StepDefinition CreateStep();

    /// <summary>Adds a flow to <paramref name="target"/> after checking that it belongs to the same builder.</summary>
    private protected void AddFlow(StepHandle target, string paramName, PathKind path, string? label, ProcessExpression? when = null, string? outcome = null, bool isDefault = false)
    {
        Builder.Own(target, paramName);
        if (label is not null && string.IsNullOrWhiteSpace(label))
        {
            throw new ArgumentException("The label is empty or white space; leave it out instead.", nameof(label));
        }

        _flows.Add(new FlowDefinition(target.Id)
        {
            When = when,
            Outcome = outcome,
            IsDefault = isDefault,
            Label = label,
            Path = path,
        });
    }
}
