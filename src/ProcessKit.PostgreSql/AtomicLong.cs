namespace ProcessKit.PostgreSql;

/// <summary>Moves a shared <see cref="long"/> only one way, lock-free: up to a larger value, or down to a smaller one.</summary>
/// <remarks>Thread-safe.</remarks>
internal static class AtomicLong
{
    /// <summary>Sets <paramref name="location"/> to <paramref name="value"/> unless it already holds as much or more.</summary>
    public static void RaiseTo(ref long location, long value)
    {
        var seen = Volatile.Read(ref location);
        while (value > seen)
        {
            var found = Interlocked.CompareExchange(ref location, value, seen);
            if (found == seen)
            {
                return;
            }

            seen = found;
        }
    }

    /// <summary>Sets <paramref name="location"/> to <paramref name="value"/> unless it already holds as little or less.</summary>
    public static void LowerTo(ref long location, long value)
    {
        var seen = Volatile.Read(ref location);
        while (value < seen)
        {
            var found = Interlocked.CompareExchange(ref location, value, seen);
            if (found == seen)
            {
                return;
            }

            seen = found;
        }
    }
}
