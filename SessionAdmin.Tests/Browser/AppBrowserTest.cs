using Microsoft.Playwright;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Browser;

/// <summary>
/// A browser test's world: the real app as a process of its own on a SQLite file of the test's own, and Debian's
/// Chromium. The app's output is kept in artifacts/ and shown with a failed test.
/// </summary>
public abstract class AppBrowserTest(IDictionary<string, string> settings) : IAsyncLifetime
{
    private readonly TempDatabase _db = new();
    private IPlaywright _playwright = default!;

    protected AppProcess App { get; private set; } = default!;
    protected IBrowser Browser { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        App = await AppProcess.StartAsync(_db, environment: "Development", settings: settings);
        _playwright = await Playwright.CreateAsync();
        Browser = await BrowserFixture.LaunchAsync(_playwright);
    }

    protected string Url(string path) => new Uri(App.BaseAddress, path).ToString();

    public async ValueTask DisposeAsync()
    {
        if (TestContext.Current.TestState?.Result == TestResult.Failed) TestContext.Current.SendDiagnosticMessage(App.Output);
        File.WriteAllText(BrowserFixture.ArtifactPath($"{GetType().Name}-app-output.log"), App.Output);
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await App.DisposeAsync();
        _db.Dispose();
        GC.SuppressFinalize(this);
    }
}
