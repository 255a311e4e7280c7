using ProcessKit.Definitions;

namespace ProcessKit.Samples.Cafe;

/// <summary>
/// Serving a guest (scenario 1 of SCENARIOS.md), in the fluent builder, with every alternate path:
/// <list type="bullet">
/// <item><b>dish unavailable</b>: the waiter offers an alternative and takes the order again (rework);</item>
/// <item><b>late order</b>: 25 minutes from ordering without being served, the manager is told and offers a free dessert while the cooking goes on;</item>
/// <item><b>no drinks</b>: a guest who orders no drinks skips the drinks branch (the order is an inclusive split: dishes always, drinks when ordered);</item>
/// <item><b>missing prices</b>: the bill is computed automatically from the menu; an item not on the menu is priced by the cashier by hand;</item>
/// <item><b>missing data</b>: a start without the party size, or an order without dishes, is refused and the task stays open;</item>
/// <item>payment by card or by cash.</item>
/// </list>
/// </summary>
/// <remarks>
/// The scenario as written is samples/definitions/cafe.json (the core tests read it from there);
/// this sample's process adds the automated bill and the paths above. Thread-safe: every call builds a new, equal definition.
/// </remarks>
public static class CafeProcess
{
    /// <summary>The process id.</summary>
    public const string Id = "cafe.serve-guest";

    /// <summary>The handler of the automated bill step (see <see cref="CafeMenu.ComputeBill"/>).</summary>
    public const string ComputeBillHandler = "cafe.computeBill";

    /// <summary>The definition (a new, equal instance on every call).</summary>
    public static ProcessDefinition Definition => Create().Build();

