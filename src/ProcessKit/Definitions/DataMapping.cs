namespace ProcessKit.Definitions;

/// <summary>Sets a field from an expression: a sub-process's input from the caller's data, or the caller's data from the sub-process's output.</summary>
/// <param name="Target">The field that receives the value.</param>
/// <param name="Value">The expression giving the value, evaluated over the source data.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record DataMapping(string Target, ProcessExpression Value);
