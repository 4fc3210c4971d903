using Microsoft.Playwright;

namespace SessionAdmin.Tests.Browser;

/// <summary>
/// "Alice's laptop was stolen": in a real Chromium, an operator finds her sessions on her user page and signs her out
/// everywhere; every device of hers is out and told why, bob is untouched, and the feed shows each destroy live.
/// </summary>
public sealed class PeopleBrowserTests() : AppBrowserTest(new Dictionary<string, string> { ["Admin__BootstrapPassword"] = Password })
{
    private const string Password = "people-browser-password";

    private sealed record Device(IBrowserContext Context, IPage Page, Cookie Cookie);

    private async Task<Device> LoginAsync(string user)
    {
        var context = await Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(Url($"/login?user={user}"));
        Assert.Equal($"You are now logged in as {user}.", (await page.Locator("body").InnerTextAsync()).Trim());
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "mysessionid");
        return new Device(context, page, new Cookie { Name = cookie.Name, Value = cookie.Value, Domain = cookie.Domain, Path = cookie.Path });
    }

    private static async Task<string> TextAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        return (await page.Locator("body").InnerTextAsync()).Trim();
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_all_of_alices_sessions_and_none_of_bobs()
    {
        var alice = new[] { await LoginAsync("alice"), await LoginAsync("alice"), await LoginAsync("alice") };
        var bob = await LoginAsync("bob");

        var operatorContext = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var feed = await operatorContext.NewPageAsync();
        await feed.SignInAtAsync(Url("/admin/events"), "admin", Password);
        var console = await operatorContext.NewPageAsync();
        try
        {
            await console.GotoAsync(Url("/admin/users"));
            await console.WaitForInteractiveAsync();
            await console.Locator("[data-testid=user-link]", new() { HasText = "alice" }).WaitForAsync();
            await console.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("users"), FullPage = true });

            await console.Locator("[data-testid=user-link]", new() { HasText = "alice" }).ClickAsync();
            await console.Locator("[data-testid=user-session-count]", new() { HasText = "3" }).WaitForAsync();
            Assert.Equal(3, await console.Locator("[data-testid=user-session]").CountAsync());
            await console.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("user"), FullPage = true });
            await ScreenshotsAsync(operatorContext, console.Url, "user");

            await console.Locator("[data-testid=sign-out-everywhere]").ClickAsync();
            await console.Locator(".mud-dialog").GetByText("All 3 of alice's sessions end now").WaitForAsync();
            await console.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere", Exact = true }).ClickAsync();
            await console.Locator("[data-testid=no-user-sessions]").WaitForAsync(new() { Timeout = 10_000 });

            // The feed page, opened before and never reloaded, shows the three destroys with alice and the reason.
            var aliceRows = feed.Locator("tr", new() { Has = feed.Locator("[data-testid=event-user]", new() { HasText = "alice" }) });
            await aliceRows.Nth(2).WaitForAsync(new() { Timeout = 10_000 });
            Assert.Equal(3, await aliceRows.Locator("[data-testid=event-reason]", new() { HasText = "signed out everywhere" }).CountAsync());
            await feed.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("destroy-feed-users"), FullPage = true });
        }
        catch
        {
            await console.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("people-failure"), FullPage = true });
            await feed.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath("people-failure-feed"), FullPage = true });
            throw;
        }

        foreach (var device in alice)
        {
            Assert.Contains("You were signed out everywhere", await TextAsync(device.Page, Url("/examples/account")));
            // That visit started a fresh session; the stolen cookie itself is what must not work.
            await device.Context.ClearCookiesAsync();
            await device.Context.AddCookiesAsync([device.Cookie]);
            Assert.Equal("Forbidden", await TextAsync(device.Page, Url("/secret")));
        }
        Assert.Equal("The cake is a lie!", await TextAsync(bob.Page, Url("/secret")));
    }

    // The same page on a phone (390 px) and in dark mode, for a person to look at (artifacts/screenshots).
    private static async Task ScreenshotsAsync(IBrowserContext signedIn, string url, string name)
    {
        var phone = await signedIn.NewPageAsync();
        await phone.SetViewportSizeAsync(390, 844);
        await phone.GotoAsync(url);
        await phone.WaitForInteractiveAsync();
        await phone.Locator("[data-testid=user-session]").First.WaitForAsync();
        await phone.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath(name + "-phone"), FullPage = true });
        await phone.Locator("[data-testid=theme-toggle]").ClickAsync();
        await phone.SetViewportSizeAsync(1280, 900);
        await phone.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath(name + "-dark"), FullPage = true });
        await phone.CloseAsync();
    }

}
