using ProcessKit.Definitions;

namespace ProcessKit.Export;

/// <summary>
/// One node of an <see cref="SvgLayout"/>: the start, a step, a missing flow target or a dummy carrying a
/// long edge. Its box (<see cref="X"/>, <see cref="Y"/>, <see cref="Width"/>, <see cref="Height"/>) holds
/// the shape and, for gateways and events, the name written below it.
/// </summary>
/// <remarks>Mutable while the layout is built; not thread-safe.</remarks>
internal sealed class SvgNode
{
    /// <summary>The widest line of a name inside a box (<see cref="SvgText.Width(string)"/>).</summary>
    public const double BoxTextWidth = 156;

    /// <summary>The space between a box's side and the widest line of its name, on each side.</summary>
    public const double BoxPadding = 12;

    /// <summary>The most lines of a name inside a box.</summary>
    public const int BoxLines = 3;

    /// <summary>The widest line of a name below a gateway or event.</summary>
    public const double BelowTextWidth = 124;

    /// <summary>The most lines of a name below a gateway or event.</summary>
    public const int BelowLines = 2;

    public const double LineHeight = 15;
    public const double BelowLineHeight = 14;
    private const double Diamond = 44;
    private const double EventDiameter = 36;
    private const double StartDiameter = 30;

    private SvgNode(int index, SvgShape shape, string kindClass)
    {
        Index = index;
        Shape = shape;
        KindClass = kindClass;
    }

    public int Index { get; }

    public SvgShape Shape { get; }

    /// <summary>The class naming the node's kind (<c>pk-human-task</c>, ...).</summary>
    public string KindClass { get; }

    /// <summary>The step drawn, or <see langword="null"/> for the start, a missing target or a dummy.</summary>
    public StepDefinition? Step { get; private init; }

    /// <summary>For a missing flow target, the id no step has.</summary>
    public string? MissingId { get; private init; }

    /// <summary>The full name for the tooltip.</summary>
    public string Tooltip { get; private init; } = string.Empty;

    /// <summary>The name as drawn, line by line (none for the start and dummies).</summary>
    public List<string> Lines { get; private init; } = [];

    /// <summary>The name is written below the shape (gateways, events) rather than inside it.</summary>
    public bool LabelBelow { get; private init; }

    public double ShapeWidth { get; private init; }

    public double ShapeHeight { get; private init; }

    public double Width { get; set; }

    public double Height { get; private init; }

    /// <summary>From the box's top to the shape's middle, where edges attach.</summary>
    public double AnchorOffset => LabelBelow ? ShapeHeight / 2 : Height / 2;

    public bool IsDummy => Shape == SvgShape.None;

    public int Layer { get; set; }

    public int Order { get; set; }

    public double X { get; set; }

    public double Y { get; set; }

    /// <summary>The y of the shape's middle.</summary>
    public double Anchor { get; set; }

    /// <summary>The x of the box's middle.</summary>
    public double CenterX => X + (Width / 2);

    public List<int> Out { get; } = [];

    public List<int> Successors { get; } = [];

    public List<int> Predecessors { get; } = [];

    public static SvgNode Start(int index) => new(index, SvgShape.Start, "pk-start")
    {
        Tooltip = "Start",
        ShapeWidth = StartDiameter,
        ShapeHeight = StartDiameter,
        Width = StartDiameter,
        Height = StartDiameter,
    };

    public static SvgNode Dummy(int index, int layer) => new(index, SvgShape.None, string.Empty) { Layer = layer, Height = 10 };

    public static SvgNode Missing(int index, string id) => Boxed(index, SvgShape.Missing, "pk-missing", id, "No step '" + id + "'", null, id);

    public static SvgNode ForStep(int index, StepDefinition step)
    {
        var name = string.IsNullOrWhiteSpace(step.Name) ? step.Id : step.Name;
        var tooltip = string.Equals(name, step.Id, StringComparison.Ordinal) ? name : $"{name} ({step.Id})";
        return step switch
        {
            HumanTaskStep => Boxed(index, SvgShape.Task, "pk-human-task", name, tooltip, step),
            AutomatedStep => Boxed(index, SvgShape.Task, "pk-automated", name, tooltip, step),
            NotificationStep => Boxed(index, SvgShape.Task, "pk-notification", name, tooltip, step),
            SubProcessStep => Boxed(index, SvgShape.SubProcess, "pk-sub-process", name, tooltip, step),
            DecisionStep => Below(index, SvgShape.Decision, "pk-decision", name, tooltip, step, Diamond),
            ParallelSplitStep => Below(index, SvgShape.Parallel, "pk-parallel-split", name, tooltip, step, Diamond),
            ParallelJoinStep => Below(index, SvgShape.Parallel, "pk-parallel-join", name, tooltip, step, Diamond),
            InclusiveSplitStep => Below(index, SvgShape.Inclusive, "pk-inclusive-split", name, tooltip, step, Diamond),
            InclusiveMergeStep => Below(index, SvgShape.Inclusive, "pk-inclusive-merge", name, tooltip, step, Diamond),
            EventChoiceStep => Below(index, SvgShape.EventChoice, "pk-event-choice", name, tooltip, step, Diamond),
            WaitMessageStep => Below(index, SvgShape.Message, "pk-wait-message", name, tooltip, step, EventDiameter),
            TimerStep => Below(index, SvgShape.Timer, "pk-timer", name, tooltip, step, EventDiameter),
            EndStep { Terminate: true } => Below(index, SvgShape.Terminate, "pk-end", name, tooltip, step, EventDiameter),
            EndStep => Below(index, SvgShape.End, "pk-end", name, tooltip, step, EventDiameter),
            _ => Boxed(index, SvgShape.Task, "pk-step", name, tooltip, step),
        };
    }

    /// <summary>A rounded box with the name wrapped inside (at most <see cref="BoxLines"/> lines of <see cref="BoxTextWidth"/>), 96 to 180 wide.</summary>
    private static SvgNode Boxed(int index, SvgShape shape, string kindClass, string name, string tooltip, StepDefinition? step, string? missingId = null)
    {
        var lines = SvgText.Wrap(name, BoxTextWidth, BoxLines);
        var width = Math.Max(96, lines.Max(SvgText.Width) + (2 * BoxPadding));
        var height = Math.Max(44, (lines.Count * LineHeight) + 18) + (shape == SvgShape.SubProcess ? 12 : 0);
        return new SvgNode(index, shape, kindClass)
        {
            Step = step,
            MissingId = missingId,
            Tooltip = SvgText.Clean(tooltip),
            Lines = lines,
            ShapeWidth = width,
            ShapeHeight = height,
            Width = width,
            Height = height,
        };
    }

    /// <summary>A gateway or event shape of the given size with the name in up to two lines below it.</summary>
    private static SvgNode Below(int index, SvgShape shape, string kindClass, string name, string tooltip, StepDefinition step, double size)
    {
        var lines = string.IsNullOrWhiteSpace(name) ? [] : SvgText.Wrap(name, BelowTextWidth, BelowLines);
        var textWidth = lines.Count == 0 ? 0 : lines.Max(SvgText.Width) + 4;
        return new SvgNode(index, shape, kindClass)
        {
            Step = step,
            Tooltip = SvgText.Clean(tooltip),
            Lines = lines,
            LabelBelow = true,
            ShapeWidth = size,
            ShapeHeight = size,
            Width = Math.Max(size, textWidth),
            Height = size + (lines.Count == 0 ? 0 : 4 + (lines.Count * BelowLineHeight)),
        };
    }
}
