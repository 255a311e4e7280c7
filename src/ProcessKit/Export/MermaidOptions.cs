using ProcessKit.Definitions;

namespace ProcessKit.Export;

/// <summary>How <see cref="MermaidExporter"/> draws a process definition.</summary>
/// <remarks>Immutable and thread-safe; compared by value.</remarks>
public sealed record MermaidOptions
{
    /// <summary>The default options: left to right, nothing highlighted.</summary>
    public static MermaidOptions Default { get; } = new();

    /// <summary>The direction of the flowchart. Default <see cref="MermaidDirection.LeftRight"/>.</summary>
    public MermaidDirection Direction { get; init; } = MermaidDirection.LeftRight;

    /// <summary>
    /// The ids of the steps to mark as current (for example an instance's active steps); they get
    /// the <c>current</c> class. Ids that name no step are ignored. Default: none.
    /// </summary>
    public ValueArray<string> HighlightSteps { get; init; }
}
