using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Web;

/// <summary>The app with a wrong setting does not start: it exits with one line naming the key and what is accepted.</summary>
public sealed class ConfigurationStartupTests : IDisposable
{
    private readonly TempDatabase _db = new();

    private async Task<string> FatalLineAsync(string key, string value)
    {
        var (exitCode, output) = await AppProcess.RunToExitAsync(_db, new Dictionary<string, string> { [key] = value });
        Assert.Equal(1, exitCode);
        Assert.DoesNotContain(output, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        return Assert.Single(output, l => l.Contains("FTL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_zero_sweep_interval_stops_the_start_naming_it() =>
        Assert.Contains("SessionAdmin.Web cannot start: Sessions:SweepInterval must be a positive time span", await FatalLineAsync("Sessions__SweepInterval", "00:00:00"));

    [Fact]
    public async Task A_negative_cache_capacity_stops_the_start_naming_it() =>
        Assert.Contains("Sessions:CacheCapacity must be at least 1 session", await FatalLineAsync("Sessions__CacheCapacity", "-5"));

    [Fact]
    public async Task An_unknown_store_stops_the_start_naming_it() =>
        Assert.Contains("Sessions:Store must be Sqlite or Postgres, not 'Mongo'", await FatalLineAsync("Sessions__Store", "Mongo"));

    [Fact]
    public async Task A_proxy_that_is_not_an_address_stops_the_start_naming_it() =>
        Assert.Contains("ForwardedHeaders:KnownProxies must list IP addresses (such as 10.0.0.5 or ::1), not 'proxy.local'",
            await FatalLineAsync("ForwardedHeaders__KnownProxies__0", "proxy.local"));

    public void Dispose() => _db.Dispose();
}
