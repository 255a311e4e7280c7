using Microsoft.Playwright;
using ProcessKit.Tasks;
using static Microsoft.Playwright.Assertions;

namespace ProcessKit.Samples.SalesOffice.Web.Tests;

/// <summary>
/// The web app in a real browser: headless Chromium (Debian's <c>chromium</c> package at <see cref="ChromiumPath"/>)
/// driven by Playwright, against the app on Kestrel at a free loopback port, signed in through the demo page.
/// </summary>
public sealed class SalesOfficeBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>How long a step may wait for the page (generous: the machine may be busy). Not a timing assertion.</summary>
    private const float PatienceMs = 60_000;

    [Fact]
    public async Task The_operator_reviews_a_new_lead_in_the_inbox_and_the_manager_then_qualifies_it_into_a_deal()
    {
        await using var app = WebApp.OnKestrel();
        Assert.True(
            File.Exists(ChromiumPath),
            $"The browser test needs Debian's 'chromium' package at {ChromiumPath} (`apt-get install chromium`; .ci/run installs it when it is missing).");
        SetDefaultExpectTimeout(PatienceMs);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });

        // The operator takes a call: the CRM's form publishes the contact, and the lead shows in the CRM.
        var page = await OpenAsync(browser, app, "olga");
        await Expect(page.Locator("#who")).ToHaveTextAsync("olga");
        await page.Locator("#channel").SelectOptionAsync("call");
        await page.Locator("#contactName").FillAsync("Ann Lee");
        await page.Locator("#phone").FillAsync("+1-555-0100");
        await page.Locator("#request").FillAsync("forty chairs");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register the contact" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The contact came in");
        await Expect(page.Locator("#leads")).ToContainTextAsync("Ann Lee");

        // Her inbox has the lead's review, due in 15 minutes; she completes it (the step has no outcomes: "Complete").
        await page.GetByRole(AriaRole.Link, new() { Name = "Inbox" }).ClickAsync();
        var tasks = page.Locator("#tasks button");
        await Expect(tasks).ToHaveCountAsync(1);
        await Expect(tasks.First).ToContainTextAsync("Review the lead");
        await Expect(tasks.First).ToContainTextAsync("due in");
        await Expect(page.Locator("#task-title")).ToHaveTextAsync("Review the lead");
        await Expect(page.Locator("#reads")).ToContainTextAsync("Ann Lee");
        await SaveScreenshotAsync(page, "salesoffice-inbox-operator.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Complete", Exact = true }).ClickAsync();
        await Expect(tasks).ToHaveCountAsync(0);

        // A new client: the round robin gives the qualification to one manager, who sees it appear in the inbox.
        var qualify = Assert.Single(await app.Engine.QueryTasksAsync(new TaskQuery { Role = "manager" }, TestContext.Current.CancellationToken));
        Assert.Equal("qualifyLead", qualify.StepId);
        var manager = Assert.IsType<string>(qualify.AssignedTo);
        var managerPage = await OpenAsync(browser, app, manager);
        await managerPage.GotoAsync(new Uri(app.Address, "/processkit/inbox").ToString());
        var managerTasks = managerPage.Locator("#tasks button");
        await Expect(managerTasks).ToHaveCountAsync(1);
        await Expect(managerTasks.First).ToContainTextAsync("Qualify the lead");
        await Expect(managerPage.Locator("#task-title")).ToHaveTextAsync("Qualify the lead");
        await managerPage.Locator("#field-needs").FillAsync("forty chairs, oak");
        await managerPage.Locator("#field-dealAmount").FillAsync("4200");
        await SaveScreenshotAsync(managerPage, "salesoffice-inbox-manager.png");
        await managerPage.GetByRole(AriaRole.Button, new() { Name = "qualified", Exact = true }).ClickAsync();
        await Expect(managerTasks).ToHaveCountAsync(0);

        // The outcome made a deal in the CRM, with a dispatcher responsible.
        await managerPage.GotoAsync(new Uri(app.Address, "/").ToString());
        await Expect(managerPage.Locator("#deals")).ToContainTextAsync("D-1");
        await Expect(managerPage.Locator("#deals")).ToContainTextAsync("4,200.00");
    }

    /// <summary>A fresh browser context: the CRM sends it to the demo sign-in, where it picks <paramref name="person"/>.</summary>
    private static async Task<IPage> OpenAsync(IBrowser browser, WebApp app, string person)
    {
        var context = await browser.NewContextAsync();
        context.SetDefaultTimeout(PatienceMs);
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(app.Address, "/").ToString());
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));
        await page.GetByRole(AriaRole.Button, new() { Name = $"Sign in as {person}", Exact = true }).ClickAsync();
        await Expect(page.Locator("#who")).ToHaveTextAsync(person);
        return page;
    }

    /// <summary>Keeps a screenshot beside the test binaries (<c>artifacts/</c>) and attaches it to the test result.</summary>
    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var bytes = await page.ScreenshotAsync(new() { FullPage = true });
        var folder = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, name), bytes, TestContext.Current.CancellationToken);
        TestContext.Current.AddAttachment(name, bytes, "image/png");
    }
}
