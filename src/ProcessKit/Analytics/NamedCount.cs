namespace ProcessKit.Analytics;

/// <summary>A count under a name: instances per end outcome, breaches per role or per deadline.</summary>
/// <param name="Name">The name (an outcome, a role id, a deadline name).</param>
/// <param name="Count">How many.</param>
/// <remarks>Immutable and thread-safe; compared by value.</remarks>
public sealed record NamedCount(string Name, int Count);
