using System.Globalization;
using ProcessKit.Definitions;
using ProcessKit.Execution;
using ProcessKit.Messaging;
using ProcessKit.Samples.SalesOffice.Crm;
using ProcessKit.Tasks;

namespace ProcessKit.Samples.SalesOffice.Day;

/// <summary>
/// The choices of the scripted day, drawn from a seed: each draw depends only on the seed, the
/// instance, the step, the visit and what it is for, never on the order in which things happen, so
/// one seed gives one day. Work takes 60% to 150% of the step's expected time.
/// </summary>
internal sealed class SeededChoices(ProcessDefinition definition, int seed) : IDayChoices
{
    private readonly Dictionary<string, TimeSpan> _workTimes = definition.Steps
        .Where(static s => s.WorkTime is not null)
        .ToDictionary(static s => s.Id, static s => s.WorkTime!.Value, StringComparer.Ordinal);

    public int Seed { get; } = seed;

    public TimeSpan WorkTime(HumanTaskInfo task, StaffMember person, int visit)
    {
        var expected = _workTimes.GetValueOrDefault(task.StepId, TimeSpan.FromMinutes(5));
        var factor = 0.6 + (0.9 * Draw(task.Instance, task.StepId, visit, "work").NextDouble());
        return TimeSpan.FromSeconds(Math.Round(expected.TotalSeconds * factor));
    }

    public TaskChoice Complete(HumanTaskInfo task, InstanceSnapshot instance, int visit, DateTimeOffset now)
    {
        var random = Draw(task.Instance, task.StepId, visit, "outcome");
        var roll = random.NextDouble();
        switch (task.StepId)
        {
            case "qualifyLead":
                // After the client's reply the manager knows more: fewer leads stay open.
                var replied = instance.Data.ContainsKey("reply");
                if (roll < (replied ? 0.75 : 0.55))
                {
                    var discount = Pick(random, (0, 50), (5, 15), (10, 10), (15, 15), (20, 10));
                    var amount = 100m * random.Next(10, 200);
                    return new TaskChoice("qualified", new Dictionary<string, object?>
                    {
                        ["needs"] = instance.Data.GetValueOrDefault("request") as string ?? "furniture",
                        ["dealAmount"] = amount,
                        ["discountPercent"] = (decimal)discount,
                        ["requestedDate"] = instance.Data.GetValueOrDefault("requestedDate") as DateTimeOffset? ?? Morning(now, random.Next(5, 15)),
                        ["comments"] = discount > 10 ? "asks for a larger discount" : "ready to order",
                    });
                }

                return replied || roll < 0.70
                    ? new TaskChoice("notInterested")
                    : new TaskChoice("dataMissing", new Dictionary<string, object?> { ["comments"] = "needs the delivery address and quantities" });

            case "checkFeasibility":
                var renegotiated = visit > 1;
                if (roll < (renegotiated ? 0.85 : 0.70))
                {
                    var requested = instance.Data.GetValueOrDefault("requestedDate") as DateTimeOffset?;
                    var earliest = Morning(now, 1);
                    return new TaskChoice("feasible", new Dictionary<string, object?> { ["deliveryDate"] = requested is { } r && r > earliest ? r : earliest });
                }

                return new TaskChoice("dateNotFeasible");

            case "renegotiate":
                if (roll < 0.70)
                {
                    return new TaskChoice("agreed", new Dictionary<string, object?>
                    {
                        ["requestedDate"] = Morning(now, random.Next(7, 15)),
                        ["discountPercent"] = (decimal)Pick(random, (0, 50), (10, 30), (15, 20)),
                    });
                }

                return new TaskChoice("refused");

            case "approveDiscount":
                return new TaskChoice(roll < 0.75 ? "approved" : "rejected");

            case "askRating":
                return new TaskChoice(null, new Dictionary<string, object?> { ["rating"] = (decimal)Pick(random, (2, 10), (3, 30), (4, 40), (5, 20)) });

            default:
                // reviewLead, contactClient: no outcome, no data.
                return new TaskChoice(task.Outcomes.Count == 0 ? null : task.Outcomes[0]);
        }
    }

    public WorldReaction? React(string waitStep, InstanceSnapshot instance, DateTimeOffset now)
    {
        var random = Draw(instance.Id, waitStep, 0, "world");
        switch (waitStep)
        {
            case "waitReply":
                // Two replies in three; some only after the reminder of the next day; the rest never.
                if (random.NextDouble() >= 0.65)
                {
                    return null;
                }

                return new WorldReaction(
                    TimeSpan.FromMinutes(random.Next(120, 40 * 60)),
                    new ProcessMessage("client.replied")
                    {
                        CorrelationKey = instance.Data["leadId"] as string,
                        Payload = new Dictionary<string, object?> { ["reply"] = "the address and the quantities" },
                    });

            case "waitDelivered":
                var deliveryDate = instance.Data.GetValueOrDefault("deliveryDate") as DateTimeOffset? ?? now;
                var deliveredAt = deliveryDate > now ? deliveryDate.AddHours(random.Next(9, 17)) : now.AddHours(4);
                return new WorldReaction(
                    deliveredAt - now,
                    new ProcessMessage("delivered")
                    {
                        CorrelationKey = instance.Data["dealId"] as string,
                        Payload = new Dictionary<string, object?> { ["deliveredAt"] = deliveredAt },
                    });

            case "waitRating":
                if (random.NextDouble() >= 0.65)
                {
                    return null;
                }

                return new WorldReaction(
                    TimeSpan.FromMinutes(random.Next(60, 48 * 60)),
                    new ProcessMessage("rating.received")
                    {
                        CorrelationKey = instance.Data["dealId"] as string,
                        Payload = new Dictionary<string, object?> { ["rating"] = (decimal)Pick(random, (3, 20), (4, 40), (5, 40)) },
                    });

            default:
                return null;
        }
    }

    /// <summary>09:00 UTC, <paramref name="days"/> days after <paramref name="now"/>'s date.</summary>
    private static DateTimeOffset Morning(DateTimeOffset now, int days) => new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(days).AddHours(9);

    private static int Pick(Random random, params (int Value, int Weight)[] choices)
    {
        var roll = random.Next(choices.Sum(static c => c.Weight));
        foreach (var (value, weight) in choices)
        {
            if (roll < weight)
            {
                return value;
            }

            roll -= weight;
        }

        return choices[^1].Value;
    }

    /// <summary>A random stream for one purpose of one visit of one step of one instance (FNV-1a of the key; stable across runs and machines).</summary>
    private Random Draw(InstanceId instance, string step, int visit, string purpose)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"{Seed}|{instance.Value}|{step}|{visit}|{purpose}");
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return new Random((int)(hash & 0x7FFFFFFF));
    }
}
