namespace ProcessKit.Definitions;

/// <summary>The type of a data field. In JSON these are written by name (<c>"String"</c>, <c>"Number"</c>, ...).</summary>
public enum DataType
{
    /// <summary>Text.</summary>
    String,

    /// <summary>A number (integer or decimal).</summary>
    Number,

    /// <summary>True or false.</summary>
    Boolean,

    /// <summary>A point in time with an offset (ISO 8601 in JSON).</summary>
    DateTime,

    /// <summary>A length of time (ISO 8601 duration in JSON, for example <c>PT15M</c>).</summary>
    Duration,

    /// <summary>A JSON object.</summary>
    Object,

    /// <summary>A JSON array.</summary>
    List,
}
