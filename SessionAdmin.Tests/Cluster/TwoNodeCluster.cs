using Microsoft.Playwright;
using SessionAdmin.Tests.Browser;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Cluster;

/// <summary>
/// Two app processes on different loopback ports sharing one PostgreSQL database, as two nodes behind a load
/// balancer, and a Chromium for their consoles. Shared by the two-node tests (starting them takes seconds).
/// </summary>
public sealed class TwoNodeCluster : IAsyncLifetime
{
    public const string Password = "two-node-test-password";
    private readonly string _operatorsFolder = Path.Combine(Path.GetTempPath(), "sessionadmin-tests", Guid.NewGuid().ToString("N"));

    public TempPostgresDatabase Database { get; private set; } = default!;
    public AppProcess A { get; private set; } = default!;
    public AppProcess B { get; private set; } = default!;
    public IPlaywright Playwright { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        Database = await PostgresTestServer.CreateDatabaseAsync();
        Directory.CreateDirectory(_operatorsFolder);
        var nodes = await Task.WhenAll(StartNodeAsync("a"), StartNodeAsync("b"));
        (A, B) = (nodes[0], nodes[1]);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await BrowserFixture.LaunchAsync(Playwright);
    }

    // Each node has its own operators file and home folder, as on its own machine (so nothing is shared through
    // ~/.aspnet); both bootstrap the same admin password.
    private Task<AppProcess> StartNodeAsync(string name)
    {
        var home = Directory.CreateDirectory(Path.Combine(_operatorsFolder, name)).FullName;
        return AppProcess.StartAsync(Database.ConnectionString, Path.Combine(_operatorsFolder, $"{name}.operators.json"), environment: "Development",
            settings: new Dictionary<string, string>
            {
                ["HOME"] = home,
                ["Sessions__Store"] = "Postgres",
                ["Admin__BootstrapPassword"] = Password,
                // The manager logs, at debug, how long each change of the other node took to arrive.
                ["Serilog__MinimumLevel__Override__SessionAdmin.Core.Sessions"] = "Debug",
            });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await A.DisposeAsync();
        await B.DisposeAsync();
        await Database.DisposeAsync();
        try { Directory.Delete(_operatorsFolder, recursive: true); } catch (IOException) { }
    }
}
