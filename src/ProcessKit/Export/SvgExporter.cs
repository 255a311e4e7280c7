using System.Globalization;
using System.Text;
using ProcessKit.Definitions;

namespace ProcessKit.Export;

/// <summary>
/// Draws a process definition as a standalone SVG image: a layered left-to-right layout with a shape per
/// step kind, labelled flows, and an instance's current and visited steps highlighted. Needs no script,
/// font or style sheet to show, so a page can inline it or serve it as <c>image/svg+xml</c>.
/// </summary>
/// <remarks>
/// <para>
/// Layout: the start event in the first column; every other node in the column of the longest path
/// to it from the start (flows that return to an earlier step, such as rework loops, are left out of
/// that count and drawn as curves returning left below, or above, the nodes they pass); nodes in a column
/// ordered by a few barycenter sweeps to reduce crossings. Flows spanning several columns run through
/// the columns between, never through a node.
/// </para>
/// <para>
/// Shapes: start event circle; human task, automated step and notification rounded boxes; sub-process
/// rounded box with a <c>+</c> marker; decision diamond; parallel split and join diamonds with <c>+</c>;
/// inclusive split and merge diamonds with a circle; event choice diamond with a double circle; message
/// wait and timer double circles with an envelope or a clock; end thick circle, filled inside when it
/// terminates the instance; a flow target that names no step a dashed box. Gateways and events have
/// their name below the shape. Names are wrapped to fit their box (at most three lines inside a box, two
/// below a shape), the last line ending with <c>…</c> when the name is longer; the full name is in the node's
/// tooltip. Flow labels (label, condition or outcome; <c>default</c> marked) are cut to about 24
/// characters; the full text is in the edge's tooltip. Escalations that take a path and message
/// timeouts are drawn as dotted edges labelled with their due time.
/// </para>
/// <para>
/// Styling: colours are presentation attributes, so the image looks right on its own and a page's CSS
/// overrides them. The root has the class <c>pk-diagram</c>; each node is a <c>g</c> with the classes
/// <c>pk-node</c> and its kind (<c>pk-start</c>, <c>pk-human-task</c>, <c>pk-automated</c>,
/// <c>pk-notification</c>, <c>pk-sub-process</c>, <c>pk-decision</c>, <c>pk-parallel-split</c>,
/// <c>pk-parallel-join</c>, <c>pk-inclusive-split</c>, <c>pk-inclusive-merge</c>, <c>pk-event-choice</c>,
/// <c>pk-wait-message</c>, <c>pk-timer</c>, <c>pk-end</c>, <c>pk-missing</c>, <c>pk-step</c>), plus
/// <c>pk-current</c> or <c>pk-visited</c>, and a <c>data-step</c> attribute with the step id; its main shape
/// has the class <c>pk-shape</c>. Each edge is a <c>g</c> with the classes <c>pk-edge</c>, its path kind
/// (<c>pk-happy</c>, <c>pk-alternate</c>, <c>pk-exception</c>, <c>pk-rework</c>), <c>pk-back</c> when it
/// returns left and <c>pk-boundary</c> for escalations and timeouts, and <c>data-from</c>/<c>data-to</c>.
/// Arrowheads are markers with the ids <c>arrow-happy</c>, <c>arrow-alternate</c>, <c>arrow-exception</c> and
/// <c>arrow-rework</c> after <see cref="SvgOptions.IdPrefix"/> (by default <c>pk-</c>, the process id and
/// version, as in <c>pk-order-v2-arrow-happy</c>), so diagrams of different process versions can share a page.
/// </para>
/// <para>
/// Accessibility: the root has <c>role="img"</c> and a <c>&lt;title&gt;</c> and <c>&lt;desc&gt;</c> (the
/// number of steps and the current ones); every node and labelled edge has a <c>&lt;title&gt;</c> tooltip.
/// </para>
/// <para>
/// The output is deterministic (the same definition and options give the same text, whatever the
/// machine or culture, with <c>\n</c> line ends) and well-formed XML for any definition: every text is
/// escaped and characters XML forbids are replaced. The exporter does not validate the definition; it
/// draws what it is given. Stateless and thread-safe.
/// </para>
/// </remarks>
public static class SvgExporter
{
    /// <summary>The media type of the output: <c>image/svg+xml</c>.</summary>
    public const string MediaType = "image/svg+xml";