    /// <summary>The builder holding the whole process, before <see cref="ProcessBuilder.Build()"/>.</summary>
    /// <returns>The builder.</returns>
    public static ProcessBuilder Create()
    {
        var p = ProcessBuilder.Create(Id, "Serve a guest")
            .Kind(ProcessKind.Core)
            .Category("Cafe")
            .Goal("The guest is served within 30 minutes of ordering and leaves satisfied.")
            .Description("From the guest's arrival to a served meal, a paid bill and the guest's rating.")
            .Targets(new ProcessTargets
            {
                CycleTime = TimeSpan.FromMinutes(75),
                CostPerInstance = 40m,
                Satisfaction = 4.5m,
                SatisfactionField = "rating",
            });

        p.Supplier("guest", "Guest")
            .Description("Arrives and orders.")
            .Inputs(Field.Number("partySize", required: true, minimum: 1, maximum: 20, description: "How many people sit at the table."));
        p.Supplier("kitchenStock", "Kitchen stock")
            .Description("The ingredients the kitchen has.")
            .Inputs(Field.List("ingredients", description: "The ingredients in stock."));
        p.Client("diner", "Guest")
            .Description("Receives the meal and pays the bill.")
            .Outputs(
                Field.Boolean("served", required: true, description: "The meal was served."),
                Field.Number("billTotal", required: true, minimum: 0, description: "The paid bill."),
                Field.Number("rating", minimum: 1, maximum: 5, description: "The guest's satisfaction, 1 to 5."));

        var host = p.Role("host", "Host").HourlyCost(300m);
        var waiter = p.Role("waiter", "Waiter").HourlyCost(350m);
        var cook = p.Role("cook", "Cook").HourlyCost(450m);
        var cashier = p.Role("cashier", "Cashier").HourlyCost(300m);
        var manager = p.Role("manager", "Manager").HourlyCost(600m);
        p.Owner(manager);

        var greet = p.HumanTask("greetGuest", "Greet and seat the guest", host)
            .WorkTime(TimeSpan.FromMinutes(2))
            .Reads("partySize")
            .Writes(Field.Number("table", required: true, minimum: 1, maximum: 40, description: "The table the guest sits at."));
        var takeOrder = p.HumanTask("takeOrder", "Take the order", waiter)
            .WorkTime(TimeSpan.FromMinutes(5))
            .Reads("table")
            .Writes(
                Field.List("dishes", required: true, description: "The dishes ordered."),
                Field.List("drinks", description: "The drinks ordered; none is fine."));
        var offerAlternative = p.HumanTask("offerAlternative", "Offer an alternative dish", waiter)
            .WorkTime(TimeSpan.FromMinutes(2))
            .Reads("dishes", "ingredients");
        var prepareOrder = p.InclusiveSplit("prepareOrder", "Prepare the order");
        var prepareDishes = p.HumanTask("prepareDishes", "Prepare the dishes", cook)
            .WorkTime(TimeSpan.FromMinutes(15))
            .FixedCost(4.50m)
            .Description("Once per dish; the fixed cost is the ingredient cost of one dish.")
            .ForEach("dishes", "dish");
        var prepareDrinks = p.HumanTask("prepareDrinks", "Prepare the drinks", waiter)
            .WorkTime(TimeSpan.FromMinutes(3))
            .Reads("drinks");
        var orderReady = p.InclusiveMerge("orderReady", "Order ready", prepareOrder);
        var serve = p.HumanTask("serve", "Serve", waiter)
            .WorkTime(TimeSpan.FromMinutes(2))
            .Writes(Field.Boolean("served", required: true));
        var guestEats = p.Timer("guestEats", "The guest eats", TimeSpan.FromMinutes(20));
        var computeBill = p.Automated("computeBill", "Compute the bill", ComputeBillHandler)
            .Description("Prices the dishes and drinks from the menu; what the menu lacks is listed in unpricedItems.")
            .Reads("dishes", "drinks")
            .Writes(
                Field.Number("billTotal", required: true, minimum: 0),
                Field.List("unpricedItems", required: true, description: "Ordered items the menu has no price for."));
        var billPriced = p.Decision("billPriced", "Every item priced?");
        var priceByHand = p.HumanTask("priceByHand", "Price the missing items by hand", cashier)
            .WorkTime(TimeSpan.FromMinutes(2))
            .Description("An item is not on the menu: the cashier asks the kitchen and writes the whole bill.")
            .Reads("unpricedItems", "billTotal")
            .Writes(Field.Number("billTotal", required: true, minimum: 0));
        var billAndPayment = p.HumanTask("billAndPayment", "Bill and payment", cashier)
            .WorkTime(TimeSpan.FromMinutes(3))
            .Reads("billTotal");
        var askRating = p.HumanTask("askRating", "Ask for a rating", waiter)
            .WorkTime(TimeSpan.FromMinutes(1))
            .Writes(Field.Number("rating", required: true, minimum: 1, maximum: 5));
        var guestServed = p.End("guestServed", "Guest served").Outcome("GuestServed");
        var offerFreeDessert = p.HumanTask("offerFreeDessert", "Offer a free dessert", manager)
            .WorkTime(TimeSpan.FromMinutes(2))
            .FixedCost(3.00m)
            .Description("The order is late: the manager apologises and offers a dessert on the house.")
            .Writes(Field.Boolean("freeDessert", required: true, description: "The guest took the free dessert."));
        var dessertOffered = p.End("dessertOffered", "Dessert offered");

        greet.Then(takeOrder);
        takeOrder
            .On("ordered", prepareOrder)
            .On("dishUnavailable", offerAlternative, PathKind.Alternate, "dish unavailable");
        offerAlternative.Then(takeOrder, PathKind.Rework, "order again");
        // Dishes are always cooked (an order has at least one); drinks only when some were ordered.
        // The default flow is never taken (an order without dishes is refused) but a split needs one.
        prepareOrder
            .When("count(dishes) > 0", prepareDishes, label: "dishes")
            .When("count(drinks) > 0", prepareDrinks, label: "drinks")
            .Otherwise(orderReady, PathKind.Alternate, "nothing to prepare");
        prepareDishes.Then(orderReady);
        prepareDrinks.Then(orderReady);
        orderReady.Then(serve);
        serve.Then(guestEats);
        guestEats.Then(computeBill);
        computeBill.Then(billPriced);
        billPriced
            .When("count(unpricedItems) > 0", priceByHand, PathKind.Alternate, "missing prices")
            .Otherwise(billAndPayment);
        priceByHand.Then(billAndPayment);
        billAndPayment
            .On("card", askRating, label: "card")
            .On("cash", askRating, label: "cash");
        askRating.Then(guestServed);
        offerFreeDessert.Then(dessertOffered, PathKind.Alternate);

        p.Deadline("orderToServing", takeOrder, TimeSpan.FromMinutes(25))
            .Until(serve)
            .OnLateNotifyRole(manager, message: "A table has waited 25 minutes since ordering.")
            .OnLateTakePath(offerFreeDessert, interrupting: false, PathKind.Alternate, message: "free dessert");

        return p;
    }
}
