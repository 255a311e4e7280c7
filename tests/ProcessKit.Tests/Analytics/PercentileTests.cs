using ProcessKit.Analytics;

namespace ProcessKit.Tests.Analytics;

public sealed class PercentileTests
{
    [Theory]
    [InlineData(new[] { 7 }, 0.5, 7)]
    [InlineData(new[] { 7 }, 0.9, 7)]
    [InlineData(new[] { 1, 2, 3, 4 }, 0.5, 2.5)]
    [InlineData(new[] { 1, 2, 3, 4, 5 }, 0.5, 3)]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 0.9, 9.1)]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 0.5, 5.5)]
    [InlineData(new[] { 15, 20, 35, 40, 50 }, 0.5, 35)]
    [InlineData(new[] { 15, 20, 35, 40, 50 }, 0.9, 46)]
    [InlineData(new[] { 15, 20, 35, 40, 50 }, 0.0, 15)]
    [InlineData(new[] { 15, 20, 35, 40, 50 }, 1.0, 50)]
    [InlineData(new[] { 10, 10, 10, 20 }, 0.9, 17)]
    public void Of_KnownSortedMinutes_InterpolatesBetweenClosestRanks(int[] minutes, double fraction, double expectedMinutes)
    {
        var sorted = minutes.Select(static m => TimeSpan.FromMinutes(m)).ToList();

        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), Percentile.Of(sorted, fraction));
    }

    [Fact]
    public void Of_RoundsToTheNearestTick()
    {
        var sorted = new[] { TimeSpan.Zero, TimeSpan.FromTicks(1) };

        Assert.Equal(TimeSpan.FromTicks(1), Percentile.Of(sorted, 0.5));
        Assert.Equal(TimeSpan.Zero, Percentile.Of(sorted, 0.4));
    }

    [Fact]
    public void Of_NoValues_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => Percentile.Of([], 0.5));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    public void Of_FractionOutsideZeroToOne_IsRefused(double fraction)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentile.Of([TimeSpan.Zero], fraction));
    }

    [Fact]
    public void Mean_RoundsToTheNearestTick()
    {
        Assert.Equal(TimeSpan.FromTicks(3), Percentile.Mean(10m, 3));
        Assert.Equal(TimeSpan.FromTicks(4), Percentile.Mean(11m, 3));
    }
}
