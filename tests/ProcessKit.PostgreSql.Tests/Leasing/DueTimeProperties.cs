using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProcessKit.PostgreSql.Leasing;

namespace ProcessKit.PostgreSql.Tests.Leasing;

public sealed class DueTimeProperties
{
    [Property]
    public Property The_database_due_time_is_never_earlier_than_the_engines_and_at_most_a_microsecond_later()
    {
        var ticks = Gen.Choose(0, int.MaxValue).Select(high => (long)high * 1_000_003L % DateTime.MaxValue.Ticks);
        return Prop.ForAll(ticks.ToArbitrary(), utcTicks =>
        {
            var stored = TimerQueue.ToDatabaseTime(utcTicks);
            return stored.Kind == DateTimeKind.Utc
                && stored.Ticks >= utcTicks
                && stored.Ticks - utcTicks < TimeSpan.TicksPerMicrosecond
                && stored.Ticks % TimeSpan.TicksPerMicrosecond == 0;
        });
    }
}
