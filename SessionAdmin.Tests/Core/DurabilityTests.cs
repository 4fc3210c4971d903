using SessionAdmin.Core.Storage;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>Decision 10: changes are durable before the response starts; failures are 503, never silent.</summary>
public abstract class DurabilityTests(DurableStore store)
{
    [Fact]
    public async Task A_request_is_committed_before_its_response_starts()
    {
        await using var h = SessionsHarness.Durable(store);
        await h.RequestAsync(s => s.Set("k", "durable"));

        // A second manager on the same file, the first still running and undisposed.
        await using var other = h.OpenSecondManager();
        var probe = new FakeRequest($"{SessionsHarness.CookieName}={h.Cookie}");
        Assert.Equal("durable", other.Start(probe.Context).GetString("k"));
    }

    [Fact]
    public async Task A_change_made_after_the_response_started_is_committed_before_the_call_returns()
    {
        await using var h = SessionsHarness.Durable(store);
        await h.RequestAsync(s => s.Set("k", 1));
        var request = new FakeRequest($"{SessionsHarness.CookieName}={h.Cookie}");
        var session = h.Sessions.Start(request.Context);
        await request.CompleteAsync();

        session.Set("late", "written");

        await using var other = h.OpenSecondManager();
        Assert.Equal("written", other.Start(new FakeRequest($"{SessionsHarness.CookieName}={h.Cookie}").Context).GetString("late"));
    }

    [Fact]
    public async Task Two_requests_on_one_session_keep_each_others_keys()
    {
        await using var h = SessionsHarness.Durable(store);
        await h.RequestAsync(s => s.Set("start", 0));
        var a = new FakeRequest($"{SessionsHarness.CookieName}={h.Cookie}");
        var b = new FakeRequest($"{SessionsHarness.CookieName}={h.Cookie}");
        h.Sessions.Start(a.Context).Set("a", 1);
        h.Sessions.Start(b.Context).Set("b", 2);
        await b.CompleteAsync();
        await a.CompleteAsync();
        await h.RestartAsync();

        Assert.Equal((1, 2), await h.ReadAsync(s => (s.GetInt("a"), s.GetInt("b"))));
    }

    [Fact]
    public async Task A_failed_commit_answers_503_without_a_session_cookie()
    {
        await using var sessions = new Sessions(new SessionsConfig { Cookie = "sid" });
        sessions.UseDatabase(new FailingDatabase());
        var request = new FakeRequest();
        sessions.Start(request.Context).Set("k", 1);

        var exchange = await request.CompleteAsync();

        Assert.Equal(503, exchange.Status);
        Assert.Empty(exchange.SetCookies);
    }

    [Fact]
    public async Task A_store_that_cannot_be_read_answers_503_through_the_middleware()
    {
        await using var sessions = new Sessions(new SessionsConfig { Cookie = "sid" });
        sessions.UseDatabase(new FailingDatabase());
        var request = new FakeRequest("sid=someone");

        await sessions.Handler()(_ => Task.CompletedTask)(request.Context);

        Assert.Equal(503, (await request.CompleteAsync()).Status);
    }

    [Fact]
    public async Task DestroyByID_on_a_failing_store_throws_and_fires_nothing()
    {
        await using var sessions = new Sessions(new SessionsConfig());
        sessions.UseDatabase(new FailingDatabase());
        var fired = false;
        sessions.OnDestroy(_ => fired = true);

        Assert.Throws<SessionStoreException>(() => sessions.DestroyByID("x"));
        Assert.False(fired);
    }

    private sealed class FailingDatabase : ISessionDatabase
    {
        private static Exception Failure => new IOException("disk is gone");
        public Task<StoredSession?> LoadAsync(string id, CancellationToken ct) => Task.FromException<StoredSession?>(Failure);
        public Task<IReadOnlyList<SessionWriteResult>> CommitAsync(IReadOnlyList<SessionWrite> writes, CancellationToken ct) =>
            Task.FromException<IReadOnlyList<SessionWriteResult>>(Failure);
        public Task<IReadOnlyList<ExpiredSession>> SweepAsync(DateTime nowUtc, int batchSize, CancellationToken ct) =>
            Task.FromException<IReadOnlyList<ExpiredSession>>(Failure);
        public Task<long> CountAsync(DateTime nowUtc, CancellationToken ct) => Task.FromException<long>(Failure);
        public Task<IReadOnlyList<ExpiredSession>> DeleteAllAsync(DateTime nowUtc, string? actor, int batchSize, CancellationToken ct) =>
            Task.FromException<IReadOnlyList<ExpiredSession>>(Failure);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

public sealed class SqliteDurabilityTests() : DurabilityTests(DurableStore.Sqlite);

public sealed class PostgresDurabilityTests() : DurabilityTests(DurableStore.Postgres);
