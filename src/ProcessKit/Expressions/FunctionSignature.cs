namespace ProcessKit.Expressions;

/// <summary>A function of the expression language: its name, how many arguments it takes, and what it does.</summary>
/// <param name="Name">The name, case-sensitive.</param>
/// <param name="MinArguments">The fewest arguments.</param>
/// <param name="MaxArguments">The most arguments (<see cref="int.MaxValue"/> for no limit).</param>
/// <param name="Usage">How a call looks, for messages and the reference (for example <c>addDays(date, days)</c>).</param>
/// <param name="Description">What the function returns.</param>
/// <remarks>Immutable and thread-safe.</remarks>
internal sealed record FunctionSignature(string Name, int MinArguments, int MaxArguments, string Usage, string Description)
{
    /// <summary>Whether the number of arguments must be odd (<c>ifs</c>: pairs of condition and value, then a default).</summary>
    public bool OddArgumentCount { get; init; }

    /// <summary>Whether a call with <paramref name="count"/> arguments is allowed.</summary>
    public bool Accepts(int count) =>
        count >= MinArguments && count <= MaxArguments && (!OddArgumentCount || count % 2 == 1);
}
