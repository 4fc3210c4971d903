using System.Collections.Concurrent;
using SessionAdmin.Core.Storage;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core.Principals;

/// <summary>
/// MaxSessionsPerPrincipal: a commit that gives a principal more live sessions than the limit removes the least
/// recently used others in that same commit (reason SessionLimit), never the one being committed.
/// </summary>
public abstract class SessionLimitTests : IAsyncLifetime
{
    private readonly SessionsHarness _h;
    private readonly ConcurrentQueue<SessionDestroyedEventArgs> _destroyed = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected SessionLimitTests(DurableStore? store)
    {
        _h = PrincipalHarness.Create(store, c => c.MaxSessionsPerPrincipal = 2);
        _h.Sessions.Destroyed += (_, e) => _destroyed.Enqueue(e);
    }

    private async Task<string> LoginAsync(string user)
    {
        var id = await PrincipalHarness.LoginAsync(_h, user);
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        return id;
    }

    [Fact]
    public async Task A_login_beyond_the_limit_ends_the_least_recently_used_session()
    {
        var first = await LoginAsync("alice");
        var second = await LoginAsync("alice");
        var third = await LoginAsync("alice");

        Assert.Equal([third, second], await _h.Sessions.FindByPrincipalAsync("alice", Ct));
        await Poll.UntilAsync(() => _destroyed.Any(e => e.ID == first));
        var evicted = Assert.Single(_destroyed);
        Assert.Equal(SessionDestroyReason.SessionLimit, evicted.Reason);
        Assert.Equal("alice", evicted.Principal);
    }

    [Fact]
    public async Task Least_recently_used_follows_the_last_request_this_node_served()
    {
        var first = await LoginAsync("alice");
        var firstCookie = _h.Cookie;
        var second = await LoginAsync("alice");
        _h.Cookie = firstCookie;
        await _h.ReadAsync(s => s.ID);   // the first is now the more recent (known in memory only)
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        var third = await LoginAsync("alice");

        Assert.Equal([third, first], await _h.Sessions.FindByPrincipalAsync("alice", Ct));
        Assert.DoesNotContain(second, await _h.Sessions.FindByPrincipalAsync("alice", Ct));
    }

    [Fact]
    public async Task The_session_being_committed_is_never_the_one_evicted_even_when_it_is_the_least_recently_used()
    {
        await LoginAsync("alice");
        await LoginAsync("alice");
        var ancient = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var write = new SessionWrite("AAAAAAAAcommittedcommittedcommitted0")
        {
            Insert = new SessionRecord("AAAAAAAAcommittedcommittedcommitted0", ancient, ancient, null, null, null, null, "alice"),
            PrincipalChanged = true,
            Principal = "alice",
            Limit = new PrincipalLimit(2, _ => null, () => _h.Time.GetUtcNow().UtcDateTime),
        };

        var results = await _h.Sessions.Database.CommitAsync([write], Ct);

        Assert.Contains(write.Id, (await _h.Sessions.Database.FindByPrincipalAsync("alice", _h.Time.GetUtcNow().UtcDateTime, Ct)).Select(s => s.Id));
        Assert.Single(results[0].Evicted!);
    }

    [Fact]
    public async Task The_limit_counts_per_principal()
    {
        await LoginAsync("alice");
        await LoginAsync("alice");
        await LoginAsync("bob");
        await LoginAsync("bob");

        Assert.Equal(2, (await _h.Sessions.FindByPrincipalAsync("alice", Ct)).Count);
        Assert.Equal(2, (await _h.Sessions.FindByPrincipalAsync("bob", Ct)).Count);
        Assert.Empty(_destroyed);
    }

    [Fact]
    public async Task An_evicted_device_is_told_session_limit()
    {
        await LoginAsync("alice");
        var firstCookie = _h.Cookie;
        await LoginAsync("alice");
        await LoginAsync("alice");

        _h.Cookie = firstCookie;
        SessionDestroyReason? reason = null;
        await _h.RequestAsync((ctx, sessions) => reason = sessions.EndedReason(ctx));
        Assert.Equal(SessionDestroyReason.SessionLimit, reason);
    }

    [Fact]
    public async Task A_session_that_switches_to_a_principal_at_its_limit_evicts_one_of_that_principal()
    {
        await LoginAsync("alice");
        await LoginAsync("alice");
        await LoginAsync("bob");
        await _h.RequestAsync(s => s.Set(PrincipalHarness.Key, "alice"));

        Assert.Equal(2, (await _h.Sessions.FindByPrincipalAsync("alice", Ct)).Count);
        Assert.Empty(await _h.Sessions.FindByPrincipalAsync("bob", Ct));
    }

    [Fact]
    public async Task RegenerateID_at_the_limit_evicts_nobody()
    {
        var first = await LoginAsync("alice");
        await LoginAsync("alice");
        await _h.RequestAsync((ctx, sessions) => sessions.RegenerateID(ctx));

        var live = await _h.Sessions.FindByPrincipalAsync("alice", Ct);
        Assert.Equal(2, live.Count);
        Assert.Contains(first, live);
        Assert.DoesNotContain(_destroyed, e => e.Reason == SessionDestroyReason.SessionLimit);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _h.DisposeAsync();
}

public sealed class MemorySessionLimitTests() : SessionLimitTests(null);

public sealed class SqliteSessionLimitTests() : SessionLimitTests(DurableStore.Sqlite);

public sealed class PostgresSessionLimitTests() : SessionLimitTests(DurableStore.Postgres)
{
    [Fact]
    public async Task Two_nodes_logging_the_same_user_in_at_once_never_leave_more_than_the_limit()
    {
        await using var h = PrincipalHarness.Create(DurableStore.Postgres, c => c.MaxSessionsPerPrincipal = 2);
        await using var b = h.OpenSecondManager();
        var nodes = new[] { h.Sessions, b };

        // 40 concurrent logins of one user, alternating nodes: each commit counts after the others' (advisory lock).
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            var request = new FakeRequest();
            nodes[i % 2].Start(request.Context).Set(PrincipalHarness.Key, "alice");
            Assert.Equal(200, (await request.CompleteAsync()).Status);
        })));

        Assert.Equal(2, (await h.Sessions.FindByPrincipalAsync("alice", TestContext.Current.CancellationToken)).Count);
        Assert.Equal(2, (await b.FindByPrincipalAsync("alice", TestContext.Current.CancellationToken)).Count);
    }

    [Fact]
    public async Task A_login_on_one_node_evicts_a_session_the_other_node_serves_and_that_node_drops_it()
    {
        await using var h = PrincipalHarness.Create(DurableStore.Postgres, c => c.MaxSessionsPerPrincipal = 1);
        await using var b = h.OpenSecondManager();
        await PrincipalHarness.LoginAsync(h, "alice", node: b);
        var onB = h.Cookie;
        await PrincipalHarness.LoginAsync(h, "alice", node: h.Sessions);

        h.Cookie = onB;
        Assert.True(await h.ReadOnAsync(b, s => s.IsNew));
    }
}
