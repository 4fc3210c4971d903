using System.Collections.Concurrent;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>Decisions 1, 3 and 9: which ID a request gets, and how sessions end.</summary>
public abstract class LifecycleTests : IAsyncLifetime
{
    private readonly SessionsHarness _h;
    private readonly ConcurrentQueue<SessionDestroyedEventArgs> _events = new();
    private readonly ConcurrentQueue<string> _onDestroy = new();

    protected LifecycleTests(DurableStore store)
    {
        _h = SessionsHarness.Durable(store);
        Listen();
    }

    private void Listen()
    {
        _h.Sessions.Destroyed += (_, e) => _events.Enqueue(e);
        _h.Sessions.OnDestroy(_onDestroy.Enqueue);
    }

    private async Task<string> LoggedInAsync()
    {
        await _h.RequestAsync(s => s.Set("user", "ada"));
        return _h.Cookie!;
    }

    [Fact]
    public async Task A_first_visit_gets_a_new_session_and_a_cookie()
    {
        var isNew = false;
        var exchange = await _h.RequestAsync(s => isNew = s.IsNew);
        Assert.True(isNew);
        Assert.Single(exchange.CookiesNamed(SessionsHarness.CookieName));
    }

    [Fact]
    public async Task A_known_cookie_gets_its_session_and_no_new_cookie()
    {
        var id = await LoggedInAsync();
        string? seen = null; var isNew = true;
        var exchange = await _h.RequestAsync(s => { seen = s.ID; isNew = s.IsNew; });
        Assert.Equal(id, seen);
        Assert.False(isNew);
        Assert.Empty(exchange.SetCookies);
    }

    [Fact]
    public async Task A_forged_cookie_gets_a_fresh_id()
    {
        _h.Cookie = "forged-by-the-client";
        string? id = null;
        var exchange = await _h.RequestAsync(s => id = s.ID);
        Assert.NotEqual("forged-by-the-client", id);
        Assert.Equal(id, exchange.CookieValue(SessionsHarness.CookieName));
        Assert.Equal(1, _h.Sessions.UnknownIdsPresented);
    }

    [Fact]
    public async Task A_session_stored_by_an_earlier_process_is_known()
    {
        var id = await LoggedInAsync();
        await _h.RestartAsync();
        var (seen, isNew, user) = await _h.ReadAsync(s => (s.ID, s.IsNew, s.GetString("user")));
        Assert.Equal((id, false, "ada"), (seen, isNew, user));
    }

    [Fact]
    public async Task Start_twice_in_one_request_returns_the_same_session()
    {
        var exchange = await _h.RequestAsync((ctx, sessions) => Assert.Same(sessions.Start(ctx), sessions.Start(ctx)));
        Assert.Single(exchange.SetCookies);
    }

    [Fact]
    public async Task Destroy_then_Start_in_one_request_gives_one_cookie_with_a_new_id()
    {
        var old = await LoggedInAsync();
        string? fresh = null;
        var exchange = await _h.RequestAsync((ctx, sessions) =>
        {
            sessions.Destroy(ctx);
            Assert.Null(Sessions.Get(ctx));
            fresh = sessions.Start(ctx).ID;
        });
        Assert.NotEqual(old, fresh);
        var cookie = Assert.Single(exchange.CookiesNamed(SessionsHarness.CookieName));
        Assert.StartsWith($"{SessionsHarness.CookieName}={fresh};", cookie);
    }

    [Fact]
    public async Task Destroy_sends_a_deletion_cookie_and_fires_once()
    {
        var id = await LoggedInAsync();
        var exchange = await _h.RequestAsync((ctx, sessions) => sessions.Destroy(ctx));
        Assert.Equal("", exchange.CookieValue(SessionsHarness.CookieName));
        Assert.Contains("max-age=0", Assert.Single(exchange.SetCookies));
        var e = Assert.Single(_events);
        Assert.Equal((id, SessionDestroyReason.Destroyed), (e.ID, e.Reason));
        Assert.Equal([id], _onDestroy);
    }

    [Fact]
    public async Task Destroy_without_a_session_does_nothing()
    {
        var exchange = await _h.RequestAsync((ctx, sessions) => sessions.Destroy(ctx));
        Assert.Empty(exchange.SetCookies);
        Assert.Empty(_events);
    }

    [Fact]
    public async Task DestroyByID_of_a_session_held_only_in_the_store_fires_and_kills_it()
    {
        var id = await LoggedInAsync();
        await _h.RestartAsync();
        Listen();

        _h.Sessions.DestroyByID(id);

        Assert.Equal(SessionDestroyReason.DestroyedByID, Assert.Single(_events).Reason);
        Assert.NotEqual(id, await _h.ReadAsync(s => s.ID));
    }

    [Fact]
    public async Task DestroyByID_of_an_unknown_id_fires_nothing()
    {
        _h.Sessions.DestroyByID("nobody");
        Assert.Empty(_events);
        Assert.Empty(_onDestroy);
    }

    [Fact]
    public async Task DestroyByID_twice_fires_once()
    {
        var id = await LoggedInAsync();
        _h.Sessions.DestroyByID(id);
        _h.Sessions.DestroyByID(id);
        Assert.Single(_events);
    }

