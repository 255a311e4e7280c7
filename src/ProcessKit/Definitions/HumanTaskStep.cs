namespace ProcessKit.Definitions;

/// <summary>Work done by a person in a role: offered, claimed, completed with an outcome and data.</summary>
/// <param name="Id">The step id.</param>
/// <param name="Name">The step name.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record HumanTaskStep(string Id, string Name) : StepDefinition(Id, Name)
{
    /// <inheritdoc />
    public override StepKind Kind => StepKind.HumanTask;

    /// <summary>The outcomes the person chooses between (for example <c>qualified</c>, <c>notInterested</c>). Each needs a route.</summary>
    public ValueArray<string> Outcomes { get; init; }

    /// <summary>The names of the fields the task shows.</summary>
    public ValueArray<string> Reads { get; init; }

    /// <summary>The fields the person fills in (the task's form).</summary>
    public ValueArray<DataField> Writes { get; init; }

    /// <summary>The time the task should take from being offered to completed. Optional.</summary>
    public TimeSpan? GoalTime { get; init; }

    /// <summary>When the task is due. Optional.</summary>
    public DueTime? Deadline { get; init; }

    /// <summary>What happens when the task runs late.</summary>
    public ValueArray<Escalation> Escalations { get; init; }

    /// <summary>How the task finds its performer. Default: offered to the role.</summary>
    public Allocation Allocation { get; init; } = new();

    /// <summary>Runs the task once per item of a list. Optional.</summary>
    public MultiInstance? MultiInstance { get; init; }
}
