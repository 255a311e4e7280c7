using ProcessKit.Definitions;
using ProcessKit.History;
using ProcessKit.Tests.Scenarios;

namespace ProcessKit.Tests.Analytics;

/// <summary>Hand-written histories of the two sample processes, in minutes after <see cref="HistoryScript.Origin"/>.</summary>
internal static class SampleHistories
{
    /// <summary>
    /// A cafe guest whose dishes take too long: the order-to-serving deadline passes at minute 28,
    /// the manager offers a free dessert (an alternate path) while the cooking goes on; served at 42,
    /// rated 4, done at 70. Cost 253; waits 22 min; work 36 min; the guest eats for 20 min.
    /// </summary>
    public static HistoryScript CafeGuestWithFreeDessert(long instance = 1) =>
        new HistoryScript(CafeProcess.Definition, instance)
            .Task("greetGuest", 0, 1, 3, cost: 10m)
            .Task("takeOrder", 3, 5, 10, cost: 30m, outcome: "ordered")
            .Pass("prepareOrder", 10)
            .Enter("prepareDishes", 10).Created("prepareDishes", 10)
            .Enter("prepareDrinks", 10).Created("prepareDrinks", 10)
            .Claimed("prepareDrinks", 12)
            .Complete("prepareDrinks", 15, cost: 17.5m)
            .Claimed("prepareDishes", 20)
            .Add(HistoryEventType.DeadlineBreached, 28, detail: "orderToServing")
            .Add(HistoryEventType.Escalated, 28, detail: "NotifyRole", role: "manager", path: PathKind.Exception)
            .Add(HistoryEventType.NotificationSent, 28, role: "manager")
            .Task("offerFreeDessert", 28, 29, 31, cost: 23m, path: PathKind.Alternate)
            .Pass("dessertOffered", 31, path: PathKind.Alternate)
            .Complete("prepareDishes", 38, cost: 139.5m)
            .Pass("orderReady", 38)
            .Task("serve", 38, 40, 42, cost: 12m)
            .Enter("guestEats", 42)
            .Add(HistoryEventType.TimerFired, 62, step: "guestEats", run: 1)
            .Complete("guestEats", 62)
            .Task("billAndPayment", 62, 65, 68, cost: 15m, outcome: "card")
            .Task("askRating", 68, 69, 70, cost: 6m)
            .Pass("guestServed", 70)
            .End(70, "GuestServed", satisfaction: 4m);

    /// <summary>A cafe guest served on time: done at 55, rated 5, cost 230, no breach.</summary>
    public static HistoryScript CafeGuestOnTime(long instance = 2) =>
        new HistoryScript(CafeProcess.Definition, instance)
            .Task("greetGuest", 0, 1, 3, cost: 10m)
            .Task("takeOrder", 3, 4, 8, cost: 30m, outcome: "ordered")
            .Pass("prepareOrder", 8)
            .Enter("prepareDishes", 8).Created("prepareDishes", 8)
            .Enter("prepareDrinks", 8).Created("prepareDrinks", 8)
            .Claimed("prepareDrinks", 9)
            .Claimed("prepareDishes", 11)
            .Complete("prepareDrinks", 12, cost: 17.5m)
            .Complete("prepareDishes", 26, cost: 139.5m)
            .Pass("orderReady", 26)
            .Task("serve", 26, 27, 29, cost: 12m)
            .Enter("guestEats", 29)
            .Complete("guestEats", 49)
            .Task("billAndPayment", 49, 50, 53, cost: 15m, outcome: "cash")
            .Task("askRating", 53, 54, 55, cost: 6m)
            .Pass("guestServed", 55)
            .End(55, "GuestServed", satisfaction: 5m);

    /// <summary>
    /// A new client's lead: the operator misses the 15-minute deadline (reacts at 20), the manager
    /// claims the lead at 85 and finds the client not interested at 105. Cost 180.
    /// </summary>
    public static HistoryScript LeadLost(long instance = 1) =>
        new HistoryScript(SalesOfficeProcess.Definition, instance)
            .Pass("registerLead", 0)
            .Enter("reviewLead", 0).Created("reviewLead", 0)
            .Add(HistoryEventType.DeadlineBreached, 15, step: "reviewLead", run: 1, detail: "reviewLead")
            .Add(HistoryEventType.Escalated, 15, step: "reviewLead", run: 1, detail: "NotifyRole", role: "headOfSales", path: PathKind.Exception)
            .Claimed("reviewLead", 20)
            .Complete("reviewLead", 25, cost: 20m)
            .Pass("existingClient", 25)
            .Task("qualifyLead", 25, 85, 105, cost: 160m, outcome: "notInterested")
            .Pass("leadLost", 105, path: PathKind.Alternate)
            .End(105, "LeadLost");

    /// <summary>
    /// A new client's lead that becomes a won deal after rework: data missing, the manager asks
    /// the client (reply a day later), qualifies again, the dispatcher confirms the date, the
    /// delivery comes 7 days later and the client rates 5 an hour after. Cost 595.
    /// </summary>
    public static HistoryScript DealWonWithRework(long instance = 2) =>
        new HistoryScript(SalesOfficeProcess.Definition, instance)
            .Pass("registerLead", 0)
            .Task("reviewLead", 0, 5, 10, cost: 20m)
            .Pass("existingClient", 10)
            .Task("qualifyLead", 10, 40, 60, cost: 160m, outcome: "dataMissing")
            .Task("contactClient", 60, 60, 70, cost: 80m, path: PathKind.Alternate)
            .Enter("waitReply", 70)
            .Add(HistoryEventType.MessageReceived, 1510, step: "waitReply", run: 1, detail: "client.replied")
            .Complete("waitReply", 1510)
            .Task("qualifyLead", 1510, 1530, 1550, cost: 160m, outcome: "qualified", run: 2, path: PathKind.Rework)
            .Pass("createDeal", 1550)
            .Pass("assignDispatcher", 1550)
            .Task("checkFeasibility", 1550, 1610, 1640, cost: 175m, outcome: "feasible")
            .Pass("discountCheck", 1640)
            .Enter("waitDelivered", 1640)
            .Add(HistoryEventType.MessageReceived, 11720, step: "waitDelivered", run: 1, detail: "delivered")
            .Complete("waitDelivered", 11720)
            .Enter("ratingChoice", 11720)
            .Enter("waitRating", 11720)
            .Add(HistoryEventType.MessageReceived, 11780, step: "waitRating", run: 1, detail: "rating.received")
            .Complete("waitRating", 11780)
            .Complete("ratingChoice", 11780)
            .Pass("dealWon", 11780)
            .End(11780, "DealWon", satisfaction: 5m);

    /// <summary>A lead nobody has reviewed yet: the deadline passed at 15.</summary>
    public static HistoryScript LeadWaitingForReview(long instance = 3) =>
        new HistoryScript(SalesOfficeProcess.Definition, instance)
            .Pass("registerLead", 0)
            .Enter("reviewLead", 0).Created("reviewLead", 0)
            .Add(HistoryEventType.DeadlineBreached, 15, step: "reviewLead", run: 1, detail: "reviewLead");
}
