using Microsoft.Playwright;

// Operators watching the console: signs in once in Debian's Chromium and keeps N tabs open on a console page (live,
// interactive), until the given number of seconds has passed. bench/watchers.sh measures the server meanwhile.
//   dotnet Watchers.dll <base url> <user> <password> <tabs> <seconds> [path]
if (args.Length < 5)
{
    Console.Error.WriteLine("usage: Watchers <base url> <user> <password> <tabs> <seconds> [path]");
    return 2;
}
var (baseUrl, user, password) = (new Uri(args[0]), args[1], args[2]);
var tabs = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
var seconds = int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);
var path = args.Length > 5 ? args[5] : "/admin/sessions";

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-background-timer-throttling", "--disable-renderer-backgrounding"],
});
var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
var first = await context.NewPageAsync();
await first.GotoAsync(new Uri(baseUrl, path).ToString());
await first.GetByLabel("Username").FillAsync(user);
await first.GetByLabel("Password").FillAsync(password);
await first.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
await first.WaitForURLAsync(u => u.EndsWith(path, StringComparison.Ordinal), new() { Timeout = 120_000 });
var pages = new List<IPage> { first };
for (var i = 1; i < tabs; i++)
{
    var page = await context.NewPageAsync();
    await page.GotoAsync(new Uri(baseUrl, path).ToString());
    pages.Add(page);
}
foreach (var page in pages)
    await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
Console.WriteLine($"ready: {pages.Count} tabs on {path}");
await Task.Delay(TimeSpan.FromSeconds(seconds));
return 0;
