using System.Globalization;
using ProcessKit.Analytics;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Samples.Shared.Tables;
using ProcessKit.Testing.Simulation;

namespace ProcessKit.Samples.Cafe;

/// <summary>
/// An evening at the cafe on <see cref="ProcessSimulator"/>: the real engine on virtual time, guests
/// who order from the menu, staff per role, and a report with the free-dessert breakdown.
/// </summary>
/// <remarks>
/// <para>
/// The guests (unless scripted): 1 or 2 dishes from the menu (1 in 50 orders the chef's special,
/// which is not on the menu: the bill is then priced by hand); 0 to 2 drinks (1 in 5 orders none);
/// 1 in 10 orders a dish that is out (the waiter offers an alternative and takes the order again);
/// 7 in 10 pay by card. A late guest takes the free dessert 4 times in 5. Ratings: served on time
/// 5 (60%), 4 (35%) or 3; late with the dessert 5 (30%), 4 (50%) or 3; late without it 4 (30%), 3
/// (40%) or 2. Every random number comes from the seed and the guest, so two evenings that differ
/// only in staff see the same guests.
/// </para>
/// <para>Thread-safe: every run has its own simulation.</para>
/// </remarks>
public static class CafeSimulation
{
    private const string ChefsSpecial = "chef's special";

    /// <summary>The simulator's options for an evening, the cafe's handlers and guests included.</summary>
    /// <param name="evening">The evening.</param>
    /// <param name="dessertTaken">Filled with, per guest offered the free dessert, whether they took it.</param>
    /// <returns>Options to run with <see cref="ProcessSimulator.RunAsync"/>.</returns>
    public static SimulationOptions CreateOptions(CafeEvening evening, IDictionary<InstanceId, bool>? dessertTaken = null)
    {
        ArgumentNullException.ThrowIfNull(evening);
        var definition = CafeProcess.Definition;
        var options = new SimulationOptions(definition)
        {
            Count = evening.ArrivalTimes.Count > 0 ? evening.ArrivalTimes.Count : evening.Guests,
            ArrivalsPerHour = evening.ArrivalsPerHour,
            Seed = evening.Seed,
            StartTime = new DateTimeOffset(2026, 6, 5, 18, 0, 0, TimeSpan.Zero),
        };
        foreach (var at in evening.ArrivalTimes)
        {
            options.ArrivalTimes.Add(at);
        }

        foreach (var (role, people) in evening.Staff)
        {
            options.Staff[role] = people;
        }

        if (evening.FixedWorkTimes)
        {
            foreach (var step in definition.Steps.Where(static s => s.WorkTime is not null))
            {
                options.WorkTimes[step.Id] = SimulationDistribution.Fixed(step.WorkTime!.Value);
            }
        }

        options.AddHandler(CafeProcess.ComputeBillHandler, CafeMenu.ComputeBill);
        options.StartData = (arrival, random) => new Dictionary<string, object?> { ["partySize"] = random.Next(1, 5) };
        var scripted = evening.ScriptedGuests;
        if (scripted.Count > 0)
        {
            options.OutcomeWeights["takeOrder"] = new Dictionary<string, double> { ["ordered"] = 1 };
        }
        else
        {
            options.OutcomeWeights["takeOrder"] = new Dictionary<string, double> { ["ordered"] = 9, ["dishUnavailable"] = 1 };
            options.OutcomeWeights["billAndPayment"] = new Dictionary<string, double> { ["card"] = 7, ["cash"] = 3 };
        }

        options.OnTaskCompleting = task =>
        {
            var guest = scripted.Count > 0 ? scripted[task.Arrival % scripted.Count] : null;
            switch (task.Task.StepId)
            {
                case "greetGuest":
                    task.Data["table"] = (task.Arrival % 40) + 1;
                    break;
                case "takeOrder":
                    task.Data["dishes"] = guest?.Dishes.ToList() ?? Order(task.Random, CafeMenu.Dishes.Keys, 1, 2, special: 0.02);
                    task.Data["drinks"] = guest?.Drinks.ToList() ?? (task.Random.NextDouble() < 0.2 ? [] : Order(task.Random, CafeMenu.Drinks.Keys, 1, 2, special: 0));
                    break;
                case "priceByHand":
                    var known = task.InstanceData.TryGetValue("billTotal", out var total) && total is decimal d ? d : 0m;
                    task.Data["billTotal"] = known + (18.00m * CafeMenu.Items(task.InstanceData.GetValueOrDefault("unpricedItems")).Count);
                    break;
                case "billAndPayment" when guest is not null:
                    task.Outcome = guest.Payment;
                    break;
                case "offerFreeDessert":
                    var takes = guest?.TakesDessert ?? task.Random.NextDouble() < 0.8;
                    task.Data["freeDessert"] = takes;
                    if (dessertTaken is not null)
                    {
                        dessertTaken[task.Task.Instance] = takes;
                    }

                    break;
                case "askRating":
                    task.Data["rating"] = guest?.Rating ?? Rating(task.Random, task.InstanceData.GetValueOrDefault("freeDessert") as bool?);
                    break;
                default:
                    break;
            }
        };
        return options;
    }