    [Fact]
    public async Task Session_Destroy_removes_it_server_side()
    {
        var id = await LoggedInAsync();
        await _h.RequestAsync(s => s.Destroy());
        Assert.Equal(id, Assert.Single(_onDestroy));
        Assert.NotEqual(id, await _h.ReadAsync(s => s.ID));
    }

    [Fact]
    public async Task A_destroyed_session_is_not_resurrected_by_a_request_in_flight()
    {
        var id = await LoggedInAsync();
        var inFlight = new FakeRequest($"{SessionsHarness.CookieName}={id}");
        var session = _h.Sessions.Start(inFlight.Context);

        _h.Sessions.DestroyByID(id);
        session.Set("late", "write");
        await inFlight.CompleteAsync();

        await using var other = _h.OpenSecondManager();
        var probe = new FakeRequest($"{SessionsHarness.CookieName}={id}");
        Assert.NotEqual(id, other.Start(probe.Context).ID);
        Assert.NotEqual(id, await _h.ReadAsync(s => s.ID));
    }

    [Fact]
    public async Task DestroyAll_removes_every_stored_session_and_fires_for_each()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) { _h.Cookie = null; ids.Add(await LoggedInAsync()); }
        await _h.RestartAsync();
        Listen();
        _h.Cookie = null;
        ids.Add(await LoggedInAsync());

        _h.Sessions.DestroyAll();

        Assert.Equal(ids.Order(), _events.Select(e => e.ID).Order());
        Assert.All(_events, e => Assert.Equal(SessionDestroyReason.DestroyedAll, e.Reason));
        Assert.NotEqual(ids[^1], await _h.ReadAsync(s => s.ID));
    }

    [Fact]
    public async Task A_throwing_listener_affects_neither_the_caller_nor_other_listeners()
    {
        var id = await LoggedInAsync();
        _h.Sessions.OnDestroy(_ => throw new InvalidOperationException("listener bug"));
        var after = new List<string>();
        _h.Sessions.OnDestroy(after.Add);

        _h.Sessions.DestroyByID(id);

        Assert.Equal([id], after);
    }

    [Fact]
    public async Task A_listener_may_call_back_into_the_manager()
    {
        var first = await LoggedInAsync();
        _h.Cookie = null;
        var second = await LoggedInAsync();
        _h.Sessions.OnDestroy(sid => { if (sid == first) _h.Sessions.DestroyByID(second); });

        _h.Sessions.DestroyByID(first);

        Assert.Equal([first, second], _onDestroy);
    }

    [Fact]
    public async Task RegenerateID_keeps_values_and_kills_the_old_id()
    {
        var old = await LoggedInAsync();
        await _h.RequestAsync(s => s.SetFlash("f", "flash"));
        string? fresh = null;
        var exchange = await _h.RequestAsync((ctx, sessions) => { sessions.Start(ctx); sessions.RegenerateID(ctx); fresh = sessions.Start(ctx).ID; });

        Assert.Equal(fresh, exchange.CookieValue(SessionsHarness.CookieName));
        var e = Assert.Single(_events);
        Assert.Equal((old, SessionDestroyReason.Regenerated), (e.ID, e.Reason));
        var (id, isNew, user, flash) = await _h.ReadAsync(s => (s.ID, s.IsNew, s.GetString("user"), s.PeekFlash("f")));
        Assert.Equal((fresh, false, "ada", (object?)"flash"), (id, isNew, user, flash));
        _h.Cookie = old;
        Assert.NotEqual(old, await _h.ReadAsync(s => s.ID));
    }

    [Fact]
    public async Task RegenerateID_of_a_session_created_in_the_same_request_fires_nothing_and_sends_one_cookie()
    {
        string? fresh = null;
        var exchange = await _h.RequestAsync((ctx, sessions) =>
        {
            var s = sessions.Start(ctx);
            sessions.RegenerateID(ctx);
            s.Set("authenticated", true);
            fresh = s.ID;
        });

        Assert.Empty(_events);
        Assert.Equal(fresh, exchange.CookieValue(SessionsHarness.CookieName));
        Assert.Single(exchange.SetCookies);
        await _h.RestartAsync();
        Assert.True(await _h.ReadAsync(s => s.GetBoolean("authenticated")));
    }

    [Fact]
    public async Task The_middleware_stores_the_session_for_Get()
    {
        Session? seen = null;
        var request = new FakeRequest();
        await _h.Sessions.Handler()(ctx => { seen = Sessions.Get(ctx); return Task.CompletedTask; })(request.Context);
        Assert.NotNull(seen);
        Assert.Same(seen, _h.Sessions.Start(request.Context));
    }

    [Fact]
    public void Get_without_the_middleware_is_null() => Assert.Null(Sessions.Get(new FakeRequest().Context));

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _h.DisposeAsync();
}

public sealed class SqliteLifecycleTests() : LifecycleTests(DurableStore.Sqlite);

public sealed class PostgresLifecycleTests() : LifecycleTests(DurableStore.Postgres);
