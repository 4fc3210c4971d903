using System.Diagnostics;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Faults;

/// <summary>
/// A rolling deploy: one node gets SIGTERM under a storm, finishes what it accepted, exits, and starts again, while the
/// other serves everything. No request is answered with an error, nothing acknowledged is lost.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class RollingRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    // The host's default shutdown timeout (HostOptions.ShutdownTimeout).
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);
    private FaultCluster _cluster = default!;

    [Fact]
    public async Task A_node_stopped_with_SIGTERM_under_a_storm_fails_no_request_and_loses_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var storm = await Storm.StartAsync(() => _cluster.Addresses, logins: 6, visitors: 4);
        await Task.Delay(TimeSpan.FromSeconds(2), ct);

        var signalled = Stopwatch.GetTimestamp();
        var (exitCode, took) = await _cluster.A.TerminateAsync(ShutdownTimeout);
        var exited = Stopwatch.GetTimestamp();
        _cluster.Stopped(0);
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        await _cluster.StartNodeAsync(0);
        var back = Stopwatch.GetTimestamp();
        await Poll.UntilAsync(() => storm.Answers.Any(a => a.At > back && a.Node == 0 && a.Status == 200), TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        await storm.StopAsync();

        var refused = storm.Count(a => a.Status == Storm.Refused);
        output.WriteLine($"SIGTERM: exit {exitCode} after {took.TotalMilliseconds:0} ms; {storm.Answers.Count} requests: " +
            $"{storm.Count(a => a.Status == 200)} × 200, {refused} refused while node A was away (sent on to B), " +
            $"{storm.Count(a => a.Status == Storm.Unanswered)} reset at node A's listener close, " +
            $"{storm.Count(a => a.Status >= 500)} × 5xx; {storm.AnsweredLogins.Count} logins acknowledged");
        Assert.Equal(0, exitCode);
        Assert.True(took < ShutdownTimeout, $"node A took {took.TotalSeconds:0.0} s to exit");
        // Every answer was a 200; only connections to the stopped node were refused. A connection the kernel had
        // queued for node A when its listener closed is reset unanswered (the app had not started it): that can happen only
        // on node A, between the signal and the exit. A balancer takes a node out of rotation before stopping it.
        Assert.All(storm.Answers.Where(a => a.Status > 0), a => Assert.Equal(200, a.Status));
        Assert.All(storm.Answers.Where(a => a.Status == Storm.Refused), a => Assert.Equal(0, a.Node));
        Assert.All(storm.Answers.Where(a => a.Status == Storm.Unanswered), a => Assert.True(a.Node == 0 && a.At >= signalled
            && a.At - a.Took.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond <= exited, "a request went unanswered outside node A's shutdown"));
        Assert.Equal(0, await storm.LostLoginsAsync(_cluster.B.BaseAddress));
        foreach (var visitor in storm.Visitors)
            Assert.Equal(visitor.Acknowledged + 1, await Storm.VisitsCountedAsync(_cluster.A.BaseAddress, visitor));
    }

    public async ValueTask InitializeAsync() => _cluster = await FaultCluster.StartAsync();
    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
