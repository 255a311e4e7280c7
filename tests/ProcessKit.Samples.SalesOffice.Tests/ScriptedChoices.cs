using ProcessKit.Execution;
using ProcessKit.Messaging;
using ProcessKit.Samples.SalesOffice.Crm;
using ProcessKit.Samples.SalesOffice.Day;
using ProcessKit.Tasks;

namespace ProcessKit.Samples.SalesOffice.Tests;

/// <summary>
/// The small day whose figures the report test computes by hand: fixed work times per step, and per
/// client (by name) the outcome of each step and the answers from outside.
/// </summary>
internal sealed class ScriptedChoices : IDayChoices
{
    public static readonly DateTimeOffset Day = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, TimeSpan> WorkTimes = new(StringComparer.Ordinal)
    {
        ["reviewLead"] = TimeSpan.FromMinutes(12),
        ["qualifyLead"] = TimeSpan.FromMinutes(30),
        ["checkFeasibility"] = TimeSpan.FromMinutes(12),
        ["askRating"] = TimeSpan.FromMinutes(6),
    };

    public TimeSpan WorkTime(HumanTaskInfo task, StaffMember person, int visit) => WorkTimes[task.StepId];

    public TaskChoice Complete(HumanTaskInfo task, InstanceSnapshot instance, int visit, DateTimeOffset now) =>
        ((string)instance.Data["contactName"]!, task.StepId) switch
        {
            (_, "reviewLead") => new TaskChoice(null),
            ("Grace Kim", "qualifyLead") => new TaskChoice("qualified", new Dictionary<string, object?>
            {
                ["needs"] = "a meeting room table",
                ["dealAmount"] = 5000,
                ["discountPercent"] = 0,
                ["requestedDate"] = Day.AddDays(3),
            }),
            ("Lena Fischer", "qualifyLead") => new TaskChoice("notInterested"),
            (_, "checkFeasibility") => new TaskChoice("feasible", new Dictionary<string, object?> { ["deliveryDate"] = Day.AddDays(3) }),
            ("Ingrid Holm", "askRating") => new TaskChoice(null, new Dictionary<string, object?> { ["rating"] = 3 }),
            var other => throw new InvalidOperationException($"The script has no choice for {other}."),
        };

    public WorldReaction? React(string waitStep, InstanceSnapshot instance, DateTimeOffset now) =>
        ((string)instance.Data["contactName"]!, waitStep) switch
        {
            (_, "waitDelivered") => new WorldReaction(TimeSpan.FromDays(1), new ProcessMessage("delivered") { CorrelationKey = (string)instance.Data["dealId"]! }),
            ("Grace Kim", "waitRating") => new WorldReaction(
                TimeSpan.FromHours(2),
                new ProcessMessage("rating.received") { CorrelationKey = (string)instance.Data["dealId"]!, Payload = new Dictionary<string, object?> { ["rating"] = 5 } }),
            _ => null,
        };
}
