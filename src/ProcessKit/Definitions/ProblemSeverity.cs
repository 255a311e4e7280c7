namespace ProcessKit.Definitions;

/// <summary>How serious a problem found in a definition is.</summary>
public enum ProblemSeverity
{
    /// <summary>The definition cannot be used until this is fixed.</summary>
    Error,

    /// <summary>The definition is usable, but probably not what was meant.</summary>
    Warning,
}
