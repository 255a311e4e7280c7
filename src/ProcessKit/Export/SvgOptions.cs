using ProcessKit.Definitions;

namespace ProcessKit.Export;

/// <summary>How <see cref="SvgExporter"/> draws a process definition.</summary>
/// <remarks>Immutable and thread-safe; compared by value.</remarks>
public sealed record SvgOptions
{
    /// <summary>The default options: nothing highlighted, nothing visited, the definition's name as the title.</summary>
    public static SvgOptions Default { get; } = new();

    /// <summary>
    /// The ids of the steps to mark as current (for example an instance's active steps); their nodes get
    /// the <c>pk-current</c> class and a strong highlight. Ids that name no step are ignored. Default: none.
    /// </summary>
    public ValueArray<string> HighlightSteps { get; init; }

    /// <summary>
    /// The ids of the steps already visited (for example every step an instance's history says it
    /// entered); their nodes get the <c>pk-visited</c> class and a lighter highlight. A step that is
    /// also in <see cref="HighlightSteps"/> is drawn as current. Ids that name no step are ignored. Default: none.
    /// </summary>
    public ValueArray<string> VisitedSteps { get; init; }

    /// <summary>
    /// The diagram's accessible title (its <c>&lt;title&gt;</c> element). Default <see langword="null"/>:
    /// the definition's name and version.
    /// </summary>
    public string? Title { get; init; }

    /// <summary>
    /// What every id in the diagram starts with (the arrowhead markers, for example <c>{IdPrefix}arrow-happy</c>),
    /// so several diagrams inlined in one HTML page keep apart. Characters an XML id does not allow, and
    /// <c>_</c>, are written as <c>_</c> and their hexadecimal code point and <c>_</c>; <c>pk-</c> is put in
    /// front when the result does not start with a letter or <c>_</c>. Default <see langword="null"/>:
    /// <c>pk-</c>, the process id, <c>-v</c>, the version and <c>-</c> (<c>pk-order-v2-</c>), the same for every
    /// diagram of one process version; set it (for example from an instance id) to inline two diagrams of the same version.
    /// </summary>
    public string? IdPrefix { get; init; }
}
