using ProcessKit.Definitions;

namespace ProcessKit.Export;

/// <summary>One drawn edge of an <see cref="SvgLayout"/>: a flow, the start's flow, a message timeout or an escalation.</summary>
/// <remarks>Mutable while the layout is built; not thread-safe.</remarks>
internal sealed class SvgEdge(int index, int from, int to, PathKind path, string? label, bool boundary)
{
    public int Index { get; } = index;

    public int From { get; } = from;

    public int To { get; } = to;

    public PathKind Path { get; } = path;

    /// <summary>The whole label (for the tooltip), or <see langword="null"/>.</summary>
    public string? Label { get; } = label is null ? null : SvgText.Clean(label).Trim();

    /// <summary>The label as drawn: at most <see cref="SvgLayout.LabelWidth"/> wide.</summary>
    public string? ShortLabel { get; } = label is null || string.IsNullOrWhiteSpace(label) ? null : SvgText.Shorten(label, SvgLayout.LabelWidth);

    /// <summary>A message timeout or an escalation rather than a flow.</summary>
    public bool IsBoundary { get; } = boundary;

    /// <summary>The edge returns to an earlier layer (or its own node): drawn as a curve below.</summary>
    public bool IsBack { get; set; }

    /// <summary>The nodes the edge passes: its source, dummy nodes, its target.</summary>
    public List<int> Chain { get; } = [];

    /// <summary>A back edge drawn above the nodes rather than below.</summary>
    public bool Above { get; set; }

    /// <summary>For a back edge, the y its curve reaches farthest from the nodes (lowest below them, highest above).</summary>
    public double Low { get; set; }
}