    /// <summary>Simulates an evening.</summary>
    /// <param name="evening">The evening.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The report.</returns>
    public static async ValueTask<CafeEveningReport> RunAsync(CafeEvening evening, CancellationToken cancellationToken = default)
    {
        var dessert = new Dictionary<InstanceId, bool>();
        var measured = new List<InstanceCharacteristics>();
        var options = CreateOptions(evening, dessert);
        options.OnInstanceMeasured = measured.Add;
        var report = await ProcessSimulator.RunAsync(options, cancellationToken).ConfigureAwait(false);
        bool Late(InstanceCharacteristics c) => c.Step("offerFreeDessert") is { Runs: > 0 } || dessert.ContainsKey(c.Instance);
        return new CafeEveningReport
        {
            Evening = evening,
            Simulation = report,
            OnTime = Group("served on time", measured.Where(c => !Late(c))),
            LateWithDessert = Group("late, took the free dessert", measured.Where(c => Late(c) && dessert.GetValueOrDefault(c.Instance))),
            LateDeclined = Group("late, declined it", measured.Where(c => Late(c) && !dessert.GetValueOrDefault(c.Instance))),
        };
    }

    /// <summary>Writes the report of one evening: figures, roles, the slowest step and the free-dessert breakdown.</summary>
    /// <param name="report">The report.</param>
    /// <param name="output">Where to write.</param>
    public static void Write(CafeEveningReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var p = report.Simulation.Process;
        output.WriteLine($"The cafe, one evening: {p.Instances} guests, seed {report.Evening.Seed}; staff: {StaffText(report.Simulation)}");
        output.WriteLine();
        var figures = new TextTable("figure", "value").AlignRight(1);
        foreach (var (name, value) in Figures(report))
        {
            figures.AddRow(name, value);
        }

        figures.WriteTo(output);
        output.WriteLine();
        output.WriteLine("Staff (utilization = busy time / (people x the evening's length)):");
        var roles = new TextTable("role", "people", "tasks", "busy", "utilization");
        foreach (var role in report.Simulation.Roles)
        {
            roles.AddRow(role.RoleName, role.People, role.TasksCompleted, Duration(role.BusyTime), Percent(role.Utilization));
        }

        roles.WriteTo(output);
        output.WriteLine();
        output.WriteLine("Where guests wait longest for a person (means per run of the step: each dish is one run):");
        var waits = new TextTable("step", "role", "guests", "runs", "mean wait", "mean work");
        foreach (var step in p.LongestWaits.Take(3))
        {
            waits.AddRow(step.StepName, step.RoleId ?? "-", step.Instances, step.Runs, Duration(step.MeanWaitTime), Duration(step.MeanWorkTime));
        }

        waits.WriteTo(output);
        output.WriteLine();
        output.WriteLine("The free dessert (the late-order path: 25 minutes from ordering without being served):");
        var groups = new TextTable("guests", "count", "cost per guest", "rating", "median cycle time");
        foreach (var group in new[] { report.OnTime, report.LateWithDessert, report.LateDeclined })
        {
            groups.AddRow(group.Name, group.Guests, Money(group.MeanCost), Rating(group.MeanRating), Duration(group.MedianCycleTime));
        }

        groups.WriteTo(output);
    }

