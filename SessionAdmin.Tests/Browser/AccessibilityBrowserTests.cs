using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace SessionAdmin.Tests.Browser;

/// <summary>
/// axe-core (WCAG 2 A/AA) on every console page, the sign-in page included, in light and dark: no serious or critical
/// violation. The counts per page go to artifacts/axe.txt.
/// </summary>
public sealed class AccessibilityBrowserTests() : AppBrowserTest(new Dictionary<string, string> { ["Admin__BootstrapPassword"] = Password })
{
    private const string Password = "axe-browser-password";
    private static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    private static async Task<IReadOnlyList<AxeResultItem>> SeriousViolationsAsync(IPage page, string name, List<string> report)
    {
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Tags] } });
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        report.Add($"{name}: {result.Violations.Length} violations ({serious.Count} serious or critical)" +
                   string.Concat(result.Violations.Select(v => $"\n    {v.Impact} {v.Id}: {v.Nodes.Length} nodes — {v.Help}")));
        return serious;
    }

    private static string Describe(IEnumerable<AxeResultItem> violations) =>
        string.Join("; ", violations.Select(v => $"{v.Id} ({v.Impact}, {v.Nodes.Length} nodes: {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))})"));

    // Presses Tab until the focused element matches, as a keyboard user would; fails after 60 presses.
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var i = 0; i < 60; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>($"document.activeElement?.matches({System.Text.Json.JsonSerializer.Serialize(selector)}) ?? false")) return;
        }
        Assert.Fail($"Tab never reached {selector}");
    }

    [Fact]
    public async Task An_operator_signs_in_opens_a_session_and_signs_out_with_the_keyboard_alone_and_sees_where_focus_is()
    {
        await (await (await Browser.NewContextAsync()).NewPageAsync()).GotoAsync(Url("/login?user=alice"));
        var page = await (await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } })).NewPageAsync();
        await page.GotoAsync(Url("/admin/sessions"));

        await TabToAsync(page, "#username");
        await page.Keyboard.TypeAsync("admin");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(Password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(u => u.EndsWith("/admin/sessions", StringComparison.Ordinal));
        await page.WaitForInteractiveAsync();
        await page.Locator("[data-testid=session-link]").First.WaitForAsync();

        await TabToAsync(page, "[data-testid=session-link]");
        // Focus is visible: the focused link draws an outline.
        var outline = await page.EvaluateAsync<string>("getComputedStyle(document.activeElement).outlineStyle");
        Assert.NotEqual("none", outline);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("[data-testid=session-id]").WaitForAsync();

        await TabToAsync(page, "[data-testid=sign-out]");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(u => u.Contains("/admin/login", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_console_page_has_no_serious_accessibility_violation_in_light_and_dark()
    {
        // Something on every page: a user with a session and values, a destroyed session, an audit entry.
        var visitor = await (await Browser.NewContextAsync()).NewPageAsync();
        await visitor.GotoAsync(Url("/login?user=alice"));
        await visitor.GotoAsync(Url("/examples/overview/set"));
        await (await (await Browser.NewContextAsync()).NewPageAsync()).GotoAsync(Url("/login?user=bob"));
        // Destroys with reasons (the feed's chips were where contrast failed before): a logout and an expired cookie's end.
        var carol = await (await Browser.NewContextAsync()).NewPageAsync();
        await carol.GotoAsync(Url("/login?user=carol"));
        await carol.GotoAsync(Url("/logout"));
        var report = new List<string>();
        var failures = new List<string>();

        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            var context = await Browser.NewContextAsync(new() { ColorScheme = scheme, ViewportSize = new() { Width = 1280, Height = 900 } });
            var page = await context.NewPageAsync();
            var suffix = scheme == ColorScheme.Dark ? " (dark)" : "";

            await page.GotoAsync(Url("/admin/login"));
            await page.Locator("#username").WaitForAsync();
            await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath($"console-sign-in{(scheme == ColorScheme.Dark ? "-dark" : "")}") });
            failures.AddRange((await SeriousViolationsAsync(page, "/admin/login" + suffix, report)).Select(v => $"/admin/login{suffix}: {Describe([v])}"));
            await page.GotoAsync(Url("/admin/signout"));
            await page.SignInAtAsync(Url("/admin"), "admin", Password);
            if (scheme == ColorScheme.Dark) await page.Locator("[data-testid=theme-toggle]").ClickAsync();

            async Task CheckAsync(string path, string readyLocator, string screenshot)
            {
                // Navigate inside the circuit (the theme toggle lives there), then wait for the page's content.
                await page.EvaluateAsync($"Blazor.navigateTo('{path}')");
                await page.Locator(readyLocator).First.WaitForAsync(new() { Timeout = 15_000 });
                await page.ScreenshotAsync(new() { Path = BrowserFixture.ScreenshotPath($"console-{screenshot}{(scheme == ColorScheme.Dark ? "-dark" : "")}"), FullPage = true });
                var serious = await SeriousViolationsAsync(page, path + suffix, report);
                if (serious.Count > 0) failures.Add($"{path}{suffix}: {Describe(serious)}");
            }

            await CheckAsync("/admin", "[data-testid=active-count]", "overview");
            await CheckAsync("/admin/sessions", "[data-testid=session-link]", "sessions");
            var sessionHref = await page.Locator("[data-testid=session-link]").First.GetAttributeAsync("href");
            await CheckAsync(sessionHref!, "[data-testid=session-id]", "session");
            await CheckAsync("/admin/users", "[data-testid=user-link]", "users");
            await CheckAsync("/admin/users/alice", "[data-testid=user-session]", "user");
            await CheckAsync("/admin/events", "[data-testid=event-reason]", "feed");
            await CheckAsync("/admin/audit", "[data-testid=audit-log]", "audit");
            await context.CloseAsync();
        }

        File.WriteAllText(BrowserFixture.ArtifactPath("axe.txt"), string.Join('\n', report) + '\n');
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }
}
