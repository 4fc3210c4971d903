using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>A flood of forged or malformed cookies is one line per sweep with its counts, not a warning per request.</summary>
public sealed class UnknownIdLogTests : IAsyncLifetime
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);
    private readonly FakeLogCollector _log = new();
    private readonly FakeTimeProvider _time = new();
    private readonly Sessions _sessions;

    public UnknownIdLogTests()
    {
        var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(new FakeLoggerProvider(_log)));
        _sessions = new Sessions(new SessionsConfig { Cookie = "sid", SweepInterval = SweepInterval }, _time, loggers);
    }

    private async Task VisitAsync(string cookie)
    {
        var request = new FakeRequest($"sid={cookie}");
        _sessions.Start(request.Context);
        await request.CompleteAsync();
    }

    [Fact]
    public async Task Forged_and_malformed_cookies_are_counted_in_one_line_per_sweep()
    {
        for (var i = 0; i < 300; i++) await VisitAsync($"forged-{i}");
        for (var i = 0; i < 20; i++) await VisitAsync("not a session id!");

        // The sweep's timer starts on the thread pool: time moves on until it has ticked.
        await Poll.UntilAsync(() =>
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            return _log.GetSnapshot().Any(r => r.Message.StartsWith("Since the last sweep", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(10));

        var lines = _log.GetSnapshot();
        var reports = lines.Where(r => r.Message.StartsWith("Since the last sweep", StringComparison.Ordinal)).ToList();
        Assert.True(reports.Count == 1, string.Join('\n', lines.Select(r => $"{r.Level}: {r.Message}")));
        var report = reports[0];
        Assert.Equal(LogLevel.Information, report.Level);
        Assert.DoesNotContain(lines, r => r.Level >= LogLevel.Warning);
        Assert.Equal(("300", "20"), (report.GetStructuredStateValue("UnknownIds"), report.GetStructuredStateValue("MalformedCookies")));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _sessions.DisposeAsync();
}
