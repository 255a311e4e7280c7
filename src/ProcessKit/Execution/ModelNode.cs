using ProcessKit.Definitions;

namespace ProcessKit.Execution;

/// <summary>One step of a compiled model: the step's settings resolved to indexes, slots and compiled expressions.</summary>
/// <remarks>Immutable after compilation; thread-safe.</remarks>
internal sealed class ModelNode
{
    public required int Index { get; init; }

    public required StepDefinition Step
    {
        get;
        init
        {
            field = value;
            Kind = value.Kind;
            IsJob = value is AutomatedStep { Asynchronous: true };
        }
    }

    public string Id => Step.Id;

    /// <summary>The step's kind, read once (the step's own property is virtual).</summary>
    public StepKind Kind { get; private init; }

    /// <summary>An asynchronous automated step: each run becomes a job.</summary>
    public bool IsJob { get; private init; }

    /// <summary>The role index, or -1.</summary>
    public int Role { get; init; } = -1;

    public decimal FixedCost
    {
        get;
        init
        {
            field = value;
            FixedCostUnits = HistoryNote.ToUnits(value);
        }
    }

    /// <summary><see cref="FixedCost"/> in the history's units (<see cref="HistoryNote.AmountScale"/>), computed once.</summary>
    public long FixedCostUnits { get; private init; }

    public ModelEdge[] Edges { get; set; } = [];

    public IStepHandler? Handler { get; init; }

    public int[] WriteSlots { get; init; } = [];

    public DataField[] Writes { get; init; } = [];

    public string[] Outcomes { get; init; } = [];

    /// <summary>Incoming flows, for joins and merges.</summary>
    public int InDegree { get; set; }

    /// <summary>For an inclusive split: the merge that joins it; -1 otherwise.</summary>
    public int Merge { get; set; } = -1;

    public ModelExpression? Correlation { get; init; }

    public string? Message { get; init; }

    public ModelDue? Wait { get; init; }

    public ModelDue? Timeout { get; init; }

    public int TimeoutTarget { get; init; } = -1;

    public PathKind TimeoutPath { get; init; }

    public ModelDue? Deadline { get; init; }

    public ModelEscalation[] Escalations { get; init; } = [];

    public AllocationStrategy Strategy { get; init; }

    public ModelExpression? Assignee { get; init; }

    public int RetainFamiliar { get; init; } = -1;

    public int[] SeparateFrom { get; init; } = [];

    public ModelExpression? Collection { get; init; }

    public int ItemSlot { get; init; } = -1;

    public MultiInstance? MultiInstance { get; init; }

    /// <summary>For a sub-process: the fields of its start data, with the expressions over this instance's data that give them.</summary>
    public (string Field, ModelExpression Value)[] InputMappings { get; init; } = [];

    /// <summary>For a sub-process: the slots of this instance set from expressions over the sub-process's data.</summary>
    public (int Slot, ModelExpression Value)[] OutputMappings { get; init; } = [];
}
