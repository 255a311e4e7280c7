using ProcessKit.Definitions;

namespace ProcessKit.Export;

/// <summary>
/// The layered left-to-right layout behind <see cref="SvgExporter"/>: the graph of a definition (a start
/// node, one node per step, a node per flow target that names no step), back edges found by a depth-first
/// search from the start, longest-path layers over the remaining edges, dummy nodes on edges that span
/// several layers, a few barycenter sweeps against crossings, then coordinates.
/// </summary>
/// <remarks>Built once per export and not shared; deterministic: the same definition gives the same layout.</remarks>
internal sealed class SvgLayout
{
    public const double Margin = 16;
    private const double NodeGap = 26;
    private const double DummyHeight = 10;
    private const double MinLayerGap = 56;
    private const double MaxLayerGap = 190;
    private const double BackEdgeStep = 16;
    private const int Sweeps = 4;

    /// <summary>The widest flow label drawn (<see cref="SvgText.Width(string)"/>); the whole label is in the edge's tooltip.</summary>
    public const double LabelWidth = 160;

    private SvgLayout()
    {
    }

    public List<SvgNode> Nodes { get; } = [];

    public List<SvgEdge> Edges { get; } = [];

    public double Width { get; private set; }

    public double Height { get; private set; }

    public static SvgLayout Create(ProcessDefinition definition)
    {
        var layout = new SvgLayout();
        layout.Build(definition);
        if (layout.Nodes.Count == 0)
        {
            layout.Width = layout.Height = 2 * Margin;
            return layout;
        }

        layout.FindBackEdges();
        var layers = layout.Layer();
        layout.Order(layers);
        layout.Place(layers);
        return layout;
    }

    private void Build(ProcessDefinition definition)
    {
        if (definition.Steps.IsEmpty)
        {
            return;
        }

        Nodes.Add(SvgNode.Start(0));
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var step in definition.Steps)
        {
            var node = SvgNode.ForStep(Nodes.Count, step);
            byId.TryAdd(step.Id, node.Index);
            Nodes.Add(node);
        }

        int Find(string id)
        {
            if (!byId.TryGetValue(id, out var index))
            {
                index = Nodes.Count;
                Nodes.Add(SvgNode.Missing(index, id));
                byId.Add(id, index);
            }

            return index;
        }

        if (definition.GetStartStepId() is { } start)
        {
            AddEdge(0, Find(start), PathKind.Happy, null, boundary: false);
        }

        foreach (var step in definition.Steps)
        {
            var from = byId[step.Id];
            foreach (var flow in step.Flows)
            {
                AddEdge(from, Find(flow.To), flow.Path, FlowLabel(flow), boundary: false);
            }
        }

        foreach (var step in definition.Steps)
        {
            var from = byId[step.Id];
            switch (step)
            {
                case HumanTaskStep task:
                    var taskDeadline = task.Deadline is { } deadline ? "deadline " + MermaidSyntax.Due(deadline, "after") : "deadline";
                    AddEscalations(from, task.Escalations, taskDeadline, Find);
                    break;
                case WaitMessageStep wait:
                    if (wait.Timeout is { } timeout)
                    {
                        AddEdge(from, Find(timeout.To), timeout.Path, "timeout " + MermaidSyntax.Due(timeout.After, "after"), boundary: true);
                    }

                    AddEscalations(from, wait.Escalations, "escalation", Find);
                    break;
            }
        }

