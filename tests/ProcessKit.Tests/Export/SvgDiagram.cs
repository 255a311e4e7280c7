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

    /// <summary>Asserts the invariants: well-formed, one node per step, every edge drawn, no two node boxes overlap, all inside the view box.</summary>
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

        return root;
    }
}
