using System.Collections.Concurrent;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core.Principals;

/// <summary>
/// DestroyByPrincipalAsync ("sign out everywhere", ASVS 7.4.2/7.4.3) and EndedReason: a person's sessions end together,
/// each announced once, and a visitor can be told why theirs ended.
/// </summary>
public abstract class SignOutEverywhereTests : IAsyncLifetime
{
    private readonly SessionsHarness _h;
    private readonly ConcurrentQueue<SessionDestroyedEventArgs> _destroyed = new();
    private readonly ConcurrentQueue<string> _onDestroy = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected SignOutEverywhereTests(DurableStore? store)
    {
        _h = PrincipalHarness.Create(store);
        _h.Sessions.Destroyed += (_, e) => _destroyed.Enqueue(e);
        _h.Sessions.OnDestroy(_onDestroy.Enqueue);
    }

    private SessionsHarness H => _h;

    private async Task<(string Id, string Cookie)> DeviceAsync(string user)
    {
        var id = await PrincipalHarness.LoginAsync(_h, user);
        return (id, _h.Cookie!);
    }

    private async Task<bool> IsLiveAsync(string cookie)
    {
        _h.Cookie = cookie;
        return !await _h.ReadAsync(s => s.IsNew);
    }

    private async Task<SessionDestroyReason?> EndedReasonAsync(string? cookie, Sessions? node = null)
    {
        _h.Cookie = cookie;
        SessionDestroyReason? reason = null;
        var jar = _h.Cookie;
        await _h.RequestAsync((ctx, sessions) => reason = sessions.EndedReason(ctx), node: node);
        _h.Cookie = jar;
        return reason;
    }

    [Fact]
    public async Task Sign_out_everywhere_destroys_every_session_of_the_principal_and_counts_them()
    {
        var laptop = await DeviceAsync("alice");
        var phone = await DeviceAsync("alice");
        var bob = await DeviceAsync("bob");

        Assert.Equal(2, await H.Sessions.DestroyByPrincipalAsync("alice", cancellationToken: Ct));

        Assert.False(await IsLiveAsync(laptop.Cookie));
        Assert.False(await IsLiveAsync(phone.Cookie));
        Assert.True(await IsLiveAsync(bob.Cookie));
        Assert.Empty(await H.Sessions.FindByPrincipalAsync("alice", Ct));
    }

    [Fact]
    public async Task Sign_out_everywhere_spares_the_session_named_as_the_exception()
    {
        var laptop = await DeviceAsync("alice");
        var phone = await DeviceAsync("alice");

        Assert.Equal(1, await H.Sessions.DestroyByPrincipalAsync("alice", exceptId: phone.Id, cancellationToken: Ct));

        Assert.Equal([phone.Id], await H.Sessions.FindByPrincipalAsync("alice", Ct));
        Assert.False(await IsLiveAsync(laptop.Cookie));
    }

    [Fact]
    public async Task Each_destroyed_session_raises_Destroyed_and_OnDestroy_once_with_the_reason_and_actor()
    {
        var laptop = await DeviceAsync("alice");
        var phone = await DeviceAsync("alice");

        await H.Sessions.DestroyByPrincipalAsync("alice", actor: "ops", cancellationToken: Ct);

        Assert.Equal(new[] { laptop.Id, phone.Id }.Order(), _destroyed.Select(e => e.ID).Order());
        Assert.All(_destroyed, e =>
        {
            Assert.Equal(SessionDestroyReason.SignedOutEverywhere, e.Reason);
            Assert.Equal("ops", e.Actor);
            Assert.Equal("alice", e.Principal);
        });
        Assert.Equal(new[] { laptop.Id, phone.Id }.Order(), _onDestroy.Order());
    }

    [Fact]
    public async Task Sign_out_everywhere_of_nobody_destroys_nothing()
    {
        await DeviceAsync("alice");

        Assert.Equal(0, await H.Sessions.DestroyByPrincipalAsync("carol", cancellationToken: Ct));
        Assert.Empty(_destroyed);
    }

    [Fact]
    public async Task EndedReason_tells_a_signed_out_device_why_without_adopting_its_ID()
    {
        var laptop = await DeviceAsync("alice");
        await H.Sessions.DestroyByPrincipalAsync("alice", cancellationToken: Ct);

        Assert.Equal(SessionDestroyReason.SignedOutEverywhere, await EndedReasonAsync(laptop.Cookie));
        Assert.False(await IsLiveAsync(laptop.Cookie));
    }

