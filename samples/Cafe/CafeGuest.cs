namespace ProcessKit.Samples.Cafe;

/// <summary>A scripted guest for <see cref="CafeEvening.ScriptedGuests"/>: what they order, how they pay and rate.</summary>
/// <param name="Dishes">The dishes ordered (one cooking task each).</param>
/// <param name="Drinks">The drinks ordered; none skips the drinks branch.</param>
/// <param name="Rating">The rating given, 1 to 5.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record CafeGuest(IReadOnlyList<string> Dishes, IReadOnlyList<string> Drinks, int Rating)
{
    /// <summary>How the guest pays: <c>card</c> (default) or <c>cash</c>.</summary>
    public string Payment { get; init; } = "card";

    /// <summary>Whether the guest takes the free dessert when the order is late. Default <see langword="true"/>.</summary>
    public bool TakesDessert { get; init; } = true;
}
