using FsCheck;
using FsCheck.Xunit;
using ProcessKit.History;
using static ProcessKit.Testing.Tests.Samples;

namespace ProcessKit.Testing.Tests;

/// <summary>Invariants of moving fake time.</summary>
public sealed class AdvanceProperties
{
    private static async Task<IReadOnlyList<HistoryEvent>> RunAsync(IEnumerable<TimeSpan> advances)
    {
        var harness = await ProcessTestHarness.CreateAsync(Small.Payment(), Ct);
        var instance = await harness.StartAsync("payment", Small.Case("A"), cancellationToken: Ct);
        foreach (var by in advances)
        {
            await harness.AdvanceAsync(by, Ct);
        }

        return await instance.GetHistoryAsync(Ct);
    }

    [Property(MaxTest = 40)]
    public async Task<bool> However_time_is_cut_into_advances_the_same_events_happen_at_the_same_times(PositiveInt[] cuts)
    {
        ArgumentNullException.ThrowIfNull(cuts);
        var total = TimeSpan.FromDays(3);
        var pieces = cuts.Take(12).Select(static c => TimeSpan.FromMinutes(c.Get % 2000)).ToList();
        var rest = total - pieces.Aggregate(TimeSpan.Zero, static (a, b) => a + b);
        var plan = rest >= TimeSpan.Zero ? [.. pieces, rest] : pieces;
        var expected = await RunAsync([plan.Aggregate(TimeSpan.Zero, static (a, b) => a + b)]);
        var actual = await RunAsync(plan);
        return expected.Count > 0 && expected.SequenceEqual(actual);
    }
}
