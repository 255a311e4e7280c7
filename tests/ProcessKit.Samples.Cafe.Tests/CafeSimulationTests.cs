using ProcessKit.Execution;

namespace ProcessKit.Samples.Cafe.Tests;

/// <summary>The sample's evening simulation: figures checked by hand, more cooks never slower, the report's text.</summary>
public sealed class CafeSimulationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, int> OneEach = new(StringComparer.Ordinal)
    {
        ["host"] = 1,
        ["waiter"] = 1,
        ["cook"] = 1,
        ["cashier"] = 1,
        ["manager"] = 1,
    };

    /// <summary>
    /// Three scripted guests, far enough apart that they never share a person, one person per role,
    /// every step taking exactly its expected time (greet 2, order 5, cook 15 per dish, drinks 3,
    /// serve 2, eat 20, price by hand 2, bill 3, rating 1, dessert 2 minutes).
    /// </summary>
    private static CafeEvening ThreeGuests => new()
    {
        ArrivalTimes = [TimeSpan.Zero, TimeSpan.FromMinutes(60), TimeSpan.FromMinutes(180)],
        Staff = OneEach,
        FixedWorkTimes = true,
        ScriptedGuests =
        [
            new CafeGuest(["soup"], ["tea"], Rating: 5),
            new CafeGuest(["steak", "fish"], [], Rating: 4) { Payment = "cash" },
            new CafeGuest(["chef's special"], ["water"], Rating: 3),
        ],
    };

    [Fact]
    public async Task Three_scripted_guests_give_the_figures_computed_by_hand()
    {
        var report = await CafeSimulation.RunAsync(ThreeGuests, Ct);
        var p = report.Simulation.Process;

        // Guest A arrives at 0: greet 0-2, order 2-7, soup 7-22 and tea 7-10, serve 22-24 (the deadline,
        // 25 min from 2, is met), eat 24-44, bill computed (6.50 + 3.00), pay 44-47, rate 47-48.
        //   cost: host 2 min x 300/h = 10; waiter (5 + 3 + 2 + 1) min x 350/h = 64.1667;
        //   cook 15 min x 450/h = 112.50 + 4.50 ingredients; cashier 3 min x 300/h = 15  => 206.1667; cycle 48 min.
        // Guest B arrives at 60: greet 60-62, order 62-67, steak 67-82, fish waits for the one cook 82-97,
        //   no drinks; the deadline (62 + 25 = 87) passes at 87: the manager offers the dessert 87-89 (taken);
        //   serve 97-99, eat 99-119, bill 43.00, pay 119-122 (cash), rate 122-123.
        //   cost: host 10; waiter (5 + 2 + 1) min = 46.6667; cook 2 x 117 = 234; manager 2 min x 600/h = 20 + 3.00 dessert;
        //   cashier 15  => 328.6667; cycle 63 min.
        // Guest C arrives at 180: greet 180-182, order 182-187, the special 187-202 and water 187-190, serve 202-204,
        //   eat 204-224, the special has no price: the cashier prices it by hand 224-226 (2.00 + 18.00), pay 226-229,
        //   rate 229-230.
        //   cost: host 10; waiter 11 min = 64.1667; cook 117; cashier (2 + 3) min = 25  => 216.1667; cycle 50 min.
        Assert.Equal(3, p.Instances);
        Assert.Equal(3, p.Completed);
        Assert.Equal(751.00m, p.TotalCost, 2);
        Assert.Equal(250.33m, p.MeanCost!.Value, 2);
        Assert.Equal(TimeSpan.FromMinutes(50), p.CycleTimeMedian);
        Assert.Equal(TimeSpan.FromMinutes((48 + 63 + 50) / 3.0), p.CycleTimeMean);
        Assert.Equal(4m, p.MeanSatisfaction);
        Assert.Equal(1, p.BreachedInstances);

        // The free dessert: A and C on time, B late and took it.
        Assert.Equal(new CafeGroup("served on time", 2, (206.1667m + 216.1667m) / 2, 4m, TimeSpan.FromMinutes(49)), report.OnTime with { MeanCost = Math.Round(report.OnTime.MeanCost!.Value, 4) });
        Assert.Equal(1, report.LateWithDessert.Guests);
        Assert.Equal(328.67m, Math.Round(report.LateWithDessert.MeanCost!.Value, 2));
        Assert.Equal(4m, report.LateWithDessert.MeanRating);
        Assert.Equal(TimeSpan.FromMinutes(63), report.LateWithDessert.MedianCycleTime);
        Assert.Equal(0, report.LateDeclined.Guests);

        // The longest wait: B's second dish waited 15 minutes for the cook. Busy: the cook 15 + 30 + 15 minutes
        // in an evening of 230 minutes; the waiter 11 + 8 + 11 minutes.
        Assert.Equal("prepareDishes", report.Simulation.LongestWait!.StepId);
        Assert.Equal(TimeSpan.FromMinutes(15), report.Simulation.LongestWait.TotalWaitTime);
        var cook = report.Simulation.Roles.Single(r => r.RoleId == "cook");
        Assert.Equal(TimeSpan.FromMinutes(60), cook.BusyTime);
        Assert.Equal(60.0 / 230, cook.Utilization!.Value, 6);
        Assert.Equal(TimeSpan.FromMinutes(30), report.Simulation.Roles.Single(r => r.RoleId == "waiter").BusyTime);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_evening()
    {
        var evening = new CafeEvening { Guests = 15, Seed = 7 };

        var first = await CafeSimulation.RunAsync(evening, Ct);
        var second = await CafeSimulation.RunAsync(evening, Ct);

        Assert.Equal(first.Simulation, second.Simulation);
        Assert.Equal(first.OnTime, second.OnTime);
        Assert.Equal(first.LateWithDessert, second.LateWithDessert);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task More_cooks_never_make_the_median_cycle_time_worse(int seed)
    {
        var medians = new List<TimeSpan>();
        for (var cooks = 1; cooks <= 4; cooks++)
        {
            var staff = new Dictionary<string, int>(CafeEvening.DefaultStaff, StringComparer.Ordinal) { ["cook"] = cooks };
            var report = await CafeSimulation.RunAsync(new CafeEvening { Guests = 30, Seed = seed, Staff = staff }, Ct);
            Assert.Equal(30, report.Simulation.Process.Completed);
            medians.Add(report.Simulation.Process.CycleTimeMedian!.Value);
        }

        for (var i = 1; i < medians.Count; i++)
        {
            Assert.True(medians[i] <= medians[i - 1], $"seed {seed}: {i + 1} cooks gave a median of {medians[i]}, {i} gave {medians[i - 1]}");
        }

        Assert.True(medians[0] > medians[2], $"seed {seed}: one cook ({medians[0]}) should be slower than three ({medians[2]})");
    }

    [Fact]
    public async Task Every_alternate_path_is_taken_in_a_random_evening()
    {
        var measured = new List<ProcessKit.Analytics.InstanceCharacteristics>();
        var options = CafeSimulation.CreateOptions(new CafeEvening { Guests = 120, Seed = 3 });
        options.OnInstanceMeasured = measured.Add;

        await ProcessKit.Testing.Simulation.ProcessSimulator.RunAsync(options, Ct);

        Assert.Equal(120, measured.Count(c => c.State == InstanceState.Completed));
        Assert.Contains(measured, c => c.Step("offerAlternative") is not null);
        Assert.Contains(measured, c => c.Step("offerFreeDessert") is not null);
        Assert.Contains(measured, c => c.Step("priceByHand") is not null);
        Assert.Contains(measured, c => c.Step("prepareDrinks") is null);
    }

    [Fact]
    public async Task The_report_shows_the_figures_roles_slowest_step_and_the_free_dessert()
    {
        var report = await CafeSimulation.RunAsync(ThreeGuests, Ct);
        using var text = new StringWriter();

        CafeSimulation.Write(report, text);

        var lines = text.ToString().Split('\n').Select(static l => l.TrimEnd('\r')).ToList();
        Assert.Equal("The cafe, one evening: 3 guests, seed 1; staff: 1 host, 1 waiter, 1 cook, 1 cashier, 1 manager", lines[0]);
        Assert.Equal(["guests served", "3 of 3"], Cells(lines, "guests served", 2));
        Assert.Equal(["cost per guest", "250.33"], Cells(lines, "cost per guest", 2));
        Assert.Equal(["cycle time, median", "50m00s"], Cells(lines, "cycle time, median", 2));
        Assert.Equal(["deadline breaches (25 min)", "1 (33%)"], Cells(lines, "deadline breaches", 2));

        // The longest wait: 15 minutes over the 4 dishes cooked, 3 minutes 45 seconds a dish on average.
        Assert.Equal(["slowest step (longest wait)", "Prepare the dishes, 3m45s a run"], Cells(lines, "slowest step", 2));
        Assert.Equal(["Prepare the dishes", "cook", "3", "4", "3m45s", "15m00s"], Cells(lines, "Prepare the dishes ", 6));
        Assert.Equal(["Cook", "1", "4", "1h00m", "26%"], Cells(lines, "Cook ", 5));
        Assert.Equal(["late, took the free dessert", "1", "328.67", "4.00", "1h03m"], Cells(lines, "late, took", 5));
        Assert.Equal(["served on time", "2", "211.17", "4.00", "49m00s"], Cells(lines, "served on time", 5));
    }

    [Fact]
    public async Task One_cook_against_three_side_by_side_shows_the_difference()
    {
        var one = await CafeSimulation.RunAsync(new CafeEvening { Guests = 20, Staff = new Dictionary<string, int>(CafeEvening.DefaultStaff) { ["cook"] = 1 } }, Ct);
        var three = await CafeSimulation.RunAsync(new CafeEvening { Guests = 20 }, Ct);
        using var text = new StringWriter();

        CafeSimulation.WriteComparison([("1 cook", one), ("3 cooks", three)], text);

        var lines = text.ToString().Split('\n');
        Assert.Contains(lines, l => l.Contains("1 cook", StringComparison.Ordinal) && l.Contains("3 cooks", StringComparison.Ordinal));
        var median = Assert.Single(lines, l => l.StartsWith("cycle time, median", StringComparison.Ordinal));
        Assert.Contains(Format(one.Simulation.Process.CycleTimeMedian!.Value), median, StringComparison.Ordinal);
        Assert.Contains(Format(three.Simulation.Process.CycleTimeMedian!.Value), median, StringComparison.Ordinal);
        Assert.True(one.Simulation.Process.CycleTimeMedian > three.Simulation.Process.CycleTimeMedian);
    }

    /// <summary>The cells of the line starting with <paramref name="start"/>: columns are separated by two spaces or more.</summary>
    private static string[] Cells(List<string> lines, string start, int count)
    {
        var line = Assert.Single(lines, l => l.StartsWith(start, StringComparison.Ordinal));
        var cells = System.Text.RegularExpressions.Regex.Split(line.Trim(), " {2,}");
        Assert.Equal(count, cells.Length);
        return cells;
    }

    private static string Format(TimeSpan d) =>
        d < TimeSpan.FromHours(1) ? $"{(int)d.TotalMinutes}m{d.Seconds:00}s" : $"{(int)d.TotalHours}h{d.Minutes:00}m";
}
