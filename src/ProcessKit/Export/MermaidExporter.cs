using System.Globalization;
using System.Text;
using ProcessKit.Definitions;

namespace ProcessKit.Export;

/// <summary>
/// Draws a process definition as a Mermaid flowchart: one lane (<c>subgraph</c>) per role that has
/// steps, a shape per step kind, condition and outcome labels on flows, and alternate, exception
/// and rework paths styled apart from the happy path.
/// </summary>
/// <remarks>
/// <para>
/// The output is deterministic: the same definition and options always give the same text, with
/// <c>\n</c> line ends, whatever the machine or culture. Every id and text of the definition is
/// escaped, so any definition gives a diagram Mermaid can parse.
/// </para>
/// <para>
/// Shapes: a start marker (small circle); human task rectangle; automated step subroutine
/// <c>[[ ]]</c>; decision rhombus; parallel split and join hexagons marked <c>+</c>; inclusive
/// split and merge hexagons marked <c>o</c>; event choice hexagon; message wait asymmetric
/// <c>&gt; ]</c>; timer circle; notification parallelogram; sub-process rounded rectangle; end
/// stadium, and a double circle for an end that terminates the instance. Every node carries a
/// class per kind (<c>pkHumanTask</c>, <c>pkDecision</c>, ...) and highlighted steps the class
/// <c>current</c>.
/// </para>
/// <para>
/// Edges: happy flows solid, alternate flows dashed orange, exception flows thick red, rework flows
/// dashed purple. Escalations that take a path and message timeouts are drawn as edges labelled
/// with their deadline or timeout, in the style of their path kind (exception by default).
/// Deadlines over spans are written as comments.
/// </para>
/// <para>The exporter does not validate the definition; it draws what it is given. Stateless and thread-safe.</para>
/// </remarks>
public static class MermaidExporter
{
    private const string Indent = "    ";
    private const string StartNodeId = "start";

    private static readonly string[] ClassDefinitions =
    [
        "classDef pkStart fill:#2f9e44,stroke:#2b8a3e,color:#ffffff",
        "classDef pkHumanTask fill:#e7f5ff,stroke:#1971c2,color:#0b3b66",
        "classDef pkAutomated fill:#f3f0ff,stroke:#6741d9,color:#2b1a66",
        "classDef pkDecision fill:#fff9db,stroke:#f08c00,color:#5c3c00",
        "classDef pkParallelSplit fill:#fff4e6,stroke:#e8590c,color:#5c2400",
        "classDef pkParallelJoin fill:#fff4e6,stroke:#e8590c,color:#5c2400",
        "classDef pkInclusiveSplit fill:#fff4e6,stroke:#d9480f,color:#5c2400",
        "classDef pkInclusiveMerge fill:#fff4e6,stroke:#d9480f,color:#5c2400",
        "classDef pkEventChoice fill:#fff0f6,stroke:#c2255c,color:#5c0f2c",
        "classDef pkWaitMessage fill:#e3fafc,stroke:#0c8599,color:#083d45",
        "classDef pkTimer fill:#e3fafc,stroke:#0b7285,color:#083d45",
        "classDef pkNotification fill:#f8f9fa,stroke:#495057,color:#212529",
        "classDef pkSubProcess fill:#ebfbee,stroke:#2f9e44,color:#0f3d18",
        "classDef pkEnd fill:#f1f3f5,stroke:#212529,color:#212529,stroke-width:2px",
        "classDef pkStep fill:#ffffff,stroke:#868e96,color:#212529",
        "classDef current fill:#ffe066,stroke:#f59f00,stroke-width:4px,color:#000000",
    ];

    /// <summary>Draws <paramref name="definition"/> as a Mermaid flowchart.</summary>
    /// <param name="definition">The definition to draw. It need not be valid: flows to unknown steps are drawn as given.</param>
    /// <param name="options">How to draw it; <see cref="MermaidOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>The Mermaid text, ending with a line break.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    public static string Export(ProcessDefinition definition, MermaidOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        options ??= MermaidOptions.Default;

        var text = new StringBuilder(1024 + (definition.Steps.Count * 160));
        Line(text, 0, $"%% ProcessKit process {MermaidSyntax.Comment(definition.Id)} v{definition.Version.ToString(CultureInfo.InvariantCulture)}: {MermaidSyntax.Comment(definition.Name)}");
        Line(text, 0, "flowchart " + MermaidSyntax.Direction(options.Direction));
        foreach (var classDefinition in ClassDefinitions)
        {
            Line(text, 1, classDefinition);
        }

