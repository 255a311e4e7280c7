using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ProcessKit.AspNetCore.Tests;

/// <summary>
/// The inbox in a real browser: headless Chromium (Debian's <c>chromium</c> package at <see cref="ChromiumPath"/>)
/// driven by Playwright, against the app on a loopback port. The sign-in is the test's header scheme, so each
/// browser context sends the user's headers.
/// </summary>
public sealed class InboxBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    [Fact]
    public async Task A_clerk_works_the_overdue_task_from_the_keyboard_and_the_manager_then_sees_the_payment()
    {
        await using var app = await TestApp.StartAsync(map: static a => a.MapProcessKitInbox(), kestrel: true);
        var late = await app.StartClaimAsync("eve", 80m);
        app.Time.Advance(TimeSpan.FromMinutes(50));
        var fresh = await app.StartClaimAsync("fay", 20m);
        app.Time.Advance(TimeSpan.FromMinutes(20));
        Assert.True(
            File.Exists(ChromiumPath),
            $"The browser test needs Debian's 'chromium' package at {ChromiumPath} (`apt-get install chromium`; .ci/run installs it when it is missing).");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });

        var clerk = await OpenInboxAsync(browser, app, TestUser.Clerk);
        var items = clerk.Locator("#tasks button");
        await Expect(items).ToHaveCountAsync(2);
        await Expect(clerk.Locator("#tasks li").First).ToHaveClassAsync("overdue");
        await Expect(items.First).ToContainTextAsync($"#{late}");
        await Expect(items.First).ToContainTextAsync("Overdue");
        await Expect(items.First).ToContainTextAsync("overdue by 10 min");
        await Expect(items.Nth(1)).ToContainTextAsync("due in 40 min");
        await Expect(items.Nth(1)).ToContainTextAsync($"#{fresh}");
        await Expect(clerk.Locator("#summary")).ToHaveTextAsync("2 tasks, 1 overdue");

        await Expect(items.First).ToHaveAttributeAsync("aria-current", "true");
        await items.First.FocusAsync();
        await clerk.Keyboard.PressAsync("j");
        await Expect(items.Nth(1)).ToHaveAttributeAsync("aria-current", "true");
        await clerk.Keyboard.PressAsync("k");
        await Expect(items.First).ToHaveAttributeAsync("aria-current", "true");
        await Expect(clerk.Locator("#reads")).ToContainTextAsync("eve");
        await Expect(clerk.Locator("#steps .current")).ToContainTextAsync("Review the claim");
        await Expect(clerk.Locator("#history")).ToContainTextAsync("TaskCreated");
        await Expect(clerk.Locator("#diagram-image svg g.pk-current[data-step='review']")).ToBeVisibleAsync();
        await Expect(clerk.Locator("#diagram")).ToBeHiddenAsync();
        await clerk.Locator("#diagram-text summary").ClickAsync();
        await Expect(clerk.Locator("#diagram")).ToContainTextAsync("flowchart LR");
        await items.First.FocusAsync();

        await clerk.Keyboard.PressAsync("c");
        await Expect(items.First).ToContainTextAsync("Claimed");
        await clerk.Locator("#field-approved").FillAsync("-3");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "approve", Exact = true }).ClickAsync();
        await Expect(clerk.Locator("#field-approved")).ToHaveAttributeAsync("aria-invalid", "true");
        await clerk.Locator("#field-approved").FillAsync("80");
        await clerk.Locator("#field-note").FillAsync("receipt to follow");
        await SaveScreenshotAsync(clerk, "inbox-clerk.png");
        await clerk.GetByRole(AriaRole.Button, new() { Name = "approve", Exact = true }).ClickAsync();
        await Expect(items).ToHaveCountAsync(1);
        await Expect(items.First).ToContainTextAsync($"#{fresh}");

        var afterReview = await app.Engine.GetInstanceAsync(new Execution.InstanceId(late), TestContext.Current.CancellationToken);
        Assert.Equal("receipt to follow", afterReview.Data["note"]);
        Assert.Equal(["receipt"], afterReview.ActiveSteps);

        await app.PostAsync("/processkit/messages", TestUser.Clerk, """{ "name": "receipt.received", "correlationKey": "eve" }""");
        var manager = await OpenInboxAsync(browser, app, TestUser.Manager);
        await Expect(manager.Locator("#tasks button")).ToHaveCountAsync(1);
        await Expect(manager.Locator("#tasks button").First).ToContainTextAsync("Pay");
        await Expect(manager.Locator("#task-title")).ToHaveTextAsync("Pay");
        await Expect(manager.Locator("#diagram-image svg g.pk-current[data-step='pay']")).ToBeVisibleAsync();
        await Expect(manager.Locator("#diagram-image svg g.pk-visited[data-step='review']")).ToBeVisibleAsync();
        await Expect(manager.Locator("#diagram-image svg g.pk-visited[data-step='receipt']")).ToBeVisibleAsync();
        await SaveScreenshotAsync(manager, "inbox-manager.png");

        var diagram = await manager.EvaluateAsync<string[]>("""
            () => {
              const svg = document.querySelector("#diagram-image svg");
              const references = [...svg.querySelectorAll("[marker-end]")].map((e) => e.getAttribute("marker-end").slice(5, -1));
              const unresolved = references.filter((r) => { const target = document.getElementById(r); return !target || !svg.contains(target); });
              const foreign = [...svg.querySelectorAll("[id]")].map((e) => e.id).filter((id) => !id.startsWith("pk-test.expense-v1-"));
              return [String(references.length), ...unresolved, ...foreign];
            }
            """);
        Assert.NotEqual("0", diagram[0]);
        Assert.Equal([diagram[0]], diagram);

        await manager.GetByRole(AriaRole.Link, new() { Name = "Back to my tasks" }).ClickAsync();
        await Expect(manager.Locator("#tasks button").First).ToBeFocusedAsync();
    }

    private static async Task<IPage> OpenInboxAsync(IBrowser browser, TestApp app, TestUser user)
    {
        var context = await browser.NewContextAsync(new()
        {
            ExtraHTTPHeaders = new Dictionary<string, string>
            {
                [HeaderSignIn.UserHeader] = user.Id,
                [HeaderSignIn.RolesHeader] = string.Join(',', user.Roles),
            },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(app.Client.BaseAddress!, "/processkit/inbox").ToString());
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
