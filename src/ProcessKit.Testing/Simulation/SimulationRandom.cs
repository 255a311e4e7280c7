namespace ProcessKit.Testing.Simulation;

/// <summary>
/// Random numbers tied to what they are for (the seed, a purpose, an arrival, a step, a run of it)
/// rather than to the order of events: with more staff, the same guest still orders the same dishes
/// and the same cook still takes as long over them, so runs with different staff compare fairly
/// (common random numbers).
/// </summary>
internal static class SimulationRandom
{
    public const int Arrival = 1;
    public const int StartData = 2;
    public const int WorkTime = 3;
    public const int Outcome = 4;
    public const int TaskData = 5;
    public const int NoMessage = 6;
    public const int MessageDelay = 7;
    public const int Payload = 8;
    public const int Handler = 9;

    /// <summary>A number strictly between 0 and 1, a pure function of its arguments.</summary>
    public static double Uniform(int seed, int purpose, long a, long b = 0, long c = 0, long d = 0)
    {
        var h = Hash(seed, purpose, a, b, c, d);
        return ((h >> 11) + 0.5) * (1.0 / (1UL << 53));
    }

    /// <summary>A seed for <see cref="Random"/>, a pure function of its arguments.</summary>
    public static int SeedFor(int seed, int purpose, long a, long b = 0, long c = 0) =>
        (int)(Hash(seed, purpose, a, b, c, 0x5EED) & 0x7FFF_FFFF);

    private static ulong Hash(int seed, int purpose, long a, long b, long c, long d)
    {
        var h = Mix(0x9E37_79B9_7F4A_7C15UL ^ (uint)seed);
        h = Mix(h ^ (ulong)purpose);
        h = Mix(h ^ (ulong)a);
        h = Mix(h ^ (ulong)b);
        h = Mix(h ^ (ulong)c);
        return Mix(h ^ (ulong)d);
    }

    // The SplitMix64 finalizer: every input bit affects every output bit.
    private static ulong Mix(ulong z)
    {
        z += 0x9E37_79B9_7F4A_7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }
}
