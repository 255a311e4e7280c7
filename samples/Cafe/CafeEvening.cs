namespace ProcessKit.Samples.Cafe;

/// <summary>What an evening at the cafe looks like for <see cref="CafeSimulation"/>: guests, staff, seed.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed record CafeEvening
{
    /// <summary>The default staff: 1 host, 2 waiters, 3 cooks, 1 cashier, 1 manager.</summary>
    public static IReadOnlyDictionary<string, int> DefaultStaff { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["host"] = 1,
        ["waiter"] = 2,
        ["cook"] = 3,
        ["cashier"] = 1,
        ["manager"] = 1,
    };

    /// <summary>How many guests come. Default 40. Ignored when <see cref="ArrivalTimes"/> is set.</summary>
    public int Guests { get; init; } = 40;

    /// <summary>How many guests arrive an hour, on average, at random. Default 6.</summary>
    public double ArrivalsPerHour { get; init; } = 6;

    /// <summary>Fixed arrival times (offsets from the evening's start) instead of random arrivals. Default none.</summary>
    public IReadOnlyList<TimeSpan> ArrivalTimes { get; init; } = [];

    /// <summary>People per role (role id); roles not listed have one person. Default <see cref="DefaultStaff"/>.</summary>
    public IReadOnlyDictionary<string, int> Staff { get; init; } = DefaultStaff;

    /// <summary>The seed: one seed, one evening. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Whether every step takes exactly its expected work time (for hand-checked figures). Default
    /// <see langword="false"/>: work times vary around the expected ones (lognormal, as the simulator does).
    /// </summary>
    public bool FixedWorkTimes { get; init; }

    /// <summary>
    /// Scripted guests, by arrival (guest <c>i</c> is <c>ScriptedGuests[i % n]</c>), instead of guests
    /// who order, pay and rate at random. Default none.
    /// </summary>
    public IReadOnlyList<CafeGuest> ScriptedGuests { get; init; } = [];
}
