namespace ProcessKit.Benchmarks.Compare;

/// <summary>The garbage collections of each generation that ran during a timed phase (a gen 1 collection counts in gen 0 too, and so on).</summary>
/// <param name="Gen0">Collections of generation 0 (every collection).</param>
/// <param name="Gen1">Collections of generation 1 or 2.</param>
/// <param name="Gen2">Full collections.</param>
internal sealed record GcCounts(int Gen0, int Gen1, int Gen2)
{
    /// <summary>The counts so far in this process.</summary>
    public static GcCounts Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    /// <summary>The collections since <paramref name="before"/>.</summary>
    public GcCounts Since(GcCounts before) => new(Gen0 - before.Gen0, Gen1 - before.Gen1, Gen2 - before.Gen2);

    /// <inheritdoc />
    public override string ToString() => $"gc {Gen0}/{Gen1}/{Gen2}";
}
