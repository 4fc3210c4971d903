using System.Collections.Concurrent;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>Decision 11 and the idle timeout: time moved with a fake clock, never slept.</summary>
public abstract class ExpiryTests : IAsyncLifetime
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);
    private readonly SessionsHarness _h;
    private readonly ConcurrentQueue<SessionDestroyedEventArgs> _events = new();

    protected ExpiryTests(DurableStore store)
    {
        _h = SessionsHarness.Durable(store, c => { c.Expires = Lifetime; c.IdleTimeout = Idle; });
        _h.Sessions.Destroyed += (_, e) => _events.Enqueue(e);
    }

    private async Task<string> StartedAsync()
    {
        await _h.RequestAsync(s => s.Set("k", 1));
        return _h.Cookie!;
    }

    private async Task<SessionDestroyedEventArgs> NextEventAsync()
    {
        await Poll.UntilAsync(() => !_events.IsEmpty);
        Assert.True(_events.TryDequeue(out var e), "no destroy event was raised");
        return e;
    }

    [Fact]
    public async Task An_expired_session_is_dead_for_requests_before_any_sweep()
    {
        var id = await StartedAsync();
        for (var i = 0; i < 6; i++) { _h.Time.Advance(TimeSpan.FromMinutes(5)); await _h.RequestAsync(_ => { }); }

        Assert.NotEqual(id, await _h.ReadAsync(s => s.ID));
        var e = await NextEventAsync();
        Assert.Equal((id, SessionDestroyReason.Expired), (e.ID, e.Reason));
    }

    [Fact]
    public async Task An_idle_session_is_dead_for_requests_before_any_sweep()
    {
        var id = await StartedAsync();
        _h.Time.Advance(Idle);

        Assert.NotEqual(id, await _h.ReadAsync(s => s.ID));
        var e = await NextEventAsync();
        Assert.Equal((id, SessionDestroyReason.IdleTimeout), (e.ID, e.Reason));
    }

    [Fact]
    public async Task Each_use_pushes_the_idle_deadline()
    {
        var id = await StartedAsync();
        for (var i = 0; i < 3; i++)
        {
            _h.Time.Advance(Idle - TimeSpan.FromMinutes(1));
            Assert.Equal(id, await _h.ReadAsync(s => s.ID));
        }
    }

    [Fact]
    public async Task The_idle_deadline_that_reaches_the_store_holds_after_a_restart()
    {
        var id = await StartedAsync();
        _h.Time.Advance(TimeSpan.FromMinutes(9));
        await _h.RequestAsync(_ => { });
        await _h.RestartAsync();
        _h.Time.Advance(TimeSpan.FromMinutes(9));

        Assert.Equal(id, await _h.ReadAsync(s => s.ID));
    }

    [Fact]
    public async Task The_sweep_removes_expired_sessions_and_raises_the_reason()
    {
        var id = await StartedAsync();
        _h.Time.Advance(Idle);

        Assert.Equal(1, await _h.Sessions.SweepExpiredAsync(TestContext.Current.CancellationToken));

        var e = Assert.Single(_events);
        Assert.Equal((id, SessionDestroyReason.IdleTimeout), (e.ID, e.Reason));
        Assert.Equal(0, await _h.Sessions.SweepExpiredAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_sweep_finds_sessions_held_only_in_the_store()
    {
        await StartedAsync();
        await _h.RestartAsync();
        _h.Sessions.Destroyed += (_, e) => _events.Enqueue(e);
        _h.Time.Advance(Lifetime);

        await _h.Sessions.SweepExpiredAsync(TestContext.Current.CancellationToken);

        Assert.Equal(SessionDestroyReason.Expired, Assert.Single(_events).Reason);
    }

    [Fact]
    public async Task The_background_sweep_runs_on_the_clock()
    {
        await using var h = SessionsHarness.Memory(c => { c.IdleTimeout = Idle; });
        await h.RestartAsync();
        var fired = new TaskCompletionSource<SessionDestroyReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Sessions.Destroyed += (_, e) => fired.TrySetResult(e.Reason);
        await h.RequestAsync(s => s.Set("k", 1));

        // The harness sweeps hourly; advance in steps until the periodic timer has fired.
        for (var i = 0; i < 100 && !fired.Task.IsCompleted; i++)
        {
            h.Time.Advance(TimeSpan.FromHours(1));
            await Task.WhenAny(fired.Task, Task.Delay(20, TestContext.Current.CancellationToken));
        }

        Assert.Equal(SessionDestroyReason.IdleTimeout, await fired.Task);
    }

    [Fact]
    public async Task UpdateExpiration_moves_the_expiry_and_resends_one_cookie()
    {
        await StartedAsync();
        _h.Time.Advance(TimeSpan.FromMinutes(5));
        DateTimeOffset? expiresAt = null;
        var exchange = await _h.RequestAsync((ctx, sessions) =>
        {
            var s = sessions.Start(ctx);
            sessions.UpdateExpiration(ctx, TimeSpan.FromHours(24));
            expiresAt = s.ExpiresAt;
        });

        Assert.Equal(_h.Time.GetUtcNow() + TimeSpan.FromHours(24), expiresAt);
        Assert.Contains("max-age=86400", Assert.Single(exchange.SetCookies));
        await _h.RestartAsync();
        _h.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(expiresAt, await _h.ReadAsync(s => s.ExpiresAt));
    }

    [Fact]
    public async Task UpdateExpiration_in_the_creating_request_replaces_the_first_cookie()
    {
        var exchange = await _h.RequestAsync((ctx, sessions) => { sessions.Start(ctx); sessions.UpdateExpiration(ctx, TimeSpan.FromHours(24)); });
        Assert.Contains("max-age=86400", Assert.Single(exchange.SetCookies));
    }

    [Fact]
    public async Task ShiftExpiration_without_a_session_throws_not_found() =>
        await Assert.ThrowsAsync<SessionNotFoundException>(() => _h.RequestAsync((ctx, sessions) => sessions.ShiftExpiration(ctx)));

    [Fact]
    public async Task ShiftExpiration_after_Destroy_in_the_same_request_throws_not_found()
    {
        await StartedAsync();
        await Assert.ThrowsAsync<SessionNotFoundException>(() => _h.RequestAsync((ctx, sessions) =>
        {
            sessions.Destroy(ctx);
            sessions.ShiftExpiration(ctx);
        }));
    }

    [Fact]
    public async Task ShiftExpiration_extends_the_lifetime_past_the_first_one()
    {
        var id = await StartedAsync();
        _h.Time.Advance(TimeSpan.FromMinutes(8));
        await _h.RequestAsync((ctx, sessions) => { sessions.Start(ctx); sessions.ShiftExpiration(ctx); });
        for (var i = 0; i < 3; i++) { _h.Time.Advance(TimeSpan.FromMinutes(8)); await _h.RequestAsync(_ => { }); }

        // 32 minutes after creation: past the first 30-minute lifetime, inside the shifted one.
        var (seen, expiresAt) = await _h.ReadAsync(s => (s.ID, s.ExpiresAt));
        Assert.Equal(id, seen);
        Assert.Equal(_h.Time.GetUtcNow() + TimeSpan.FromMinutes(6), expiresAt);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _h.DisposeAsync();
}

public sealed class SqliteExpiryTests() : ExpiryTests(DurableStore.Sqlite);

public sealed class PostgresExpiryTests() : ExpiryTests(DurableStore.Postgres);
