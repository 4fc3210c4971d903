using Microsoft.Playwright;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Browser;

/// <summary>
/// An operator in a real Chromium against the real app: sign in, watch a visitor's session appear, edit it,
/// destroy it, see the feed, sign out — without reloading the page.
/// </summary>
public sealed class ConsoleBrowserTests() : AppBrowserTest(new Dictionary<string, string> { ["Admin__BootstrapPassword"] = Password })
{
    private const string Password = "browser-test-password";

    private readonly List<string> _cspViolations = [];

    private async Task<IPage> SignedInAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal)) _cspViolations.Add(message.Text);
        };
        await page.SignInAtAsync(Url("/admin"), "admin", Password);
        return page;
    }

    // A MudSelect option clicked while its popover is still opening can be lost: retry until the popover closes.
    private static async Task ChooseAsync(IPage page, string testId, string option)
    {
        for (var attempt = 1; ; attempt++)
        {
            await page.Locator($"[data-testid={testId}]").ClickAsync();
            var item = page.Locator(".mud-popover-open").GetByText(option, new() { Exact = true });
            await item.WaitForAsync();
            await item.ClickAsync();
            try
            {
                await page.Locator(".mud-popover-open").WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 3000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3) { }
        }
    }

    // MudBlazor puts a field's attributes on the input or on its wrapper, depending on the component.
    private static ILocator Field(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;

    private static async Task<string> BodyAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        return (await page.Locator("body").InnerTextAsync()).Trim();
    }

    [Fact]
    public async Task An_operator_watches_edits_and_destroys_a_visitor_session_without_a_reload()
    {
        var console = await SignedInAsync();
        try
        {
            await WatchEditAndDestroyAsync(console);
        }
        catch
        {
            await console.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("failure"), FullPage = true });
            throw;
        }
    }

    private async Task WatchEditAndDestroyAsync(IPage console)
    {
        await console.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("overview"), FullPage = true });
        await console.GetByRole(AriaRole.Link, new() { Name = "Sessions", Exact = true }).ClickAsync();
        await console.Locator("[data-testid=session-grid]").WaitForAsync();
        // Navigation inside the console happens over the circuit; a full reload would lose this marker.
        await console.EvaluateAsync("window.__noReload = true");

        // A visitor logs in from another browser; the session shows up in the operator's list by itself.
        var visitorContext = await Browser.NewContextAsync();
        var visitor = await visitorContext.NewPageAsync();
        await visitor.GotoAsync(Url("/login"));
        var sid = (await visitorContext.CookiesAsync()).Single(c => c.Name == "mysessionid").Value;
        Assert.Equal("The cake is a lie!", await BodyAsync(visitor, Url("/secret")));

        var link = console.Locator("[data-testid=session-link]", new() { HasText = sid[^8..] });
        await link.WaitForAsync(new() { Timeout = 10_000 });
        await console.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("sessions"), FullPage = true });
        // At 1280 px every column is in view: the grid does not scroll sideways.
        Assert.True(await console.Locator("[data-testid=session-grid] .mud-table-container").EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth + 1"),
            "the sessions grid scrolls sideways at 1280 px");

        // Edit "authenticated" to false: the visitor's /secret answers 403.
        await link.ClickAsync();
        await console.Locator("[data-testid=session-id]", new() { HasText = sid }).WaitForAsync();
        var row = console.Locator("tr", new() { Has = console.Locator("[data-testid=value-key]", new() { HasText = "authenticated" }) });
        await row.Locator("[data-testid=edit]").ClickAsync();
        await row.Locator("[data-testid=edit-bool]").GetByText("true").ClickAsync();
        await row.Locator("[data-testid=edit-bool]").GetByText("false").WaitForAsync();
        await row.Locator("[data-testid=save-value]").ClickAsync();
        await row.Locator("[data-testid=save-value]").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Equal("false", (await row.Locator("[data-testid=value-text]").InnerTextAsync()).Trim());
        await console.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("session-detail"), FullPage = true });
        Assert.Equal("Forbidden", await BodyAsync(visitor, Url("/secret")));

        // A value that does not fit its type is refused with a message; one that fits is what the app then reads.
        await Field(console, "new-key").FillAsync("visits");
        await ChooseAsync(console, "new-type", "Int32");
        await Field(console, "new-value").FillAsync("twelve");
        await console.Locator("[data-testid=add-value]").ClickAsync();
        await console.GetByText("\"twelve\" is not a valid Int32.").WaitForAsync();
        await Field(console, "new-value").FillAsync("12");
        await console.Locator("[data-testid=add-value]").ClickAsync();
        await console.Locator("[data-testid=value-key]", new() { HasText = "visits" }).WaitForAsync();
        Assert.Equal("13 visit(s) from my current session", await BodyAsync(visitor, Url("/examples/visits")));

        // Destroy with confirmation; the feed shows it, the visitor is out.
        await console.Locator("[data-testid=destroy]").ClickAsync();
        await console.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Destroy", Exact = true }).ClickAsync();
        await console.Locator("[data-testid=session-gone]").WaitForAsync();
        await console.GetByRole(AriaRole.Link, new() { Name = "Destroy feed" }).ClickAsync();
        var entry = console.Locator("tr", new() { Has = console.Locator("[data-testid=event-id]", new() { HasText = sid[^8..] }) });
        await entry.Locator("[data-testid=event-reason]", new() { HasText = "operator" }).WaitForAsync();
        await console.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("destroy-feed"), FullPage = true });
        Assert.Equal("Forbidden", await BodyAsync(visitor, Url("/secret")));
        Assert.True(await console.EvaluateAsync<bool>("window.__noReload === true"));

        // Sign out is one click in the app bar (a POST with the antiforgery token) and lands on the sign-in page.
        await console.Locator("[data-testid=sign-out]").ClickAsync();
        await console.WaitForURLAsync(u => u.Contains("/admin/login", StringComparison.Ordinal));
        await console.GetByText("You are signed out.").WaitForAsync();
        await console.GotoAsync(Url("/admin/sessions"));
        Assert.Contains("/admin/login", console.Url);
        Assert.Empty(_cspViolations);
    }

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task The_sign_in_page_shows_the_product_and_its_error_in_place_in_the_system_colour_scheme(ColorScheme scheme)
    {
        var page = await (await Browser.NewContextAsync(new() { ColorScheme = scheme, ViewportSize = new() { Width = 1280, Height = 800 } })).NewPageAsync();
        await page.GotoAsync(Url("/admin/sessions"));
        await page.GetByLabel("Username").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await page.Locator("[data-testid=sign-in-error]").WaitForAsync();
        Assert.Contains("SessionAdmin", await page.Locator(".sa-brand").InnerTextAsync());
        var name = scheme == ColorScheme.Dark ? "sign-in-dark" : "sign-in";
        await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath(name), FullPage = true });
        // The inputs have a visible box: MudBlazor's reset leaves none unless our stylesheet draws it.
        Assert.NotEqual("0px", await page.Locator("#username").EvaluateAsync<string>("e => getComputedStyle(e).borderTopWidth"));
        var background = await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
        Assert.Equal(scheme == ColorScheme.Dark ? "rgb(26, 26, 39)" : "rgb(245, 245, 245)", background);
    }

    [Fact]
    public async Task Closing_console_tabs_writes_no_error_to_the_log()
    {
        var console = await SignedInAsync();
        foreach (var path in new[] { "/admin", "/admin/sessions", "/admin/events" })
        {
            var tab = await console.Context.NewPageAsync();
            await tab.GotoAsync(Url(path));
            await tab.WaitForInteractiveAsync();
            await tab.CloseAsync();
        }
        await console.Context.CloseAsync();

        // A closed tab ends its circuit as the socket closes; by the time another operator's page is up, it is gone.
        var next = await SignedInAsync();
        await next.GotoAsync(Url("/admin/events"));
        await next.WaitForInteractiveAsync();
        Assert.Empty(App.LinesWith("JSDisconnectedException"));
        Assert.Empty(App.LinesWith("ERR]"));
    }

    [Fact]
    public async Task The_console_works_at_phone_width_and_in_dark_mode()
    {
        _ = await (await (await Browser.NewContextAsync()).NewPageAsync()).GotoAsync(Url("/login"));
        var console = await SignedInAsync(390, 844);
        await console.GotoAsync(Url("/admin/sessions"));
        await console.WaitForInteractiveAsync();
        await console.Locator("[data-testid=session-link]").First.WaitForAsync();
        await console.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("sessions-phone"), FullPage = true });
        await console.Locator("[data-testid=theme-toggle]").ClickAsync();
        await console.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("sessions-phone-dark"), FullPage = true });

        var overflow = await console.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "the page scrolls sideways at phone width");
    }

}