    [Fact]
    public async Task EndedReason_is_the_reason_of_a_logout()
    {
        var laptop = await DeviceAsync("alice");
        await _h.RequestAsync((ctx, sessions) => sessions.Destroy(ctx));

        Assert.Equal(SessionDestroyReason.Destroyed, await EndedReasonAsync(laptop.Cookie));
    }

    [Fact]
    public async Task EndedReason_is_the_reason_of_an_operators_destroy()
    {
        var laptop = await DeviceAsync("alice");
        H.Sessions.DestroyByID(laptop.Id);

        Assert.Equal(SessionDestroyReason.DestroyedByID, await EndedReasonAsync(laptop.Cookie));
    }

    [Fact]
    public async Task EndedReason_is_null_for_a_live_session_no_cookie_and_an_unknown_ID()
    {
        var laptop = await DeviceAsync("alice");

        Assert.Null(await EndedReasonAsync(laptop.Cookie));
        Assert.Null(await EndedReasonAsync(null));
        Assert.Null(await EndedReasonAsync("AAAAAAAAforgedforgedforgedforgedforged"));
    }

    [Fact]
    public async Task EndedReason_is_Expired_for_a_session_past_its_lifetime_even_before_the_sweep()
    {
        await using var h = PrincipalHarness.Create(Store, c => c.Expires = TimeSpan.FromMinutes(5));
        await PrincipalHarness.LoginAsync(h, "alice");
        h.Time.Advance(TimeSpan.FromMinutes(6));

        SessionDestroyReason? reason = null;
        await h.RequestAsync((ctx, sessions) => reason = sessions.EndedReason(ctx));

        Assert.Equal(SessionDestroyReason.Expired, reason);
    }

    [Fact]
    public async Task EndedReason_is_remembered_for_24_hours_and_then_forgotten()
    {
        var laptop = await DeviceAsync("alice");
        await H.Sessions.DestroyByPrincipalAsync("alice", cancellationToken: Ct);

        _h.Time.Advance(TimeSpan.FromHours(23));
        await H.Sessions.SweepExpiredAsync(Ct);
        Assert.Equal(SessionDestroyReason.SignedOutEverywhere, await EndedReasonAsync(laptop.Cookie));

        _h.Time.Advance(TimeSpan.FromHours(2));
        await H.Sessions.SweepExpiredAsync(Ct);
        Assert.Null(await EndedReasonAsync(laptop.Cookie));
    }

    protected abstract DurableStore? Store { get; }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;
    public ValueTask DisposeAsync() => _h.DisposeAsync();
}

public sealed class MemorySignOutEverywhereTests() : SignOutEverywhereTests(null)
{
    protected override DurableStore? Store => null;
}

public sealed class SqliteSignOutEverywhereTests() : SignOutEverywhereTests(DurableStore.Sqlite)
{
    protected override DurableStore? Store => DurableStore.Sqlite;

    [Fact]
    public async Task EndedReason_survives_a_restart()
    {
        await using var h = PrincipalHarness.Create(Store);
        await PrincipalHarness.LoginAsync(h, "alice");
        await h.Sessions.DestroyByPrincipalAsync("alice", cancellationToken: TestContext.Current.CancellationToken);
        await h.RestartAsync();

        SessionDestroyReason? reason = null;
        await h.RequestAsync((ctx, sessions) => reason = sessions.EndedReason(ctx));

        Assert.Equal(SessionDestroyReason.SignedOutEverywhere, reason);
    }
}

public sealed class PostgresSignOutEverywhereTests() : SignOutEverywhereTests(DurableStore.Postgres)
{
    protected override DurableStore? Store => DurableStore.Postgres;

    [Fact]
    public async Task EndedReason_answers_on_another_node_and_its_cached_copy_is_dead_there()
    {
        await using var h = PrincipalHarness.Create(Store);
        await using var other = h.OpenSecondManager();
        await PrincipalHarness.LoginAsync(h, "alice");
        await h.ReadOnAsync(other, s => s.ID);   // the other node caches it

        await h.Sessions.DestroyByPrincipalAsync("alice", cancellationToken: TestContext.Current.CancellationToken);

        var jar = h.Cookie;
        SessionDestroyReason? reason = null;
        await h.RequestAsync((ctx, sessions) => reason = sessions.EndedReason(ctx), node: other);
        Assert.Equal(SessionDestroyReason.SignedOutEverywhere, reason);
        h.Cookie = jar;
        Assert.True(await h.ReadOnAsync(other, s => s.IsNew));
    }
}
