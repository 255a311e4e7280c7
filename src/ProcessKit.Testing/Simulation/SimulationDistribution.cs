using System.Globalization;

namespace ProcessKit.Testing.Simulation;

/// <summary>
/// How long something takes in a simulation (a person's work on a task, a message's delay): a
/// distribution of durations sampled from seeded random numbers. Samples below zero count as zero
/// and every sample is rounded to whole seconds.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class SimulationDistribution
{
    /// <summary>The spread of the default work-time distribution: the <c>sigma</c> of <see cref="LogNormal(TimeSpan, double)"/>, 0.3 (about a third of the mean).</summary>
    public const double DefaultSpread = 0.3;

    private readonly Func<double, double, TimeSpan> _sample;

    private SimulationDistribution(string description, Func<double, double, TimeSpan> sample)
    {
        Description = description;
        _sample = sample;
    }

    /// <summary>A short description for reports, such as <c>lognormal(mean 15m 00s, sigma 0.30)</c>.</summary>
    public string Description { get; }

    /// <summary>Always the same duration.</summary>
    /// <param name="duration">The duration; not negative.</param>
    /// <returns>The distribution.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public static SimulationDistribution Fixed(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        return new("fixed " + Format(duration), (_, _) => duration);
    }

    /// <summary>Any duration from <paramref name="minimum"/> to <paramref name="maximum"/>, equally likely.</summary>
    /// <param name="minimum">The shortest; not negative.</param>
    /// <param name="maximum">The longest; not below <paramref name="minimum"/>.</param>
    /// <returns>The distribution.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A bound is negative or they are out of order.</exception>
    public static SimulationDistribution Uniform(TimeSpan minimum, TimeSpan maximum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimum, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximum, minimum);
        return new(
            string.Create(CultureInfo.InvariantCulture, $"uniform({Format(minimum)} to {Format(maximum)})"),
            (u, _) => minimum + ((maximum - minimum) * u));
    }

    /// <summary>A triangular distribution: from <paramref name="minimum"/> to <paramref name="maximum"/>, most likely <paramref name="mode"/>.</summary>
    /// <param name="minimum">The shortest; not negative.</param>
    /// <param name="mode">The most likely; from <paramref name="minimum"/> to <paramref name="maximum"/>.</param>
    /// <param name="maximum">The longest.</param>
    /// <returns>The distribution.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A bound is negative or they are out of order.</exception>
    public static SimulationDistribution Triangular(TimeSpan minimum, TimeSpan mode, TimeSpan maximum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimum, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(mode, minimum);
        ArgumentOutOfRangeException.ThrowIfLessThan(maximum, mode);
        double a = minimum.Ticks, c = mode.Ticks, b = maximum.Ticks;
        return new(
            string.Create(CultureInfo.InvariantCulture, $"triangular({Format(minimum)}, {Format(mode)}, {Format(maximum)})"),
            (u, _) =>
            {
                if (b <= a)
                {
                    return minimum;
                }

                var split = (c - a) / (b - a);
                var ticks = u < split ? a + Math.Sqrt(u * (b - a) * (c - a)) : b - Math.Sqrt((1 - u) * (b - a) * (b - c));
                return TimeSpan.FromTicks((long)ticks);
            });
    }

    /// <summary>An exponential distribution (memoryless waits, such as the time between random arrivals).</summary>
    /// <param name="mean">The mean; positive.</param>
    /// <returns>The distribution.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mean"/> is not positive.</exception>
    public static SimulationDistribution Exponential(TimeSpan mean)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(mean, TimeSpan.Zero);
        return new("exponential(mean " + Format(mean) + ")", (u, _) => TimeSpan.FromTicks((long)(-Math.Log(1 - u) * mean.Ticks)));
    }

    /// <summary>
    /// A lognormal distribution with the given mean: never negative, skewed towards long durations
    /// (most work is done in about the expected time, some takes much longer). The default for work
    /// times, with the step's expected time as the mean and <see cref="DefaultSpread"/>.
    /// </summary>
    /// <param name="mean">The mean; positive.</param>
    /// <param name="sigma">The standard deviation of the duration's logarithm; 0 gives the mean every time. Default <see cref="DefaultSpread"/>; from 0 to 3.</param>
    /// <returns>The distribution.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mean"/> is not positive, or <paramref name="sigma"/> is out of range.</exception>
    public static SimulationDistribution LogNormal(TimeSpan mean, double sigma = DefaultSpread)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(mean, TimeSpan.Zero);
        if (!(sigma >= 0 && sigma <= 3))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The sigma must be from 0 to 3.");
        }

        // The median of a lognormal is exp(mu); its mean is exp(mu + sigma^2 / 2).
        var mu = Math.Log(mean.Ticks) - (sigma * sigma / 2);
        return new(
            string.Create(CultureInfo.InvariantCulture, $"lognormal(mean {Format(mean)}, sigma {sigma:0.00})"),
            (u1, u2) =>
            {
                var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                return TimeSpan.FromTicks((long)Math.Min(Math.Exp(mu + (sigma * normal)), TimeSpan.MaxValue.Ticks / 4.0));
            });
    }

    /// <summary>Any distribution, given by its quantile function: the duration below which a share <c>p</c> of samples fall.</summary>
    /// <param name="quantile">Maps <c>p</c>, strictly between 0 and 1, to a duration; must be pure (the same <c>p</c> gives the same duration) for runs to repeat.</param>
    /// <param name="description">A short description for reports.</param>
    /// <returns>The distribution.</returns>
    public static SimulationDistribution FromQuantile(Func<double, TimeSpan> quantile, string description)
    {
        ArgumentNullException.ThrowIfNull(quantile);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        return new(description, (u, _) => quantile(u));
    }

    /// <summary>Returns <see cref="Description"/>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Description;

    /// <summary>A sample from two independent uniform numbers in (0, 1), rounded to whole seconds, never negative.</summary>
    internal TimeSpan Sample(double u1, double u2)
    {
        var value = _sample(u1, u2);
        if (value <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.FromSeconds(Math.Round(value.TotalSeconds, MidpointRounding.AwayFromZero));
    }

    internal static string Format(TimeSpan value) =>
        value.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)value.TotalHours}h {value.Minutes:00}m")
            : string.Create(CultureInfo.InvariantCulture, $"{value.Minutes}m {value.Seconds:00}s");
}