        foreach (var deadline in definition.Deadlines)
        {
            if (deadline.Escalations.Any(static e => e.Action == EscalationAction.TakePath && e.To is not null))
            {
                AddEscalations(Find(deadline.From), deadline.Escalations, $"deadline {deadline.Id} {MermaidSyntax.Due(deadline.Within, "within")}", Find);
            }
        }
    }

    private void AddEscalations(int from, ValueArray<Escalation> escalations, string defaultLabel, Func<string, int> find)
    {
        foreach (var escalation in escalations)
        {
            if (escalation.Action != EscalationAction.TakePath || escalation.To is null)
            {
                continue;
            }

            var label = MermaidSyntax.EscalationLabel(escalation, defaultLabel);
            AddEdge(from, find(escalation.To), escalation.Path, label, boundary: true);
        }
    }

    private void AddEdge(int from, int to, PathKind path, string? label, bool boundary)
    {
        var edge = new SvgEdge(Edges.Count, from, to, path, label, boundary);
        Edges.Add(edge);
        Nodes[from].Out.Add(edge.Index);
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

    /// <summary>Marks as back edges the edges a depth-first search from the start meets returning to a node on its path.</summary>
    private void FindBackEdges()
    {
        var state = new byte[Nodes.Count]; // 0 unseen, 1 on the path, 2 done
        var finished = new List<int>(Nodes.Count);
        var stack = new Stack<(int Node, int Next)>();
        for (var root = 0; root < Nodes.Count; root++)
        {
            if (state[root] != 0)
            {
                continue;
            }

            state[root] = 1;
            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                var outs = Nodes[node].Out;
                if (next == outs.Count)
                {
                    state[node] = 2;
                    finished.Add(node);
                    continue;
                }

                stack.Push((node, next + 1));
                var edge = Edges[outs[next]];
                switch (state[edge.To])
                {
                    case 0:
                        state[edge.To] = 1;
                        stack.Push((edge.To, 0));
                        break;
                    case 1:
                        edge.IsBack = true;
                        break;
                }
            }
        }

        // Reverse finishing order is a topological order of the graph without its back edges.
        finished.Reverse();
        _topological = finished;
    }

    private List<int> _topological = [];

    /// <summary>Longest-path layers over the forward edges, then dummy nodes so every forward segment joins adjacent layers.</summary>
    private List<List<int>> Layer()
    {
        foreach (var node in _topological)
        {
            foreach (var index in Nodes[node].Out)
            {
                var edge = Edges[index];
                if (!edge.IsBack)
                {
                    Nodes[edge.To].Layer = Math.Max(Nodes[edge.To].Layer, Nodes[node].Layer + 1);
                }
            }
        }

        var layerCount = Nodes.Max(static n => n.Layer) + 1;
        var layers = new List<List<int>>(layerCount);
        for (var i = 0; i < layerCount; i++)
        {
            layers.Add([]);
        }

        foreach (var node in Nodes)
        {
            layers[node.Layer].Add(node.Index);
        }

        foreach (var edge in Edges)
        {
            edge.Chain.Add(edge.From);
            if (!edge.IsBack)
            {
                for (var layer = Nodes[edge.From].Layer + 1; layer < Nodes[edge.To].Layer; layer++)
                {
                    var dummy = SvgNode.Dummy(Nodes.Count, layer);
                    Nodes.Add(dummy);
                    layers[layer].Add(dummy.Index);
                    edge.Chain.Add(dummy.Index);
                }

                edge.Chain.Add(edge.To);
                for (var i = 1; i < edge.Chain.Count; i++)
                {
                    Nodes[edge.Chain[i - 1]].Successors.Add(edge.Chain[i]);
                    Nodes[edge.Chain[i]].Predecessors.Add(edge.Chain[i - 1]);
                }
            }
            else
            {
                edge.Chain.Add(edge.To);
            }
        }

        return layers;
    }

    /// <summary>Barycenter sweeps down and up, keeping the order with the fewest crossings.</summary>
    private void Order(List<List<int>> layers)
    {
        SetOrder(layers);
        var best = Snapshot(layers);
        var bestCrossings = Crossings(layers);
        for (var sweep = 0; sweep < Sweeps && bestCrossings > 0; sweep++)
        {
            var down = sweep % 2 == 0;
            if (down)
            {
                for (var i = 1; i < layers.Count; i++)
                {
                    Sort(layers[i], static n => n.Predecessors);
                }
            }
            else
            {
                for (var i = layers.Count - 2; i >= 0; i--)
                {
                    Sort(layers[i], static n => n.Successors);
                }
            }

            var crossings = Crossings(layers);
            if (crossings < bestCrossings)
            {
                bestCrossings = crossings;
                best = Snapshot(layers);
            }
        }

        for (var i = 0; i < layers.Count; i++)
        {
            layers[i].Clear();
            layers[i].AddRange(best[i]);
        }

        SetOrder(layers);
    }

    private void Sort(List<int> layer, Func<SvgNode, List<int>> neighbours)
    {
        var keyed = new List<(double Key, int Order, int Node)>(layer.Count);
        foreach (var index in layer)
        {
            var node = Nodes[index];
            var adjacent = neighbours(node);
            var key = adjacent.Count == 0 ? node.Order : adjacent.Average(n => (double)Nodes[n].Order);
            keyed.Add((key, node.Order, index));
        }

        keyed.Sort(static (a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : a.Order.CompareTo(b.Order));
        layer.Clear();
        for (var i = 0; i < keyed.Count; i++)
        {
            layer.Add(keyed[i].Node);
            Nodes[keyed[i].Node].Order = i;
        }
    }

    private void SetOrder(List<List<int>> layers)
    {
        foreach (var layer in layers)
        {
            for (var i = 0; i < layer.Count; i++)
            {
                Nodes[layer[i]].Order = i;
            }
        }
    }

    private static List<int[]> Snapshot(List<List<int>> layers) => [.. layers.Select(static l => l.ToArray())];

    /// <summary>The number of crossing segment pairs between adjacent layers.</summary>
    private int Crossings(List<List<int>> layers)
    {
        var total = 0;
        var segments = new List<(int Upper, int Lower)>();
        foreach (var layer in layers)
        {
            segments.Clear();
            foreach (var index in layer)
            {
                foreach (var next in Nodes[index].Successors)
                {
                    segments.Add((Nodes[index].Order, Nodes[next].Order));
                }
            }

            for (var i = 0; i < segments.Count; i++)
            {
                for (var j = i + 1; j < segments.Count; j++)
                {
                    var (a1, b1) = segments[i];
                    var (a2, b2) = segments[j];
                    if ((a1 < a2 && b1 > b2) || (a1 > a2 && b1 < b2))
                    {
                        total++;
                    }
                }
            }
        }

        return total;
    }

    /// <summary>Columns per layer, nodes stacked in each column around a shared middle line, back edges below.</summary>
    private void Place(List<List<int>> layers)
    {
        var columnWidths = new double[layers.Count];
        var gaps = new double[layers.Count];
        for (var i = 0; i < layers.Count; i++)
        {
            columnWidths[i] = Math.Max(20, layers[i].Max(n => Nodes[n].Width));
            gaps[i] = MinLayerGap;
        }

        foreach (var edge in Edges)
        {
            if (!edge.IsBack && edge.ShortLabel is { } label)
            {
                var layer = Nodes[edge.From].Layer;
                gaps[layer] = Math.Min(MaxLayerGap, Math.Max(gaps[layer], SvgText.Width(label) + 28));
            }
        }

        var x = Margin;
        for (var i = 0; i < layers.Count; i++)
        {
            var anchor = 0.0;
            var first = 0.0;
            for (var j = 0; j < layers[i].Count; j++)
            {
                var node = Nodes[layers[i][j]];
                if (j > 0)
                {
                    var previous = Nodes[layers[i][j - 1]];
                    anchor += previous.Height - previous.AnchorOffset + (node.IsDummy || previous.IsDummy ? NodeGap / 2 : NodeGap) + node.AnchorOffset;
                }
                else
                {
                    first = anchor;
                }

                node.Anchor = anchor;
            }

            var middle = (first + anchor) / 2;
            foreach (var index in layers[i])
            {
                var node = Nodes[index];
                node.Anchor -= middle;
                if (node.IsDummy)
                {
                    node.Width = columnWidths[i];
                    node.X = x;
                }
                else
                {
                    node.X = x + ((columnWidths[i] - node.Width) / 2);
                }

                node.Y = node.Anchor - node.AnchorOffset;
            }

            x += columnWidths[i] + (i < layers.Count - 1 ? gaps[i] : 0);
        }

        PlaceBackEdges();

        var top = Nodes.Min(static n => n.Y);
        var bottom = Nodes.Max(static n => n.Y + n.Height);
        foreach (var edge in Edges)
        {
            if (edge.IsBack && edge.Above)
            {
                top = Math.Min(top, edge.Low - (edge.ShortLabel is null ? 4 : 18));
            }
            else if (edge.IsBack)
            {
                bottom = Math.Max(bottom, edge.Low + (edge.ShortLabel is null ? 4 : 18));
            }
        }

        var shift = Margin - top;
        foreach (var node in Nodes)
        {
            node.Y += shift;
            node.Anchor += shift;
        }

        foreach (var edge in Edges)
        {
            edge.Low += shift;
        }

        var right = x;
        foreach (var edge in Edges)
        {
            if (edge.IsBack && edge.ShortLabel is { } label)
            {
                var from = Nodes[edge.From];
                var to = Nodes[edge.To];
                var middle = (from.X + from.Width + to.X) / 2;
                right = Math.Max(right, middle + (SvgText.Width(label) / 2));
            }
        }

        Width = right + Margin;
        Height = bottom - top + (2 * Margin);
    }

    /// <summary>
    /// Each back edge dips below (or, when fewer nodes of its two columns are in the way, rises above) every
    /// node of the layers it spans; overlapping ones nest, shorter inside.
    /// </summary>
    private void PlaceBackEdges()
    {
        var back = Edges.Where(static e => e.IsBack)
            .OrderBy(e => Nodes[e.From].Layer - Nodes[e.To].Layer)
            .ThenBy(static e => e.Index)
            .ToList();
        var placed = new List<SvgEdge>();
        foreach (var edge in back)
        {
            var from = Nodes[edge.From];
            var to = Nodes[edge.To];
            var below = InTheWay(from, +1) + (from == to ? 0 : InTheWay(to, +1));
            var above = InTheWay(from, -1) + (from == to ? 0 : InTheWay(to, -1));
            edge.Above = above < below;
            var low = to.Layer;
            var high = from.Layer;
            var spanned = Nodes.Where(n => !n.IsDummy && n.Layer >= low && n.Layer <= high).ToList();
            var others = placed.Where(o => o.Above == edge.Above && Nodes[o.To].Layer <= high && Nodes[o.From].Layer >= low).ToList();
            if (edge.Above)
            {
                var ceiling = spanned.Min(static n => n.Y);
                foreach (var other in others)
                {
                    ceiling = Math.Min(ceiling, other.Low - (other.ShortLabel is null ? 0 : 14));
                }

                edge.Low = ceiling - BackEdgeStep;
            }
            else
            {
                var floor = spanned.Max(static n => n.Y + n.Height);
                foreach (var other in others)
                {
                    floor = Math.Max(floor, other.Low + (other.ShortLabel is null ? 0 : 14));
                }

                edge.Low = floor + BackEdgeStep;
            }

            placed.Add(edge);
        }
    }

    /// <summary>The number of real nodes in <paramref name="node"/>'s column below it (<paramref name="direction"/> +1) or above it (-1).</summary>
    private int InTheWay(SvgNode node, int direction) =>
        Nodes.Count(n => !n.IsDummy && n.Layer == node.Layer && n != node && Math.Sign(n.Anchor - node.Anchor) == direction);
}