    /// <summary>Writes two or more evenings side by side, one column each (for example 1 cook against 3).</summary>
    /// <param name="reports">The reports, with their column titles.</param>
    /// <param name="output">Where to write.</param>
    public static void WriteComparison(IReadOnlyList<(string Title, CafeEveningReport Report)> reports, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(output);
        if (reports.Count == 0)
        {
            return;
        }

        var first = reports[0].Report;
        output.WriteLine($"The cafe, one evening compared: {first.Simulation.Process.Instances} guests, seed {first.Evening.Seed}, the same guests in every column.");
        output.WriteLine();
        var table = new TextTable([.. new[] { "figure" }.Concat(reports.Select(static r => r.Title))]);
        table.AlignRight([.. Enumerable.Range(1, reports.Count)]);
        var rows = reports.Select(static r => Figures(r.Report).ToList()).ToList();
        for (var i = 0; i < rows[0].Count; i++)
        {
            table.AddRow([rows[0][i].Name, .. rows.Select(r => r[i].Value)]);
        }

        table.AddRow(["staff", .. reports.Select(static r => StaffText(r.Report.Simulation))]);
        foreach (var role in first.Simulation.Roles)
        {
            table.AddRow([$"{role.RoleName} utilization", .. reports.Select(r => Percent(r.Report.Simulation.Roles.First(x => x.RoleId == role.RoleId).Utilization))]);
        }

        table.WriteTo(output);
    }

    private static IEnumerable<(string Name, string Value)> Figures(CafeEveningReport report)
    {
        var p = report.Simulation.Process;
        var slowest = report.Simulation.LongestWait;
        yield return ("guests served", $"{p.Completed} of {p.Instances}");
        yield return ("cycle time, median", Duration(p.CycleTimeMedian));
        yield return ("cycle time, 90th percentile", Duration(p.CycleTime90thPercentile));
        yield return ("cost per guest", Money(p.MeanCost));
        yield return ("total cost", Money(p.TotalCost));
        yield return ("satisfaction (mean rating)", $"{Rating(p.MeanSatisfaction)} ({p.RatedInstances} rated)");
        yield return ("deadline breaches (25 min)", $"{p.BreachedInstances} ({Percent(p.BreachRate)})");
        yield return ("slowest step (longest wait)", slowest is null ? "-" : $"{slowest.StepName}, {Duration(slowest.MeanWaitTime)} a run");
        yield return ("free dessert: cost per guest", $"{Money(report.LateWithDessert.MeanCost)} vs {Money(report.OnTime.MeanCost)} on time");
        yield return ("free dessert: rating", $"{Rating(report.LateWithDessert.MeanRating)} took it, {Rating(report.LateDeclined.MeanRating)} declined");
    }

    /// <summary>A group's figures from the engine's report over its guests (a rating ends the visit, so every rated guest has completed).</summary>
    private static CafeGroup Group(string name, IEnumerable<InstanceCharacteristics> guests)
    {
        var report = ProcessAnalytics.Report(CafeProcess.Definition, guests);
        return new CafeGroup(name, report.Instances, report.MeanCost, report.MeanSatisfaction, report.CycleTimeMedian);
    }

    private static List<string> Order(Random random, IEnumerable<string> menu, int min, int max, double special)
    {
        var items = menu.ToList();
        var count = random.Next(min, max + 1);
        var order = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            order.Add(random.NextDouble() < special ? ChefsSpecial : items[random.Next(items.Count)]);
        }

        return order;
    }

    private static int Rating(Random random, bool? freeDessert)
    {
        var roll = random.NextDouble();
        return freeDessert switch
        {
            null => roll < 0.60 ? 5 : roll < 0.95 ? 4 : 3,
            true => roll < 0.30 ? 5 : roll < 0.80 ? 4 : 3,
            false => roll < 0.30 ? 4 : roll < 0.70 ? 3 : 2,
        };
    }

    private static string StaffText(SimulationReport report) =>
        string.Join(", ", report.Roles.Select(static r => $"{r.People} {r.RoleId}{(r.People == 1 ? string.Empty : "s")}"));

    private static string Money(decimal? value) => value is null ? "-" : value.Value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Rating(decimal? value) => value is null ? "-" : value.Value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Percent(double? value) => value is null ? "-" : value.Value.ToString("0%", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan? value)
    {
        if (value is not { } d)
        {
            return "-";
        }

        return d < TimeSpan.FromHours(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalMinutes}m{d.Seconds:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalHours}h{d.Minutes:00}m");
    }
}
