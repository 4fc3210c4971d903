using Microsoft.Playwright;

namespace SessionAdmin.Tests.Browser;

/// <summary>Debian's Chromium driven by Playwright (never a downloaded browser), and where screenshots go.</summary>
public static class BrowserFixture
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
    });

    /// <summary>A screenshot's path in <c>artifacts/screenshots</c>.</summary>
    public static string ScreenshotPath(string name) => ArtifactPath(Path.Combine("screenshots", name + ".png"));

    /// <summary>A file's path under <c>artifacts/</c> at the repository root (git-ignored), its folder created.</summary>
    public static string ArtifactPath(string relativePath)
    {
        var path = Path.Combine(TestInfrastructure.AppProcess.RepositoryRoot(), "artifacts", relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>
    /// Opens the console page <paramref name="url"/>, signs in on the sign-in page it leads to, and waits until the
    /// page is back and its circuit is up.
    /// </summary>
    public static async Task SignInAtAsync(this IPage page, string url, string user, string password)
    {
        await page.GotoAsync(url);
        await page.GetByLabel("Username").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var path = new Uri(url).AbsolutePath;
        await page.WaitForURLAsync(u => u.EndsWith(path, StringComparison.Ordinal));
        await page.WaitForInteractiveAsync();
    }

    /// <summary>Waits until the Blazor circuit is up, so clicks are not lost.</summary>
    public static Task WaitForInteractiveAsync(this IPage page) =>
        page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
}
