namespace ProcessKit.Export;

/// <summary>The direction a Mermaid flowchart is laid out in.</summary>
public enum MermaidDirection
{
    /// <summary>Left to right (<c>LR</c>). The default: lanes stack as rows, like a swimlane diagram.</summary>
    LeftRight,

    /// <summary>Top to bottom (<c>TD</c>).</summary>
    TopDown,

    /// <summary>Right to left (<c>RL</c>).</summary>
    RightLeft,

    /// <summary>Bottom to top (<c>BT</c>).</summary>
    BottomUp,
}
