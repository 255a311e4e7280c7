namespace ProcessKit.Export;

/// <summary>The shape <see cref="SvgExporter"/> draws for a node.</summary>
internal enum SvgShape
{
    /// <summary>No shape: a dummy node carrying a long edge through a layer.</summary>
    None,

    /// <summary>The start event: a circle.</summary>
    Start,

    /// <summary>A task: a rounded box with the name inside.</summary>
    Task,

    /// <summary>A sub-process: a rounded box with a <c>+</c> marker.</summary>
    SubProcess,

    /// <summary>A decision: a diamond.</summary>
    Decision,

    /// <summary>A parallel split or join: a diamond with <c>+</c>.</summary>
    Parallel,

    /// <summary>An inclusive split or merge: a diamond with a circle.</summary>
    Inclusive,

    /// <summary>An event choice: a diamond with a double circle.</summary>
    EventChoice,

    /// <summary>A message wait: a double circle with an envelope.</summary>
    Message,

    /// <summary>A timer: a double circle with a clock.</summary>
    Timer,

    /// <summary>An end: a thick circle.</summary>
    End,

    /// <summary>An end that terminates the instance: a thick circle with a filled disc.</summary>
    Terminate,

    /// <summary>A flow target that names no step: a dashed box.</summary>
    Missing,
}
