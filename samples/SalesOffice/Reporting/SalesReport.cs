using System.Globalization;
using ProcessKit.Analytics;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Samples.SalesOffice.Crm;
using ProcessKit.Samples.Shared.Tables;

namespace ProcessKit.Samples.SalesOffice.Reporting;

/// <summary>
/// The sales office's figures over every lead stored in the database: time to first reaction,
/// conversion, cycle time, cost per deal, satisfaction and deadline breaches by role. Computed from
/// the engine's history with <see cref="ProcessAnalytics"/>; the lead list comes from the CRM.
/// </summary>
internal sealed record SalesReport
{
    /// <summary>The engine's report over every lead (all outcomes).</summary>
    public required ProcessReport Process { get; init; }

    /// <summary>The engine's report over the won deals only (their cycle time, cost and rating).</summary>
    public required ProcessReport Won { get; init; }

    /// <summary>When running instances were measured (the end of the last simulated day), if known.</summary>
    public DateTimeOffset? AsOf { get; init; }

    /// <summary>Every lead (the instances of the engine's report).</summary>
    public int Leads => Process.Instances;

    /// <summary>Leads that became deals (the deal was created or converted at once).</summary>
    public int BecameDeals { get; init; }

    public int DealsWon => Won.Instances;

    public int DealsLost => Outcome("DealLost");

    public int LeadsLost => Outcome("LeadLost");

    public int Running => Process.Running;

    /// <summary>How often the operator's 15-minute reaction deadline was missed.</summary>
    public int ReactionDeadlineMissed { get; init; }

    /// <summary>Share of leads that became deals; <see langword="null"/> without leads.</summary>
    public double? Conversion => Leads == 0 ? null : (double)BecameDeals / Leads;

    /// <summary>Share of leads that ended as won deals; <see langword="null"/> without leads.</summary>
    public double? WinRate => Leads == 0 ? null : (double)DealsWon / Leads;

    /// <summary>Every cost of every lead (won, lost or running) over the deals won; <see langword="null"/> without a won deal.</summary>
    public decimal? CostPerDealWon => DealsWon == 0 ? null : Process.TotalCost / DealsWon;

    /// <summary>Reads every lead's history and computes the figures.</summary>
    public static async Task<SalesReport> ComputeAsync(ProcessEngine engine, CrmDatabase crm, ProcessDefinition definition, DateTimeOffset? asOf, CancellationToken cancellationToken)
    {
        var all = new List<InstanceCharacteristics>();
        foreach (var id in await crm.LeadInstancesAsync(cancellationToken))
        {
            var history = await engine.GetHistoryAsync(new InstanceId(id), cancellationToken);
            if (history.Count > 0 && history[0].ProcessId == definition.Id && history[0].ProcessVersion == definition.Version)
            {
                all.Add(ProcessAnalytics.Characteristics(definition, history, asOf is { } at && at >= history[^1].Time ? at : null));
            }
        }

        var won = all.Where(static c => c.EndOutcome == "DealWon").ToList();
        return new SalesReport
        {
            Process = ProcessAnalytics.Report(definition, all),
            Won = ProcessAnalytics.Report(definition, won),
            AsOf = asOf,
            BecameDeals = all.Count(static c => c.Step("createDeal") is not null || c.Step("convertToDeal") is not null),
            ReactionDeadlineMissed = all.Sum(static c => c.Breaches.Count(static b => b.StepId == "reviewLead")),
        };
    }

    /// <summary>The report as text: the sales figures, then the engine's table of steps.</summary>
    public string ToText()
    {
        var p = Process;
        var rows = new List<(string, string)>
        {
            ("leads", Invariant($"{Leads}")),
            ("time to first reaction", p.MeanTimeToFirstReaction is { } reaction
                ? Invariant($"mean {Duration(reaction)} over {p.ReactedInstances} leads; the 15-minute deadline was missed {ReactionDeadlineMissed} times")
                : "-"),
            ("conversion", Invariant($"{BecameDeals} of {Leads} leads became deals ({Percent(Conversion)}); {DealsWon} deals won ({Percent(WinRate)} of leads)")),
            ("lost and open", Invariant($"{LeadsLost} leads lost, {DealsLost} deals lost, {Running} still running")),
            ("cycle time, won deals", Won.CycleTimeMedian is { } median
                ? $"median {Duration(median)}, 90th percentile {Duration(Won.CycleTime90thPercentile!.Value)}"
                : "-"),
            ("cycle time, every ended lead", p.CycleTimeMedian is { } all ? $"median {Duration(all)}, 90th percentile {Duration(p.CycleTime90thPercentile!.Value)}" : "-"),
            ("cost", Invariant($"total {Money(p.TotalCost)}; per deal won {Money(CostPerDealWon)} (every lead's cost over the deals won); per won deal's own steps {Money(Won.MeanCost)}")),
            ("satisfaction", p.MeanSatisfaction is { } s ? Invariant($"{s:0.00} of 5 ({p.RatedInstances} rated)") : "-"),
            ("deadline breaches by role", p.BreachesByRole.IsEmpty ? "none" : string.Join(", ", p.BreachesByRole.Select(static b => Invariant($"{b.Name ?? "-"} {b.Count}")))),
        };

        var table = new TextTable("figure", "value").AlignLeft(1);
        foreach (var (name, value) in rows)
        {
            table.AddRow(name, value);
        }

        var text = new System.Text.StringBuilder(table.ToString());
        text.Append('\n').Append("Per step (the engine's ProcessReport):\n").Append(p.ToTable());
        return text.ToString();
    }

    internal static string Duration(TimeSpan time)
    {
        if (time.TotalDays >= 1)
        {
            return Invariant($"{(int)time.TotalDays}d {time.Hours:00}h {time.Minutes:00}m");
        }

        return time.TotalHours >= 1 ? Invariant($"{(int)time.TotalHours}h {time.Minutes:00}m {time.Seconds:00}s") : Invariant($"{time.Minutes}m {time.Seconds:00}s");
    }

    /// <summary>How many leads ended with <paramref name="endOutcome"/> (the engine's report counts the outcomes of completed instances).</summary>
    private int Outcome(string endOutcome) => Process.Outcomes.FirstOrDefault(o => o.Name == endOutcome)?.Count ?? 0;

    private static string Percent(double? rate) => rate is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-";

    private static string Money(decimal? amount) => amount is { } a ? a.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