        WriteNodes(text, definition);
        var edges = new EdgeWriter(text);
        WriteEdges(edges, definition);
        edges.WriteLinkStyles();
        WriteDeadlineComments(text, definition);
        WriteHighlights(text, definition, options);
        return text.ToString();
    }

    private static void WriteNodes(StringBuilder text, ProcessDefinition definition)
    {
        if (definition.Steps.IsEmpty)
        {
            return;
        }

        Line(text, 1, $"{StartNodeId}((\" \")):::pkStart");

        var declaredRoles = new HashSet<string>(StringComparer.Ordinal);
        var lanesWritten = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in definition.Roles)
        {
            declaredRoles.Add(role.Id);
        }

        foreach (var role in definition.Roles)
        {
            if (!lanesWritten.Add(role.Id))
            {
                continue;
            }

            var inLane = definition.Steps.Where(step => string.Equals(step.Role, role.Id, StringComparison.Ordinal)).ToList();
            if (inLane.Count == 0)
            {
                continue;
            }

            var title = string.IsNullOrWhiteSpace(role.Name) ? role.Id : role.Name;
            Line(text, 1, $"subgraph {LaneId(role.Id)}[\"{MermaidSyntax.Label(title)}\"]");
            foreach (var step in inLane)
            {
                Line(text, 2, Node(step));
            }

            Line(text, 1, "end");
        }

        foreach (var step in definition.Steps)
        {
            if (step.Role is null || !declaredRoles.Contains(step.Role))
            {
                Line(text, 1, Node(step));
            }
        }
    }

    private static string Node(StepDefinition step)
    {
        var name = string.IsNullOrWhiteSpace(step.Name) ? step.Id : step.Name;
        var label = MermaidSyntax.Label(name);
        var id = StepId(step.Id);
        var (shape, cssClass) = step switch
        {
            HumanTaskStep => ($"[\"{label}\"]", "pkHumanTask"),
            AutomatedStep => ($"[[\"{label}\"]]", "pkAutomated"),
            DecisionStep => ($"{{\"{label}\"}}", "pkDecision"),
            ParallelSplitStep => ($"{{{{\"+ {label}\"}}}}", "pkParallelSplit"),
            ParallelJoinStep => ($"{{{{\"+ {label}\"}}}}", "pkParallelJoin"),
            InclusiveSplitStep => ($"{{{{\"o {label}\"}}}}", "pkInclusiveSplit"),
            InclusiveMergeStep => ($"{{{{\"o {label}\"}}}}", "pkInclusiveMerge"),
            EventChoiceStep => ($"{{{{\"{label}\"}}}}", "pkEventChoice"),
            WaitMessageStep => ($">\"{label}\"]", "pkWaitMessage"),
            TimerStep => ($"((\"{label}\"))", "pkTimer"),
            NotificationStep => ($"[/\"{label}\"/]", "pkNotification"),
            SubProcessStep => ($"(\"{label}\")", "pkSubProcess"),
            EndStep { Terminate: true } => ($"(((\"{label}\")))", "pkEnd"),
            EndStep => ($"([\"{label}\"])", "pkEnd"),
            _ => ($"[\"{label}\"]", "pkStep"),
        };
        return $"{id}{shape}:::{cssClass}";
    }

    private static void WriteEdges(EdgeWriter edges, ProcessDefinition definition)
    {
        if (definition.GetStartStepId() is { } start)
        {
            edges.Add(StartNodeId, StepId(start), PathKind.Happy, null);
        }

        foreach (var step in definition.Steps)
        {
            foreach (var flow in step.Flows)
            {
                edges.Add(StepId(step.Id), StepId(flow.To), flow.Path, FlowLabel(flow));
            }
        }

        foreach (var step in definition.Steps)
        {
            switch (step)
            {
                case HumanTaskStep task:
                    var taskDeadline = task.Deadline is { } deadline ? "deadline " + MermaidSyntax.Due(deadline, "after") : "deadline";
                    WriteEscalationEdges(edges, step.Id, task.Escalations, taskDeadline);
                    break;
                case WaitMessageStep wait:
                    if (wait.Timeout is { } timeout)
                    {
                        edges.Add(StepId(step.Id), StepId(timeout.To), timeout.Path, "timeout " + MermaidSyntax.Due(timeout.After, "after"));
                    }

                    WriteEscalationEdges(edges, step.Id, wait.Escalations, "escalation");
                    break;
            }
        }

        foreach (var deadline in definition.Deadlines)
        {
            WriteEscalationEdges(edges, deadline.From, deadline.Escalations, $"deadline {deadline.Id} {MermaidSyntax.Due(deadline.Within, "within")}");
        }
    }

    private static void WriteEscalationEdges(EdgeWriter edges, string from, ValueArray<Escalation> escalations, string defaultLabel)
    {
        foreach (var escalation in escalations)
        {
            if (escalation.Action != EscalationAction.TakePath || escalation.To is null)
            {
                continue;
            }

            var label = MermaidSyntax.EscalationLabel(escalation, defaultLabel);
            edges.Add(StepId(from), StepId(escalation.To), escalation.Path, label);
        }
    }

    private static string? FlowLabel(FlowDefinition flow)
    {
        var label = flow.Label ?? flow.When?.Text ?? flow.Outcome;
        if (flow.IsDefault)
        {
            return label is null ? "default" : label + " (default)";
        }

        return label;
    }

    private static void WriteDeadlineComments(StringBuilder text, ProcessDefinition definition)
    {
        foreach (var deadline in definition.Deadlines)
        {
            var until = deadline.Until ?? "the end";
            Line(text, 1, MermaidSyntax.Comment($"%% deadline {deadline.Id}: from {deadline.From} until {until} {MermaidSyntax.Due(deadline.Within, "within")}"));
        }
    }

    private static void WriteHighlights(StringBuilder text, ProcessDefinition definition, MermaidOptions options)
    {
        if (options.HighlightSteps.IsEmpty)
        {
            return;
        }

        var wanted = new HashSet<string>(options.HighlightSteps, StringComparer.Ordinal);
        var nodes = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in definition.Steps)
        {
            if (wanted.Contains(step.Id) && seen.Add(step.Id))
            {
                nodes.Add(StepId(step.Id));
            }
        }

        if (nodes.Count > 0)
        {
            Line(text, 1, $"class {string.Join(',', nodes)} current");
        }
    }

    private static string StepId(string id) => MermaidSyntax.NodeId("s_", id);

    private static string LaneId(string roleId) => MermaidSyntax.NodeId("lane_", roleId);

    private static void Line(StringBuilder text, int depth, string line)
    {
        for (var i = 0; i < depth; i++)
        {
            text.Append(Indent);
        }

        text.Append(line).Append('\n');
    }

    /// <summary>Writes edges in order and remembers the index of each, for <c>linkStyle</c>.</summary>
    private sealed class EdgeWriter(StringBuilder text)
    {
        private readonly List<int> _alternate = [];
        private readonly List<int> _exception = [];
        private readonly List<int> _rework = [];
        private int _count;

        public void Add(string from, string to, PathKind path, string? label)
        {
            var arrow = path switch
            {
                PathKind.Exception => "==>",
                PathKind.Alternate or PathKind.Rework => "-.->",
                _ => "-->",
            };
            var labelPart = label is null ? string.Empty : $"|\"{MermaidSyntax.Label(label)}\"|";
            Line(text, 1, $"{from} {arrow}{labelPart} {to}");
            var list = path switch
            {
                PathKind.Alternate => _alternate,
                PathKind.Exception => _exception,
                PathKind.Rework => _rework,
                _ => null,
            };
            list?.Add(_count);
            _count++;
        }

        public void WriteLinkStyles()
        {
            Style(_alternate, "stroke:#e8590c,stroke-width:2px,color:#e8590c");
            Style(_exception, "stroke:#e03131,stroke-width:3px,color:#e03131");
            Style(_rework, "stroke:#7048e8,stroke-width:2px,color:#7048e8");
        }

        private void Style(List<int> indexes, string style)
        {
            if (indexes.Count > 0)
            {
                Line(text, 1, $"linkStyle {string.Join(',', indexes.Select(static i => i.ToString(CultureInfo.InvariantCulture)))} {style}");
            }
        }
    }
}
