using System.Globalization;
using ProcessKit.Analytics;
using ProcessKit.Tests.Scenarios;

namespace ProcessKit.Tests.Analytics;

public sealed class ReportTableTests
{
    private const string CafeTable = """
        Serve a guest (cafe.serve-guest v1)
        instances                    2 (completed 2, running 0, cancelled 0, failed 0)
        completion rate              100.0%
        outcomes                     GuestServed 2 (100.0%)
        cycle time median            1h 02m 30s
        cycle time 90th percentile   1h 08m 30s
        cycle time mean              1h 02m 30s
        mean cost                    241.50
        total cost                   483.00
        mean satisfaction            4.50 (2 rated)
        mean time to first reaction  1m 00s (2 instances)
        deadline breaches            1 in 1 instances (50.0%)
        breaches by role             -
        breaches by deadline         orderToServing 1

        step              role     instances  runs  mean wait  mean work  mean event wait  mean cost
        greetGuest        host             2     2     1m 00s     2m 00s               0s      10.00
        takeOrder         waiter           2     2     1m 30s     4m 30s               0s      30.00
        prepareOrder      -                2     2         0s         0s               0s       0.00
        prepareDishes     cook             2     2     6m 30s    16m 30s               0s     139.50
        prepareDrinks     waiter           2     2     1m 30s     3m 00s               0s      17.50
        orderReady        -                2     2         0s         0s               0s       0.00
        serve             waiter           2     2     1m 30s     2m 00s               0s      12.00
        guestEats         -                2     2         0s         0s          20m 00s       0.00
        billAndPayment    cashier          2     2     2m 00s     3m 00s               0s      15.00
        askRating         waiter           2     2     1m 00s     1m 00s               0s       6.00
        guestServed       -                2     2         0s         0s               0s       0.00
        offerFreeDessert  manager          1     1     1m 00s     2m 00s               0s      23.00
        dessertOffered    -                1     1         0s         0s               0s       0.00

        longest waits: prepareDishes 6m 30s, billAndPayment 2m 00s, takeOrder 1m 30s
        """;

    private const string EmptyTable = """
        From a lead to a deal (sales.lead-to-deal v1)
        instances                    0 (completed 0, running 0, cancelled 0, failed 0)
        completion rate              -
        outcomes                     -
        cycle time median            -
        cycle time 90th percentile   -
        cycle time mean              -
        mean cost                    -
        total cost                   0.00
        mean satisfaction            -
        mean time to first reaction  -
        deadline breaches            0 in 0 instances (-)
        breaches by role             -
        breaches by deadline         -

        steps: -

        longest waits: -
        """;

    private static ProcessReport CafeReport()
    {
        var definition = CafeProcess.Definition;
        return ProcessAnalytics.Report(
            definition,
            [
                ProcessAnalytics.Characteristics(definition, SampleHistories.CafeGuestWithFreeDessert(1).Events),
                ProcessAnalytics.Characteristics(definition, SampleHistories.CafeGuestOnTime(2).Events),
            ]);
    }

    [Fact]
    public void ToTable_CafeReport_ShowsSummaryStepsAndLongestWaits()
    {
        Assert.Equal(CafeTable + "\n", CafeReport().ToTable());
    }

    [Fact]
    public void ToTable_EmptyReport_ShowsDashesForMissingFigures()
    {
        Assert.Equal(EmptyTable + "\n", ProcessAnalytics.Report(SalesOfficeProcess.Definition, []).ToTable());
    }

    [Fact]
    public void ToTable_DoesNotDependOnTheCurrentCulture()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal(CafeTable + "\n", CafeReport().ToTable());
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void ToTable_WritesDaysHoursAndMinutesForLongSpans()
    {
        var definition = SalesOfficeProcess.Definition;
        var table = ProcessAnalytics.Report(definition, [ProcessAnalytics.Characteristics(definition, SampleHistories.DealWonWithRework(2).Events)]).ToTable();

        Assert.Contains("cycle time median            8d 04h 20m\n", table, StringComparison.Ordinal);
        Assert.Contains("longest waits: checkFeasibility 1h 00m 00s, qualifyLead 25m 00s, reviewLead 5m 00s\n", table, StringComparison.Ordinal);
    }
}
