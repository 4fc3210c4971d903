using Microsoft.AspNetCore.Http;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>
/// Iris's own <c>sessions/sessions_test.go</c>, replayed row by row on SQLite and adapted to the Decisions:
/// a destroyed session's cookie gets a new ID (Decision 1/3) instead of being re-adopted.
/// </summary>
public abstract class UpstreamFactTableTests(DurableStore store) : IAsyncLifetime
{
    private static readonly Dictionary<string, object?> V = new() { ["Name"] = "iris", ["Months"] = "4", ["Secret"] = "dsads£2132215£%%Ssdsa" };
    private static readonly Dictionary<string, object?> F = new() { ["Name"] = "iris-sessions", ["Days"] = "1", ["Secret"] = "dsads£2132215£%%Ssdsa" };
    private SessionsHarness _h = SessionsHarness.Durable(store);

    private static int MaxAge(string cookie) => int.Parse(cookie.Split("max-age=")[1].Split(';')[0]);

    // Requests through the Handler middleware, as the upstream apps register it.
    private async Task<Exchange> ViaMiddleware(Action<HttpContext, Sessions> handler, string host = "example.com")
    {
        return await _h.RequestAsync((ctx, sessions) =>
        {
            sessions.Handler()(c => { handler(c, sessions); return Task.CompletedTask; })(ctx).GetAwaiter().GetResult();
        }, host);
    }

    [Fact]
    public async Task TestSessions()
    {
        IReadOnlyDictionary<string, object?>? all = null;
        var set = await ViaMiddleware((ctx, _) => { foreach (var (k, v) in V) Sessions.Get(ctx)!.Set(k, v); });
        Assert.NotEmpty(set.SetCookies);
        Assert.Contains("domain=example.com", set.SetCookies[0]);

        await ViaMiddleware((ctx, _) => all = Sessions.Get(ctx)!.GetAll());
        Assert.Equal(V, all);

        // The Domain=example.com cookie reaches the subdomain too.
        await _h.RequestAsync((ctx, s) => s.Handler()(c => { all = Sessions.Get(c)!.GetAll(); return Task.CompletedTask; })(ctx).GetAwaiter().GetResult(), "subdomain.example.com");
        Assert.Equal(V, all);

        var destroy = await ViaMiddleware((ctx, sessions) =>
        {
            Assert.False(Sessions.Get(ctx)!.IsNew);
            sessions.Destroy(ctx);
            Assert.Null(Sessions.Get(ctx));
        });
        Assert.Equal("", destroy.CookieValue(SessionsHarness.CookieName));

        var isNew = false;
        var renew = await ViaMiddleware((ctx, _) => isNew = Sessions.Get(ctx)!.IsNew);
        Assert.True(isNew);
        Assert.NotEmpty(renew.SetCookies);

        await ViaMiddleware((ctx, _) => { foreach (var (k, v) in V) Sessions.Get(ctx)!.Set(k, v); });
        await ViaMiddleware((ctx, _) => { Sessions.Get(ctx)!.Clear(); all = Sessions.Get(ctx)!.GetAll(); });
        Assert.Empty(all!);

        var text = "";
        await ViaMiddleware((ctx, sessions) => { Sessions.Get(ctx)!.Set("key", "value"); text = sessions.Start(ctx).GetString("key"); });
        Assert.Equal("value", text);
    }

    [Fact]
    public async Task TestFlashMessages()
    {
        IReadOnlyDictionary<string, object?>? flashes = null;
        var set = await _h.RequestAsync(s => { foreach (var (k, v) in F) s.SetFlash(k, v); });
        Assert.NotEmpty(set.SetCookies);

        flashes = await _h.ReadAsync(s => s.GetFlashes());
        Assert.Equal(F, flashes);
        Assert.Empty(await _h.ReadAsync(s => s.GetFlashes()));

        var destroy = await _h.RequestAsync((ctx, sessions) => { sessions.Destroy(ctx); flashes = sessions.Start(ctx).GetFlashes(); });
        Assert.Empty(flashes);
        Assert.Single(destroy.SetCookies);

        await _h.RequestAsync(s => { foreach (var (k, v) in F) s.SetFlash(k, v); });
        await _h.RequestAsync((ctx, sessions) => { sessions.Start(ctx).ClearFlashes(); flashes = sessions.Start(ctx).GetFlashes(); });
        Assert.Empty(flashes);

        await _h.RequestAsync(s => { foreach (var (k, v) in F) s.SetFlash(k, v); });
        Assert.Equal("iris-sessions", await _h.ReadAsync(s => s.GetFlashString("Name")));
    }

    [Fact]
    public async Task TestSessionsUpdateExpiration()
    {
        await _h.DisposeAsync();
        _h = SessionsHarness.Durable(store, c => { c.Expires = TimeSpan.FromMinutes(30); c.AllowReclaim = true; });
        (string Id, bool Logged) seen = default;
        void Json(HttpContext ctx) => seen = (Sessions.Get(ctx)!.ID, Sessions.Get(ctx)!.GetBooleanDefault("logged", false));

        var set = await ViaMiddleware((ctx, _) => { Sessions.Get(ctx)!.Set("logged", true); Json(ctx); });
        Assert.InRange(MaxAge(Assert.Single(set.SetCookies)), 29 * 60, 30 * 60);
        Assert.True(seen.Logged);
        var s = seen.Id;

        await ViaMiddleware((ctx, _) => Json(ctx));
        Assert.Equal((s, true), seen);

        var remember = await ViaMiddleware((ctx, sessions) => { sessions.UpdateExpiration(ctx, TimeSpan.FromHours(24)); Json(ctx); });
        Assert.InRange(MaxAge(Assert.Single(remember.SetCookies)), 23 * 3600, 24 * 3600);
        Assert.Equal((s, true), seen);

        await ViaMiddleware((ctx, sessions) => sessions.Destroy(ctx));
        Assert.Null(_h.Cookie);

        var again = await ViaMiddleware((ctx, sessions) => sessions.UpdateExpiration(ctx, TimeSpan.FromHours(24)));
        Assert.InRange(MaxAge(Assert.Single(again.SetCookies)), 23 * 3600, 24 * 3600);
    }

    [Fact]
    public async Task TestSessionsUpdateExpirationConcurrently()
    {
        await _h.DisposeAsync();
        _h = SessionsHarness.Durable(store, c => { c.Expires = TimeSpan.FromMinutes(30); c.AllowReclaim = true; });
        async Task<(string Id, Exchange Exchange)> GetAsync()
        {
            var id = "";
            var exchange = await ViaMiddleware((ctx, sessions) => { sessions.UpdateExpiration(ctx, TimeSpan.FromMinutes(30)); id = Sessions.Get(ctx)!.ID; });
            return (id, exchange);
        }

        var (first, _) = await GetAsync();
        var all = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(GetAsync)));
        var (last, lastExchange) = await GetAsync();

        Assert.All(all, r =>
        {
            Assert.Equal(first, r.Id);
            Assert.InRange(MaxAge(Assert.Single(r.Exchange.SetCookies)), 29 * 60, 30 * 60);
        });
        Assert.Equal(first, last);
        Assert.InRange(MaxAge(Assert.Single(lastExchange.SetCookies)), 29 * 60, 30 * 60);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _h.DisposeAsync();
}

public sealed class SqliteUpstreamFactTableTests() : UpstreamFactTableTests(DurableStore.Sqlite);

public sealed class PostgresUpstreamFactTableTests() : UpstreamFactTableTests(DurableStore.Postgres);
