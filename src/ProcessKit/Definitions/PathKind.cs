namespace ProcessKit.Definitions;

/// <summary>Which kind of path a flow belongs to, so that reports can tell the happy path from the others.</summary>
public enum PathKind
{
    /// <summary>The path taken when everything goes as planned. The default.</summary>
    Happy,

    /// <summary>A planned route other than the happy one: missing data, a dish not available, a refusal.</summary>
    Alternate,

    /// <summary>A route for something going wrong: a deadline missed, a timeout, an error.</summary>
    Exception,

    /// <summary>A backward route that repeats earlier work (a rework loop).</summary>
    Rework,
}
