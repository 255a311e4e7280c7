namespace ProcessKit.Tests.Expressions;

/// <summary>A clock stopped at one instant, for tests of <c>now()</c>.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
