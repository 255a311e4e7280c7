using System.Xml.Linq;
using ProcessKit.Definitions;
using ProcessKit.Export;

namespace ProcessKit.Tests.Export;

/// <summary>Reads an exported SVG back and checks the invariants every diagram keeps.</summary>
internal static class SvgDiagram
{
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Parses <paramref name="svg"/> (failing on malformed XML) and returns its root.</summary>
    public static XElement Parse(string svg)
    {
        var root = XDocument.Parse(svg).Root!;
        Assert.Equal(Svg + "svg", root.Name);
        return root;
    }

    public static bool HasClass(XElement element, string name) =>
        ((string?)element.Attribute("class") ?? string.Empty).Split(' ').Contains(name, StringComparer.Ordinal);

    public static List<XElement> Nodes(XElement root) =>
        [.. root.Descendants(Svg + "g").Where(static g => HasClass(g, "pk-node") && g.Attribute("data-step") is not null)];

    public static List<XElement> Edges(XElement root) =>
        [.. root.Descendants(Svg + "g").Where(static g => HasClass(g, "pk-edge"))];

    /// <summary>The start's flow, every flow, every message timeout and every escalation that takes a path.</summary>
    public static List<(string From, string To)> ExpectedEdges(ProcessDefinition definition)
    {
        var edges = new List<(string From, string To)>();
        if (definition.Steps.IsEmpty)
        {
            return edges;
        }

        edges.Add((string.Empty, definition.GetStartStepId()!));
        foreach (var step in definition.Steps)
        {
            edges.AddRange(step.Flows.Select(f => (step.Id, f.To)));
            var escalations = step switch
            {
                HumanTaskStep task => task.Escalations,
                WaitMessageStep wait => wait.Escalations,
                _ => default,
            };
            if (step is WaitMessageStep { Timeout: { } timeout })
            {
                edges.Add((step.Id, timeout.To));
            }

            edges.AddRange(escalations.Where(static e => e.Action == EscalationAction.TakePath && e.To is not null).Select(e => (step.Id, e.To!)));
        }

        foreach (var deadline in definition.Deadlines)
        {
            edges.AddRange(deadline.Escalations.Where(static e => e.Action == EscalationAction.TakePath && e.To is not null).Select(e => (deadline.From, e.To!)));
        }

        return edges;
    }

    /// <summary>
    /// Asserts the invariants: well-formed, one node per step, every edge drawn, no two node boxes overlap, all
    /// inside the view box, every line of a name inside its node's room and every flow label no wider than the
    /// layout allows (widths estimated with the layout's own metric), every id reference resolved inside the diagram.
    /// </summary>
    public static XElement AssertInvariants(ProcessDefinition definition, string svg)
    {
        var root = Parse(svg);
        var nodes = Nodes(root);
        Assert.Equal(definition.Steps.Count, nodes.Count);
        Assert.Equal(
            definition.Steps.Select(static s => s.Id).Order(StringComparer.Ordinal),
            nodes.Select(static n => (string)n.Attribute("data-step")!).Order(StringComparer.Ordinal));

        var drawn = Edges(root).Select(static e => ((string?)e.Attribute("data-from") ?? string.Empty, (string?)e.Attribute("data-to") ?? string.Empty)).ToList();
        Assert.Equal(ExpectedEdges(definition).Order(), drawn.Order());
        Assert.All(Edges(root), static e => Assert.NotNull(e.Element(Svg + "path")?.Attribute("d")));

        var layout = SvgLayout.Create(definition);
        var boxes = layout.Nodes.Where(static n => !n.IsDummy).ToList();
        for (var i = 0; i < boxes.Count; i++)
        {
            var a = boxes[i];
            Assert.InRange(a.X, 0, layout.Width - a.Width);
            Assert.InRange(a.Y, 0, layout.Height - a.Height);
            for (var j = i + 1; j < boxes.Count; j++)
            {
                var b = boxes[j];
                var apart = a.X + a.Width <= b.X || b.X + b.Width <= a.X || a.Y + a.Height <= b.Y || b.Y + b.Height <= a.Y;
                Assert.True(apart, $"The boxes of '{a.Tooltip}' and '{b.Tooltip}' overlap.");
            }
        }

        AssertTextFits(root, layout);
        AssertReferencesResolve(root);
        return root;
    }

    /// <summary>
    /// Every line of a name is no wider than its node's room: a box's width less its padding on both sides,
    /// or, for a name below a shape, the node's box (which no other node's box overlaps). Flow labels are no
    /// wider than <see cref="SvgLayout.LabelWidth"/>.
    /// </summary>
    public static void AssertTextFits(XElement root, SvgLayout layout)
    {
        var byStep = layout.Nodes.Where(static n => n.Step is not null).GroupBy(static n => n.Step!.Id).ToDictionary(static g => g.Key, static g => g.First(), StringComparer.Ordinal);
        foreach (var element in Nodes(root))
        {
            var node = byStep[(string)element.Attribute("data-step")!];
            var lines = element.Descendants(Svg + "tspan").Select(static t => t.Value).ToList();
            Assert.Equal(node.Lines, lines);
            Assert.InRange(lines.Count, 0, node.LabelBelow ? SvgNode.BelowLines : SvgNode.BoxLines);
            var room = node.LabelBelow ? node.Width : node.ShapeWidth - (2 * SvgNode.BoxPadding);
            foreach (var line in lines)
            {
                // 1e-6: the room is the width plus padding less padding, which may round off the last bit.
                Assert.True(SvgText.Width(line) <= room + 1e-6, $"The line '{line}' of '{node.Tooltip}' is {SvgText.Width(line)} wide, its node has room for {room}.");
            }

            Assert.StartsWith(SvgText.Clean(node.Tooltip), element.Element(Svg + "title")!.Value, StringComparison.Ordinal);
        }

        foreach (var label in root.Descendants(Svg + "text").Where(static t => HasClass(t, "pk-label")))
        {
            Assert.True(SvgText.Width(label.Value) <= SvgLayout.LabelWidth, $"The flow label '{label.Value}' is too wide.");
        }
    }

    /// <summary>The ids of <paramref name="svg"/> and its elements.</summary>
    public static List<string> Ids(XElement svg) =>
        [.. svg.DescendantsAndSelf().Select(static e => (string?)e.Attribute("id")).OfType<string>()];

    /// <summary>The ids <paramref name="svg"/> refers to: <c>url(#...)</c> in any attribute and <c>href</c>/<c>xlink:href</c> starting with <c>#</c>.</summary>
    public static List<string> References(XElement svg)
    {
        var references = new List<string>();
        foreach (var attribute in svg.DescendantsAndSelf().SelectMany(static e => e.Attributes()))
        {
            var value = attribute.Value;
            for (var at = value.IndexOf("url(#", StringComparison.Ordinal); at >= 0; at = value.IndexOf("url(#", at + 1, StringComparison.Ordinal))
            {
                var end = value.IndexOf(')', at);
                references.Add(value[(at + 5)..end]);
            }

            if (attribute.Name.LocalName == "href" && value.StartsWith('#'))
            {
                references.Add(value[1..]);
            }
        }

        return references;
    }

    /// <summary>Every id is a valid XML id and unique, and every reference names an id of the same diagram.</summary>
    public static void AssertReferencesResolve(XElement svg)
    {
        var ids = Ids(svg);
        Assert.All(ids, static id => System.Xml.XmlConvert.VerifyNCName(id));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(References(svg), reference => Assert.Contains(reference, ids));
    }
}
