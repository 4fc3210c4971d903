using System.Collections.Concurrent;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>
/// A session that holds nothing costs the store nothing: it is written with its first change. Until then it lives on
/// the node that made it, with the same ID, cookie and events as any other.
/// </summary>
public abstract class EmptySessionTests : IAsyncLifetime
{
    private readonly SessionsHarness _h;
    private readonly ConcurrentQueue<SessionDestroyedEventArgs> _events = new();
    private readonly ConcurrentQueue<string> _onDestroy = new();

    protected EmptySessionTests(DurableStore store)
    {
        _h = SessionsHarness.Durable(store, c => c.IdleTimeout = TimeSpan.FromMinutes(10));
        _h.Sessions.Destroyed += (_, e) => _events.Enqueue(e);
        _h.Sessions.OnDestroy(_onDestroy.Enqueue);
    }

    private Task<long> StoredSessionsAsync() => _h.Sessions.Database.CountAsync(_h.Time.GetUtcNow().UtcDateTime, CancellationToken.None);

    [Fact]
    public async Task A_session_that_holds_nothing_is_not_stored_but_gets_its_cookie()
    {
        var isNew = false;
        var exchange = await _h.RequestAsync(s => isNew = s.IsNew);

        Assert.True(isNew);
        Assert.Single(exchange.CookiesNamed(SessionsHarness.CookieName));
        Assert.Equal(0, await StoredSessionsAsync());
    }

    [Fact]
    public async Task The_next_request_of_a_session_that_holds_nothing_finds_it_not_new()
    {
        var first = await _h.ReadAsync(s => s.ID);
        string? id = null; var isNew = true;

        var exchange = await _h.RequestAsync(s => { id = s.ID; isNew = s.IsNew; });

        Assert.Equal(first, id);
        Assert.False(isNew);
        Assert.Empty(exchange.SetCookies);
    }

    [Fact]
    public async Task The_first_value_stores_the_session_under_its_id()
    {
        var id = await _h.ReadAsync(s => s.ID);
        _h.Time.Advance(TimeSpan.FromMinutes(1));

        await _h.RequestAsync(s => s.Set("cart", 3));
        await _h.RestartAsync();

        Assert.Equal(1, await StoredSessionsAsync());
        Assert.Equal((id, 3), await _h.ReadAsync(s => (s.ID, s.GetInt("cart"))));
    }

    [Fact]
    public async Task A_flood_of_unknown_cookies_writes_nothing()
    {
        for (var i = 0; i < 1_000; i++)
        {
            _h.Cookie = $"forged-{i}";
            await _h.RequestAsync(_ => { });
        }

        Assert.Equal(1_000, _h.Sessions.UnknownIdsPresented);
        Assert.Equal(0, await StoredSessionsAsync());
    }

    [Fact]
    public async Task Destroying_a_session_that_holds_nothing_fires_the_destroy_events_once()
    {
        var id = await _h.ReadAsync(s => s.ID);

        await _h.RequestAsync((ctx, sessions) => sessions.Destroy(ctx));

        Assert.Equal((id, SessionDestroyReason.Destroyed), (Assert.Single(_events).ID, _events.Single().Reason));
        Assert.Equal(id, Assert.Single(_onDestroy));
    }

    [Fact]
    public async Task An_idle_session_that_holds_nothing_ends_in_the_sweep_with_its_reason()
    {
        var id = await _h.ReadAsync(s => s.ID);
        _h.Time.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal(1, await _h.Sessions.SweepExpiredAsync(TestContext.Current.CancellationToken));

        Assert.Equal((id, SessionDestroyReason.IdleTimeout), (Assert.Single(_events).ID, _events.Single().Reason));
    }

    [Fact]
    public async Task An_idle_session_that_holds_nothing_is_not_served_again()
    {
        var id = await _h.ReadAsync(s => s.ID);
        _h.Time.Advance(TimeSpan.FromMinutes(11));

        var (again, isNew) = await _h.ReadAsync(s => (s.ID, s.IsNew));

        Assert.NotEqual(id, again);
        Assert.True(isNew);
    }

    [Fact]
    public async Task Destroy_all_counts_and_announces_sessions_that_hold_nothing()
    {
        var empty = await _h.ReadAsync(s => s.ID);
        _h.Cookie = null;
        var stored = await _h.ReadAsync(s => { s.Set("k", 1); return s.ID; });

        Assert.Equal(2, await _h.Sessions.DestroyAllAsync(TestContext.Current.CancellationToken));

        Assert.Equal(new[] { empty, stored }.Order(StringComparer.Ordinal), _onDestroy.Order(StringComparer.Ordinal));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _h.DisposeAsync();
}

public sealed class SqliteEmptySessionTests() : EmptySessionTests(DurableStore.Sqlite);

public sealed class PostgresEmptySessionTests() : EmptySessionTests(DurableStore.Postgres);
