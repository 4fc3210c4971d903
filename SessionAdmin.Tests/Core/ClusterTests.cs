using System.Collections.Concurrent;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>
/// Two managers on one PostgreSQL database, as two app nodes behind a load balancer: neither serves a stale copy,
/// counts add up, and each destroy is announced once in the cluster and heard by the other node.
/// </summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private readonly SessionsHarness _h = SessionsHarness.Durable(DurableStore.Postgres, c => c.IdleTimeout = TimeSpan.FromMinutes(10));
    private Sessions _b = null!;
    private Sessions A => _h.Sessions;

    public async ValueTask InitializeAsync()
    {
        _b = _h.OpenSecondManager();
        // A node hears only what is committed after it listens: the tests start once both do.
        await UntilBothListenAsync();
    }

    [Fact]
    public async Task A_value_set_on_one_node_is_read_on_the_other_at_once()
    {
        await _h.ReadOnAsync(_b, s => s.GetString("name"));
        await _h.ReadOnAsync(A, s => { s.Set("name", "cake"); return 0; });

        Assert.Equal("cake", await _h.ReadOnAsync(_b, s => s.GetString("name")));
    }

    [Fact]
    public async Task A_node_that_cached_a_session_sees_the_other_nodes_change_at_its_next_request()
    {
        await _h.ReadOnAsync(A, s => { s.Set("n", 1); return 0; });
        await _h.ReadOnAsync(_b, s => s.GetInt("n"));

        for (var i = 2; i <= 20; i++)
        {
            var writer = i % 2 == 0 ? A : _b;
            var reader = i % 2 == 0 ? _b : A;
            await _h.ReadOnAsync(writer, s => { s.Set("n", i); return 0; });
            Assert.Equal(i, await _h.ReadOnAsync(reader, s => s.GetInt("n")));
        }
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var conn = new Npgsql.NpgsqlConnection(_h.PostgresConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private const string ListeningBackends = "FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()";

    // How long until both nodes listen again (fails after 10 s).
    private async Task<TimeSpan> UntilBothListenAsync()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Poll.UntilAsync(async () => await ScalarAsync($"SELECT count(*) {ListeningBackends}") >= 2, TimeSpan.FromSeconds(10));
        return watch.Elapsed;
    }

    [Fact]
    public async Task A_node_whose_listening_connection_is_cut_again_and_again_listens_again_at_once_each_time()
    {
        // Seven cuts in a row: the pause used to double each time (100 ms … 5 s) and never shrink again after an outage.
        var reconnects = new List<TimeSpan>();
        for (var cut = 0; cut < 7; cut++)
        {
            // The timeout form returns once the backends are gone, so the count below sees only the new connections.
            await ScalarAsync($"SELECT count(pg_terminate_backend(pid, 5000)) {ListeningBackends}");
            reconnects.Add(await UntilBothListenAsync());
        }

        Assert.All(reconnects, r => Assert.True(r < TimeSpan.FromSeconds(2), $"reconnects took {string.Join(", ", reconnects.Select(x => $"{x.TotalMilliseconds:F0} ms"))}"));
    }

    [Fact]
    public async Task Alternating_increments_on_two_nodes_count_exactly()
    {
        var seen = new List<int>();
        for (var i = 0; i < 40; i++) seen.Add(await _h.ReadOnAsync(i % 2 == 0 ? A : _b, s => s.Increment("visits", 1)));

        Assert.Equal(Enumerable.Range(1, 40), seen);
    }

    [Fact]
    public async Task Concurrent_increments_on_two_nodes_never_lose_a_count()
    {
        await _h.ReadOnAsync(A, s => s.Increment("n", 0));
        var cookie = _h.Cookie;

        await Task.WhenAll(Enumerable.Range(0, 32).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                var request = new FakeRequest($"{SessionsHarness.CookieName}={cookie}");
                (worker % 2 == 0 ? A : _b).Start(request.Context).Increment("n", 1);
                Assert.Equal(200, (await request.CompleteAsync()).Status);
            }
        })));

        Assert.Equal(320, await _h.ReadOnAsync(_b, s => s.GetInt("n")));
        Assert.Equal(320, await _h.ReadOnAsync(A, s => s.GetInt("n")));
    }

    [Fact]
    public async Task A_session_destroyed_on_one_node_is_gone_on_the_other_at_once()
    {
        var id = await _h.ReadOnAsync(A, s => { s.Set("authenticated", true); return s.ID; });
        await _h.ReadOnAsync(_b, s => s.GetBoolean("authenticated"));

        _b.DestroyByID(id);

        Assert.False(await _h.ReadOnAsync(A, s => s.GetBooleanDefault("authenticated", false)));
        Assert.NotEqual(id, _h.Cookie);
    }

    [Fact]
    public async Task A_destroy_fires_Destroyed_once_in_the_cluster_and_PeerDestroyed_on_the_other_node()
    {
        var local = new ConcurrentQueue<SessionDestroyedEventArgs>();
        var onA = new ConcurrentQueue<SessionDestroyedEventArgs>();
        var peer = new ConcurrentQueue<SessionDestroyedEventArgs>();
        _b.Destroyed += (_, e) => local.Enqueue(e);
        A.Destroyed += (_, e) => onA.Enqueue(e);
        A.PeerDestroyed += (_, e) => peer.Enqueue(e);
        var id = await _h.ReadOnAsync(A, s => { s.Set("k", 1); return s.ID; });

        Assert.True(await _b.DestroyByIDAsync(id, actor: "olga"));
        await Poll.UntilAsync(() => !peer.IsEmpty);

        Assert.Equal(id, Assert.Single(local).ID);
        Assert.Empty(onA);
        var heard = Assert.Single(peer);
        Assert.Equal((id, SessionDestroyReason.DestroyedByID, "olga"), (heard.ID, heard.Reason, heard.Actor));
    }

    [Fact]
    public async Task A_session_created_on_one_node_is_announced_to_the_other()
    {
        var heard = new ConcurrentQueue<SessionChangedEventArgs>();
        _b.PeerChanged += (_, e) => heard.Enqueue(e);

        var id = await _h.ReadOnAsync(A, s => { s.Set("k", 1); return s.ID; });

        await Poll.UntilAsync(() => heard.Any(e => e.ID == id && e.Created));
    }

    [Fact]
    public async Task Two_nodes_sweeping_together_announce_each_expired_session_once()
    {
        var ids = new List<string>();
        for (var i = 0; i < 600; i++)
        {
            _h.Cookie = null;
            ids.Add(await _h.ReadOnAsync(i % 2 == 0 ? A : _b, s => { s.Set("k", i); return s.ID; }));
        }
        var destroyed = new ConcurrentQueue<string>();
        A.Destroyed += (_, e) => destroyed.Enqueue(e.ID);
        _b.Destroyed += (_, e) => destroyed.Enqueue(e.ID);
        _h.Time.Advance(TimeSpan.FromMinutes(11));

        var ct = TestContext.Current.CancellationToken;
        var swept = await Task.WhenAll(A.SweepExpiredAsync(ct), _b.SweepExpiredAsync(ct), A.SweepExpiredAsync(ct), _b.SweepExpiredAsync(ct));

        Assert.Equal(600, swept.Sum());
        Assert.Equal(ids.Order(), destroyed.Order());
    }

    public async ValueTask DisposeAsync()
    {
        await _b.DisposeAsync();
        await _h.DisposeAsync();
    }
}
