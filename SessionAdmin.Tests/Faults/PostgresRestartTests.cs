using System.Diagnostics;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Faults;

/// <summary>
/// PostgreSQL restarts (a minor upgrade) under a login storm and counting visitors on two nodes: the outage answers
/// 503 quickly, nothing acknowledged is lost, counts are exact, and both nodes serve again by themselves.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class PostgresRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CommitTimeout = TimeSpan.FromSeconds(10);
    private FaultCluster _cluster = default!;

    [Fact]
    public async Task A_database_restart_mid_storm_loses_nothing_acknowledged_and_both_nodes_serve_again_within_5_s()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var storm = await Storm.StartAsync(() => _cluster.Addresses, logins: 6, visitors: 6);
        await Task.Delay(TimeSpan.FromSeconds(2), ct);

        var down = Stopwatch.GetTimestamp();
        await _cluster.Postgres.StopAsync();
        await Task.Delay(Outage, ct);
        await _cluster.Postgres.StartAgainAsync();
        var up = Stopwatch.GetTimestamp();
        await Poll.UntilAsync(() => Enumerable.Range(0, 2).All(n => storm.Answers.Any(a => a.At > up && a.Node == n && a.Status == 200)),
            TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        await storm.StopAsync();

        var during = storm.Answers.Where(a => a.At > down && a.At < up).ToList();
        var recovery = Enumerable.Range(0, 2).Select(n => Stopwatch.GetElapsedTime(up, storm.Answers.Where(a => a.At > up && a.Node == n && a.Status == 200).Min(a => a.At))).ToList();
        output.WriteLine($"{storm.Answers.Count} answers; during the outage {during.Count(a => a.Status == 503)} × 503, " +
            $"{during.Count(a => a.Status == 200)} × 200, slowest {during.Max(a => a.Took).TotalMilliseconds:0} ms; " +
            $"serving again after {recovery[0].TotalSeconds:0.00} s (A), {recovery[1].TotalSeconds:0.00} s (B); {storm.AnsweredLogins.Count} logins acknowledged");

        Assert.Contains(during, a => a.Status == 503);
        Assert.All(storm.Answers, a => Assert.True(a.Status is 200 or 503, $"{a.Route} on node {a.Node} answered {a.Status}"));
        Assert.All(during, a => Assert.True(a.Took < CommitTimeout, $"{a.Route} took {a.Took.TotalMilliseconds:0} ms during the outage"));
        Assert.All(recovery, r => Assert.True(r < TimeSpan.FromSeconds(5), $"a node served again only {r.TotalSeconds:0.00} s after the database"));
        Assert.Equal(0, await storm.LostLoginsAsync(_cluster.B.BaseAddress));
        foreach (var visitor in storm.Visitors)
        {
            Assert.Equal(0, visitor.LostSessions);
            Assert.Equal(visitor.Acknowledged + 1, await Storm.VisitsCountedAsync(_cluster.A.BaseAddress, visitor));
        }
    }

    [Fact]
    public async Task An_outage_is_one_error_line_with_its_cause_and_one_recovery_line_per_node()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var storm = await Storm.StartAsync(() => _cluster.Addresses, logins: 4, visitors: 0);
        await Task.Delay(TimeSpan.FromSeconds(1), ct);

        await _cluster.Postgres.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        await _cluster.Postgres.StartAgainAsync();
        var up = Stopwatch.GetTimestamp();
        await Poll.UntilAsync(() => Enumerable.Range(0, 2).All(n => storm.Answers.Any(a => a.At > up && a.Node == n && a.Status == 200)),
            TimeSpan.FromSeconds(30));
        await storm.StopAsync();
        // The outage is over once the store has answered for StoreOutage.Quiet (5 s).
        await Poll.UntilAsync(() => _cluster.A.LinesWith("The session store answers again").Count > 0
            && _cluster.B.LinesWith("The session store answers again").Count > 0, TimeSpan.FromSeconds(15));

        foreach (var node in new[] { _cluster.A, _cluster.B })
        {
            output.WriteLine(string.Join('\n', node.LinesWith("session store")));
            Assert.Single(node.LinesWith("ERR] SessionAdmin.Core.Sessions: The session store is failing"));
            Assert.Single(node.LinesWith("The session store answers again"));
            // The first line carries the error that started the outage; nothing after it carries another.
            Assert.Single(node.LinesWith("Exception"), l => l.Length > 0 && !char.IsWhiteSpace(l[0]) && l[0] != '[');
        }
    }

    public async ValueTask InitializeAsync() => _cluster = await FaultCluster.StartAsync();
    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