    private const string Font = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

    private static readonly (PathKind Kind, string Name, string Colour, string Width, string? Dashes)[] PathStyles =
    [
        (PathKind.Happy, "happy", "#495057", "1.5", null),
        (PathKind.Alternate, "alternate", "#e8590c", "1.5", "6 4"),
        (PathKind.Exception, "exception", "#e03131", "2.5", null),
        (PathKind.Rework, "rework", "#7048e8", "1.5", "6 4"),
    ];

    /// <summary>Draws <paramref name="definition"/> as an SVG image.</summary>
    /// <param name="definition">The definition to draw. It need not be valid: a flow to an unknown step is drawn to a dashed box naming it.</param>
    /// <param name="options">What to highlight and the title; <see cref="SvgOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>The SVG document (an <c>svg</c> element without XML declaration), ending with a line break.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    public static string Export(ProcessDefinition definition, SvgOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        options ??= SvgOptions.Default;

        var layout = SvgLayout.Create(definition);
        var current = new HashSet<string>(options.HighlightSteps, StringComparer.Ordinal);
        var visited = new HashSet<string>(options.VisitedSteps, StringComparer.Ordinal);
        var text = new StringBuilder(2048 + (layout.Nodes.Count * 400) + (layout.Edges.Count * 300));
        var width = SvgText.Number(layout.Width);
        var height = SvgText.Number(layout.Height);
        text.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"pk-diagram\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" font-family=\"{Font}\" font-size=\"12\">\n");
        var title = options.Title ?? $"{(string.IsNullOrWhiteSpace(definition.Name) ? definition.Id : definition.Name)} (version {definition.Version.ToString(CultureInfo.InvariantCulture)})";
        text.Append("<title>").Append(SvgText.Escape(title)).Append("</title>\n");
        text.Append("<desc>").Append(SvgText.Escape(Description(definition, current))).Append("</desc>\n");
        var ids = SvgText.IdPrefix(options.IdPrefix ?? $"pk-{definition.Id}-v{definition.Version.ToString(CultureInfo.InvariantCulture)}-");
        WriteMarkers(text, ids);

        text.Append("<g class=\"pk-edges\" fill=\"none\">\n");
        foreach (var edge in layout.Edges)
        {
            WriteEdge(text, layout, edge, ids);
        }

        text.Append("</g>\n<g class=\"pk-nodes\">\n");
        foreach (var node in layout.Nodes)
        {
            if (!node.IsDummy)
            {
                var highlight = node.Step is null ? Highlight.None
                    : current.Contains(node.Step.Id) ? Highlight.Current
                    : visited.Contains(node.Step.Id) ? Highlight.Visited
                    : Highlight.None;
                WriteNode(text, node, highlight);
            }
        }

        text.Append("</g>\n</svg>\n");
        return text.ToString();
    }

    private enum Highlight
    {
        None,
        Current,
        Visited,
    }

    private static string Description(ProcessDefinition definition, HashSet<string> current)
    {
        var count = definition.Steps.Count;
        var description = $"Process {definition.Id}, {count.ToString(CultureInfo.InvariantCulture)} {(count == 1 ? "step" : "steps")}.";
        var here = definition.Steps.Where(s => current.Contains(s.Id)).Select(static s => string.IsNullOrWhiteSpace(s.Name) ? s.Id : s.Name).Distinct(StringComparer.Ordinal).ToList();
        return here.Count == 0 ? description : description + " Current: " + string.Join(", ", here) + ".";
    }

    private static void WriteMarkers(StringBuilder text, string ids)
    {
        text.Append("<defs>\n");
        foreach (var (_, name, colour, _, _) in PathStyles)
        {
            text.Append(CultureInfo.InvariantCulture, $"<marker id=\"{ids}arrow-{name}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"9\" markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"{colour}\"/></marker>\n");
        }

        text.Append("</defs>\n");
    }

    private static void WriteEdge(StringBuilder text, SvgLayout layout, SvgEdge edge, string ids)
    {
        var style = PathStyles.FirstOrDefault(s => s.Kind == edge.Path);
        if (style.Name is null)
        {
            style = PathStyles[0];
        }

        var from = layout.Nodes[edge.From];
        var to = layout.Nodes[edge.To];
        text.Append("<g class=\"pk-edge pk-").Append(style.Name);
        if (edge.IsBack)
        {
            text.Append(" pk-back");
        }

        if (edge.IsBoundary)
        {
            text.Append(" pk-boundary");
        }

        text.Append('"');
        Attribute(text, "data-from", NodeKey(from));
        Attribute(text, "data-to", NodeKey(to));
        text.Append(">\n");
        if (edge.Label is { Length: > 0 } label)
        {
            text.Append("<title>").Append(SvgText.Escape(label)).Append("</title>\n");
        }

        var path = new StringBuilder(128);
        double labelX;
        double labelY;
        if (edge.IsBack)
        {
            var self = edge.From == edge.To;
            var sx = self ? from.CenterX + (from.Width / 4) : from.CenterX - 6;
            var sy = edge.Above ? from.Y : from.Y + from.Height;
            var tx = self ? to.CenterX - (to.Width / 4) : to.CenterX + 6;
            var ty = edge.Above ? to.Y : to.Y + to.Height;
            var control = (edge.Low - (0.125 * (sy + ty))) / 0.75;
            path.Append('M').Append(Point(sx, sy)).Append(" C").Append(Point(sx, control)).Append(' ').Append(Point(tx, control)).Append(' ').Append(Point(tx, ty));
            labelX = (sx + tx) / 2;
            labelY = edge.Above ? edge.Low - 5 : edge.Low + 13;
        }
        else
        {
            var (x0, y0) = (from.CenterX + (from.ShapeWidth / 2), from.Anchor);
            path.Append('M').Append(Point(x0, y0));
            (labelX, labelY) = (x0, y0);
            for (var i = 1; i < edge.Chain.Count; i++)
            {
                var node = layout.Nodes[edge.Chain[i]];
                var (x1, y1) = node.IsDummy ? (node.X, node.Anchor) : (node.CenterX - (node.ShapeWidth / 2), node.Anchor);
                var middle = (x0 + x1) / 2;
                path.Append(" C").Append(Point(middle, y0)).Append(' ').Append(Point(middle, y1)).Append(' ').Append(Point(x1, y1));
                if (i == 1)
                {
                    (labelX, labelY) = (middle, ((y0 + y1) / 2) - 4);
                }

                if (node.IsDummy)
                {
                    (x0, y0) = (node.X + node.Width, node.Anchor);
                    path.Append(" L").Append(Point(x0, y0));
                }
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" stroke=\"{style.Colour}\" stroke-width=\"{style.Width}\"");
        var dashes = edge.IsBoundary ? "2 3" : style.Dashes;
        if (dashes is not null)
        {
            text.Append(" stroke-dasharray=\"").Append(dashes).Append('"');
        }

        text.Append(" marker-end=\"url(#").Append(ids).Append("arrow-").Append(style.Name).Append(")\"/>\n");
        if (edge.ShortLabel is { } shortLabel)
        {
            text.Append(CultureInfo.InvariantCulture, $"<text class=\"pk-label\" x=\"{SvgText.Number(labelX)}\" y=\"{SvgText.Number(labelY)}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{style.Colour}\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">");
            text.Append(SvgText.Escape(shortLabel)).Append("</text>\n");
        }

        text.Append("</g>\n");
    }

    private static string? NodeKey(SvgNode node) => node.Step?.Id ?? node.MissingId;

    private static void WriteNode(StringBuilder text, SvgNode node, Highlight highlight)
    {
        text.Append("<g class=\"pk-node ").Append(node.KindClass);
        text.Append(highlight switch
        {
            Highlight.Current => " pk-current",
            Highlight.Visited => " pk-visited",
            _ => string.Empty,
        });
        text.Append('"');
        if (node.Step is { } step)
        {
            Attribute(text, "data-step", step.Id);
        }
        else if (node.MissingId is { } missing)
        {
            Attribute(text, "data-missing", missing);
        }

        if (highlight == Highlight.Current)
        {
            text.Append(" aria-current=\"step\"");
        }

        text.Append(">\n<title>").Append(SvgText.Escape(node.Tooltip + highlight switch
        {
            Highlight.Current => " (current)",
            Highlight.Visited => " (visited)",
            _ => string.Empty,
        })).Append("</title>\n");

        var (fill, stroke) = Colours(node);
        var strokeWidth = node.Shape is SvgShape.End or SvgShape.Terminate ? "3.5" : "1.5";
        switch (highlight)
        {
            case Highlight.Current:
                (fill, stroke, strokeWidth) = ("#ffe066", "#e67700", "3.5");
                break;
            case Highlight.Visited:
                (fill, stroke) = ("#fff9db", "#f59f00");
                break;
        }

        var paint = $" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{strokeWidth}\"";
        var cx = node.CenterX;
        var cy = node.Anchor;
        var hw = node.ShapeWidth / 2;
        var hh = node.ShapeHeight / 2;
        switch (node.Shape)
        {
            case SvgShape.Task:
            case SvgShape.SubProcess:
            case SvgShape.Missing:
                text.Append(CultureInfo.InvariantCulture, $"<rect class=\"pk-shape\" x=\"{SvgText.Number(cx - hw)}\" y=\"{SvgText.Number(cy - hh)}\" width=\"{SvgText.Number(node.ShapeWidth)}\" height=\"{SvgText.Number(node.ShapeHeight)}\" rx=\"10\"{paint}");
                text.Append(node.Shape == SvgShape.Missing ? " stroke-dasharray=\"5 3\"/>\n" : "/>\n");
                if (node.Shape == SvgShape.SubProcess)
                {
                    var top = cy + hh - 16;
                    text.Append(CultureInfo.InvariantCulture, $"<rect x=\"{SvgText.Number(cx - 6)}\" y=\"{SvgText.Number(top)}\" width=\"12\" height=\"12\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"1.2\"/>\n");
                    text.Append(CultureInfo.InvariantCulture, $"<path d=\"M{Point(cx - 4, top + 6)}H{SvgText.Number(cx + 4)}M{Point(cx, top + 2)}V{SvgText.Number(top + 10)}\" stroke=\"{stroke}\" stroke-width=\"1.2\"/>\n");
                }

                WriteLines(text, node, cx, cy - (node.Shape == SvgShape.SubProcess ? 6 : 0));
                break;
            case SvgShape.Decision:
            case SvgShape.Parallel:
            case SvgShape.Inclusive:
            case SvgShape.EventChoice:
                text.Append(CultureInfo.InvariantCulture, $"<path class=\"pk-shape\" d=\"M{Point(cx, cy - hh)}L{Point(cx + hw, cy)}L{Point(cx, cy + hh)}L{Point(cx - hw, cy)}Z\"{paint}/>\n");
                switch (node.Shape)
                {
                    case SvgShape.Parallel:
                        text.Append(CultureInfo.InvariantCulture, $"<path d=\"M{Point(cx - 10, cy)}H{SvgText.Number(cx + 10)}M{Point(cx, cy - 10)}V{SvgText.Number(cy + 10)}\" stroke=\"{stroke}\" stroke-width=\"3\"/>\n");
                        break;
                    case SvgShape.Inclusive:
                        text.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{SvgText.Number(cx)}\" cy=\"{SvgText.Number(cy)}\" r=\"9\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"2.5\"/>\n");
                        break;
                    case SvgShape.EventChoice:
                        text.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{SvgText.Number(cx)}\" cy=\"{SvgText.Number(cy)}\" r=\"10\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"1.2\"/>\n");
                        text.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{SvgText.Number(cx)}\" cy=\"{SvgText.Number(cy)}\" r=\"7.5\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"1.2\"/>\n");
                        break;
                }

                WriteLinesBelow(text, node, cx, cy + hh);
                break;
            default:
                WriteEvent(text, node, paint, stroke, cx, cy, hw);
                WriteLinesBelow(text, node, cx, cy + hh);
                break;
        }

        text.Append("</g>\n");
    }

    private static void WriteEvent(StringBuilder text, SvgNode node, string paint, string stroke, double cx, double cy, double radius)
    {
        var x = SvgText.Number(cx);
        var y = SvgText.Number(cy);
        text.Append(CultureInfo.InvariantCulture, $"<circle class=\"pk-shape\" cx=\"{x}\" cy=\"{y}\" r=\"{SvgText.Number(radius)}\"{paint}/>\n");
        switch (node.Shape)
        {
            case SvgShape.Message:
            case SvgShape.Timer:
                text.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{x}\" cy=\"{y}\" r=\"{SvgText.Number(radius - 3.5)}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"1.2\"/>\n");
                if (node.Shape == SvgShape.Message)
                {
                    text.Append(CultureInfo.InvariantCulture, $"<path d=\"M{Point(cx - 7, cy - 5)}H{SvgText.Number(cx + 7)}V{SvgText.Number(cy + 5)}H{SvgText.Number(cx - 7)}ZL{Point(cx, cy + 1)}L{Point(cx + 7, cy - 5)}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"1.2\"/>\n");
                }
                else
                {
                    text.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{x}\" cy=\"{y}\" r=\"9\" fill=\"#ffffff\" stroke=\"{stroke}\" stroke-width=\"1.2\"/>\n");
                    text.Append(CultureInfo.InvariantCulture, $"<path d=\"M{Point(cx, cy - 6)}V{y}H{SvgText.Number(cx + 4.5)}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"1.2\"/>\n");
                }

                break;
            case SvgShape.Terminate:
                text.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{x}\" cy=\"{y}\" r=\"{SvgText.Number(radius - 7)}\" fill=\"{stroke}\"/>\n");
                break;
        }
    }

    private static (string Fill, string Stroke) Colours(SvgNode node) => node.KindClass switch
    {
        "pk-start" => ("#d3f9d8", "#2f9e44"),
        "pk-human-task" => ("#e7f5ff", "#1971c2"),
        "pk-automated" => ("#f3f0ff", "#6741d9"),
        "pk-notification" => ("#f8f9fa", "#495057"),
        "pk-sub-process" => ("#ebfbee", "#2f9e44"),
        "pk-decision" => ("#fff9db", "#f08c00"),
        "pk-parallel-split" or "pk-parallel-join" => ("#fff4e6", "#e8590c"),
        "pk-inclusive-split" or "pk-inclusive-merge" => ("#fff4e6", "#d9480f"),
        "pk-event-choice" => ("#fff0f6", "#c2255c"),
        "pk-wait-message" or "pk-timer" => ("#e3fafc", "#0c8599"),
        "pk-end" => ("#f1f3f5", "#212529"),
        "pk-missing" => ("#fff5f5", "#e03131"),
        _ => ("#ffffff", "#868e96"),
    };

    private static void WriteLines(StringBuilder text, SvgNode node, double cx, double middle)
    {
        var first = middle - ((node.Lines.Count - 1) * SvgNode.LineHeight / 2) + 4;
        WriteText(text, node, cx, first, SvgNode.LineHeight);
    }

    private static void WriteLinesBelow(StringBuilder text, SvgNode node, double cx, double shapeBottom) =>
        WriteText(text, node, cx, shapeBottom + 4 + 10, SvgNode.BelowLineHeight);

    private static void WriteText(StringBuilder text, SvgNode node, double cx, double firstBaseline, double lineHeight)
    {
        if (node.Lines.Count == 0)
        {
            return;
        }

        var x = SvgText.Number(cx);
        text.Append(CultureInfo.InvariantCulture, $"<text class=\"pk-name\" x=\"{x}\" text-anchor=\"middle\" fill=\"#212529\">");
        for (var i = 0; i < node.Lines.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"<tspan x=\"{x}\" y=\"{SvgText.Number(firstBaseline + (i * lineHeight))}\">{SvgText.Escape(node.Lines[i])}</tspan>");
        }

        text.Append("</text>\n");
    }

    private static void Attribute(StringBuilder text, string name, string? value)
    {
        if (value is not null)
        {
            text.Append(' ').Append(name).Append("=\"").Append(SvgText.Escape(value)).Append('"');
        }
    }

    private static string Point(double x, double y) => SvgText.Number(x) + "," + SvgText.Number(y);
}
