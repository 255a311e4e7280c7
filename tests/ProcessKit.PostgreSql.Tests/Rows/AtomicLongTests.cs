using ProcessKit.PostgreSql;

namespace ProcessKit.PostgreSql.Tests.Rows;

/// <summary>A shared value moved one way only: raised to the largest value offered, lowered to the smallest.</summary>
public sealed class AtomicLongTests
{
    [Fact]
    public void Raising_keeps_the_largest_value_and_lowering_the_smallest()
    {
        long high = 5;
        AtomicLong.RaiseTo(ref high, 3);
        Assert.Equal(5, high);
        AtomicLong.RaiseTo(ref high, 9);
        Assert.Equal(9, high);

        long low = 5;
        AtomicLong.LowerTo(ref low, 7);
        Assert.Equal(5, low);
        AtomicLong.LowerTo(ref low, -2);
        Assert.Equal(-2, low);
    }

    [Fact]
    public async Task Concurrent_raises_and_lowers_end_at_the_extremes_offered()
    {
        long high = 0;
        long low = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(
            () =>
            {
                for (var i = 1; i <= 50_000; i++)
                {
                    AtomicLong.RaiseTo(ref high, (i * 4) + t);
                    AtomicLong.LowerTo(ref low, -((i * 4) + t));
                }
            },
            TestContext.Current.CancellationToken)));

        Assert.Equal((50_000 * 4) + 3, Volatile.Read(ref high));
        Assert.Equal(-((50_000 * 4) + 3), Volatile.Read(ref low));
    }
}
