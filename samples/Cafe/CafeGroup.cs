namespace ProcessKit.Samples.Cafe;

/// <summary>The figures of a group of guests in a simulated evening (for example those who got the free dessert).</summary>
/// <param name="Name">What the group is, for people.</param>
/// <param name="Guests">How many guests are in it (completed or not).</param>
/// <param name="MeanCost">Mean cost per completed guest; <see langword="null"/> when none completed.</param>
/// <param name="MeanRating">Mean rating of the guests who rated; <see langword="null"/> when none did.</param>
/// <param name="MedianCycleTime">Median time from arrival to the end, of completed guests; <see langword="null"/> when none completed.</param>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record CafeGroup(string Name, int Guests, decimal? MeanCost, decimal? MeanRating, TimeSpan? MedianCycleTime);
