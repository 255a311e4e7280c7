using System.Globalization;

namespace ProcessKit.Benchmarks.Compare;

/// <summary>
/// What every engine's instance <c>i</c> starts with and what its steps must have done, so that
/// each driver checks the same outcome.
/// </summary>
internal static class ScenarioData
{
    /// <summary>The name of the event the wait scenarios wait for.</summary>
    public const string EventName = "payment-received";

    /// <summary>The value step <paramref name="step"/> (1-based) writes into instance <paramref name="index"/>.</summary>
    public static int StepValue(int index, int step) => (index * 8) + step;

    /// <summary>The amount the decision is made on: half the instances go each way.</summary>
    public static int Amount(int index) => (index % 2 == 0) ? 150 : 50;

    /// <summary>Whether the decision must take the "approve" branch (amount &gt; 100).</summary>
    public static bool Approves(int index) => Amount(index) > 100;

    /// <summary>The correlation key of instance <paramref name="index"/>'s wait.</summary>
    public static string Key(int index) => "order-" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The payload of the event published for instance <paramref name="index"/>.</summary>
    public static int Payload(int index) => (index * 3) + 1;
}
