using System.Diagnostics;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Faults;

/// <summary>
/// A pooler or firewall cuts every connection to PostgreSQL, the ones that LISTEN included, while two nodes serve:
/// no node ever serves a session destroyed elsewhere (even one destroyed while it could not hear), and the listeners
/// are back within a second.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class DroppedConnectionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Cuts = 10;
    private FaultCluster _cluster = default!;

    private static async Task<(int Status, string Body)> GetAsync(AppProcess node, string path, string? cookie = null)
    {
        using var client = node.Client();
        using var response = await client.Get(path, cookie);
        return ((int)response.StatusCode, await response.BodyAsync());
    }

    [Fact]
    public async Task A_session_destroyed_while_the_other_node_cannot_hear_is_never_served_there()
    {
        await using var storm = await Storm.StartAsync(() => _cluster.Addresses, logins: 4, visitors: 4);
        var served = 0;
        var reconnects = new List<TimeSpan>();
        for (var cut = 0; cut < Cuts; cut++)
        {
            using var client = _cluster.A.Client();
            using var login = await client.Get("/login");
            var cookie = login.SessionCookie()!;
            // B holds the session in its cache: the case a missed notification could leave stale.
            Assert.Equal(200, (await GetAsync(_cluster.B, "/secret", cookie)).Status);

            await _cluster.Postgres.TerminateConnectionsAsync();
            var cutAt = Stopwatch.GetTimestamp();
            // At once, while B's listener is down: the logout's notification is sent to nobody on B.
            while ((await GetAsync(_cluster.A, "/logout", cookie)).Status != 200) { }
            var (status, body) = await GetAsync(_cluster.B, "/secret", cookie);
            if (body == "The cake is a lie!") served++;
            Assert.True(status is 403 or 503, $"B answered {status} for a logged-out session");

            while (await _cluster.Postgres.ListenersAsync() < 2) await Task.Delay(5, TestContext.Current.CancellationToken);
            reconnects.Add(Stopwatch.GetElapsedTime(cutAt));
        }
        await storm.StopAsync();

        var failed = storm.Count(a => a.Status >= 500);
        output.WriteLine($"{Cuts} cuts: listeners back after {string.Join(", ", reconnects.Select(r => $"{r.TotalMilliseconds:0}"))} ms; " +
            $"{storm.Answers.Count} requests of the storm, {failed} answered 5xx; logged-out sessions served: {served}");
        Assert.Equal(0, served);
        // Typically 30–400 ms (the time includes the logout on A and the read on B); a pause that kept doubling across
        // cuts reached 5 s by the seventh. 2.5 s tells the two apart on a machine busy with other tests (1.7 s seen once).
        Assert.All(reconnects, r => Assert.True(r < TimeSpan.FromSeconds(2.5), $"a listener took {r.TotalMilliseconds:0} ms to come back"));
    }

    [Fact]
    public async Task Cutting_every_connection_loses_no_acknowledged_login_or_visit()
    {
        await using var storm = await Storm.StartAsync(() => _cluster.Addresses, logins: 4, visitors: 4);
        for (var cut = 0; cut < Cuts; cut++)
        {
            await Task.Delay(300, TestContext.Current.CancellationToken);
            await _cluster.Postgres.TerminateConnectionsAsync();
        }
        await Task.Delay(500, TestContext.Current.CancellationToken);
        await storm.StopAsync();

        var failed = storm.Count(a => a.Status >= 500);
        output.WriteLine($"{Cuts} cuts in {storm.Answers.Count} requests: {failed} answered 5xx, {storm.AnsweredLogins.Count} logins acknowledged");
        Assert.All(storm.Answers, a => Assert.True(a.Status is 200 or 503, $"{a.Route} answered {a.Status}"));
        // Only a cut during a COMMIT may fail its requests (its outcome is unknown); every other cut is retried (56 failed before).
        Assert.True(failed <= 2 * Cuts, $"{failed} requests failed over {Cuts} cuts");
        Assert.Equal(0, await storm.LostLoginsAsync(_cluster.A.BaseAddress));
        foreach (var visitor in storm.Visitors)
            Assert.Equal(visitor.Acknowledged + 1, await Storm.VisitsCountedAsync(_cluster.B.BaseAddress, visitor));
    }

    public async ValueTask InitializeAsync() => _cluster = await FaultCluster.StartAsync();
    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
