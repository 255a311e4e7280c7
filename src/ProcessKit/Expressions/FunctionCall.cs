namespace ProcessKit.Expressions;

/// <summary>A function call found in an expression.</summary>
/// <param name="Name">The function name as written (for a member call such as <c>x.GetType()</c>, the dotted name).</param>
/// <param name="ArgumentCount">The number of arguments passed.</param>
/// <remarks>Immutable and thread-safe.</remarks>
internal readonly record struct FunctionCall(string Name, int ArgumentCount);
