using System.Collections.Concurrent;
using SessionAdmin.Core.Admin;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core.Admin;

/// <summary>The console's live feed and its persisted destroy history.</summary>
public abstract class SessionFeedTests : IAsyncLifetime
{
    private readonly SessionsHarness _h;
    private readonly SessionFeed _feed;

    protected SessionFeedTests(DurableStore store)
    {
        _h = SessionsHarness.Durable(store);
        _feed = new SessionFeed(_h.Sessions, _h.Time);
    }

    [Fact]
    public async Task Subscribers_hear_creations_changes_and_destroys()
    {
        var heard = new ConcurrentQueue<SessionFeedEvent>();
        using var _ = _feed.Subscribe(heard.Enqueue);

        await _h.RequestAsync(s => s.Set("k", 1));
        await _h.RequestAsync(s => s.Set("k", 2));
        _h.Sessions.DestroyByID(_h.Cookie!);

        await Poll.UntilAsync(() => heard.Count >= 3);
        Assert.Equal([SessionFeedKind.Created, SessionFeedKind.Changed, SessionFeedKind.Destroyed], heard.Select(e => e.Kind));
        Assert.Equal(SessionDestroyReason.DestroyedByID, heard.Last().Reason);
    }

    [Fact]
    public async Task A_disposed_subscription_hears_nothing_more()
    {
        var heard = 0;
        var subscription = _feed.Subscribe(_ => Interlocked.Increment(ref heard));
        subscription.Dispose();

        await _h.RequestAsync(s => s.Set("k", 1));
        _h.Sessions.DestroyByID(_h.Cookie!);

        Assert.Equal(0, _feed.SubscriberCount);
        Assert.Equal(0, heard);
    }

    [Fact]
    public async Task A_destroy_is_in_the_history_even_when_no_feed_listened()
    {
        await using var other = _h.OpenSecondManager();
        var id = await _h.ReadOnAsync(other, s => { s.Set("k", 1); return s.ID; });

        Assert.True(await other.DestroyByIDAsync(id, actor: "olga"));

        var e = Assert.Single(await _feed.RecentDestroysAsync(10, TestContext.Current.CancellationToken));
        Assert.Equal((id, SessionDestroyReason.DestroyedByID, "olga"), (e.SessionId, e.Reason, e.Actor));
    }

    [Fact]
    public async Task Destroy_all_records_its_operator_with_each_session()
    {
        await _h.RequestAsync(s => s.Set("k", 1));

        await _h.Sessions.DestroyAllAsync("olga", null, TestContext.Current.CancellationToken);

        var e = Assert.Single(await _feed.RecentDestroysAsync(10, TestContext.Current.CancellationToken));
        Assert.Equal((SessionDestroyReason.DestroyedAll, "olga"), (e.Reason, e.Actor));
    }

    [Fact]
    public async Task Destroys_are_kept_in_a_history_that_survives_a_restart()
    {
        await _h.RequestAsync(s => s.Set("k", 1));
        var id = _h.Cookie!;
        _h.Sessions.DestroyByID(id);

        await using var other = _h.OpenSecondManager();
        await using var reloaded = new SessionFeed(other, _h.Time);
        var history = await reloaded.RecentDestroysAsync(10, TestContext.Current.CancellationToken);

        var e = Assert.Single(history);
        Assert.Equal((id, SessionDestroyReason.DestroyedByID), (e.SessionId, e.Reason));
    }

    [Fact]
    public async Task Activity_counts_creations_and_destroys_per_minute()
    {
        await _h.RequestAsync(s => s.Set("k", 1));
        _h.Sessions.DestroyByID(_h.Cookie!);
        await Poll.UntilAsync(() => _feed.Activity.LastHour().Sum(m => m.Created) == 1);

        var lastHour = _feed.Activity.LastHour();

        Assert.Equal(60, lastHour.Count);
        Assert.Equal(1, lastHour.Sum(m => m.Destroyed));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _feed.DisposeAsync();
        await _h.DisposeAsync();
    }
}

public sealed class SqliteSessionFeedTests() : SessionFeedTests(DurableStore.Sqlite);

public sealed class PostgresSessionFeedTests() : SessionFeedTests(DurableStore.Postgres);
