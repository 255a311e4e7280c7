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
}
