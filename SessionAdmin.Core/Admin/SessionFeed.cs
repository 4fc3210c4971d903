using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SessionAdmin.Core.Requests;
using SessionAdmin.Core.Storage;
using SessionAdmin.Core.Storage.Sql;

namespace SessionAdmin.Core.Admin;

/// <summary>What happened to a session, as the console's live views hear it.</summary>
public enum SessionFeedKind
{
    /// <summary>A new session is durable.</summary>
    Created,
    /// <summary>A session's values changed.</summary>
    Changed,
    /// <summary>A session was destroyed.</summary>
    Destroyed,
}

/// <summary>One live event.</summary>
public sealed record SessionFeedEvent(SessionFeedKind Kind, string SessionId, DateTime AtUtc, SessionDestroyReason? Reason = null, string? Actor = null,
    string? Principal = null)
{
    /// <summary>The ID as the console shows it ("…" and its random tail).</summary>
    public string ShortId => SessionIds.Short(SessionId);
}

/// <summary>
/// The console's live feed: hands out subscriptions to session events, reads the bounded history of destroys (the
/// store writes it in each destroying transaction, so a reload, a restart or another node still shows them), and
/// counts activity per minute for the overview.
/// </summary>
public sealed class SessionFeed : IAsyncDisposable
{
    /// <summary>How many destroy events the history keeps.</summary>
    public const int HistoryCapacity = StoreRemovals.DestroyHistoryCapacity;

    private readonly Sessions _sessions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<Action<SessionFeedEvent>> _subscribers = [];
    private readonly SessionActivity _activity;

    /// <summary>Starts listening to <paramref name="sessions"/>.</summary>
    public SessionFeed(Sessions sessions, TimeProvider time, ILogger<SessionFeed>? logger = null)
    {
        _sessions = sessions;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _activity = new SessionActivity(time);
        sessions.Destroyed += OnDestroyed;
        sessions.Changed += OnChanged;
        sessions.PeerDestroyed += OnDestroyed;
        sessions.PeerChanged += OnChanged;
    }

    /// <summary>Per-minute activity of the last hour.</summary>
    public SessionActivity Activity => _activity;

    /// <summary>Calls <paramref name="handler"/> for every event until the subscription is disposed.</summary>
    public IDisposable Subscribe(Action<SessionFeedEvent> handler)
    {
        lock (_gate) _subscribers.Add(handler);
        return new Subscription(this, handler);
    }

    /// <summary>How many subscriptions are open (a disposed component leaves none behind).</summary>
    public int SubscriberCount { get { lock (_gate) return _subscribers.Count; } }

    /// <summary>The newest destroy events first, from the persisted history.</summary>
    public async Task<IReadOnlyList<DestroyEvent>> RecentDestroysAsync(int take, CancellationToken cancellationToken = default)
    {
        if (_sessions.QueryableStore is not { } store) return [];
        await using var db = store.CreateContext();
        var rows = await db.DestroyEvents.AsNoTracking().OrderByDescending(e => e.Id).Take(take)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(ToEvent).ToList();
    }

    /// <summary>The newest destroys of <paramref name="principal"/>'s sessions first, from the persisted history.</summary>
    public async Task<IReadOnlyList<DestroyEvent>> RecentDestroysOfAsync(string principal, int take, CancellationToken cancellationToken = default)
    {
        if (_sessions.QueryableStore is not { } store) return [];
        await using var db = store.CreateContext();
        var rows = await db.DestroyEvents.AsNoTracking().Where(e => e.Principal == principal).OrderByDescending(e => e.Id).Take(take)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.Select(ToEvent).ToList();
    }

    private static DestroyEvent ToEvent(DestroyEventRow e) =>
        new(e.SessionId, e.Reason, new DateTime(e.AtTicks, DateTimeKind.Utc), e.Actor) { Principal = e.Principal };

    /// <summary>Seeds the activity counters from the store (live sessions' creation, persisted destroys).</summary>
    public async Task LoadActivityAsync(CancellationToken cancellationToken = default)
    {
        if (_sessions.QueryableStore is not { } store) return;
        var since = _time.GetUtcNow().UtcDateTime.AddHours(-1).Ticks;
        await using var db = store.CreateContext();
        var created = await db.Sessions.AsNoTracking().Where(s => s.CreatedTicks >= since).Select(s => s.CreatedTicks)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var destroyed = await db.DestroyEvents.AsNoTracking().Where(e => e.AtTicks >= since).Select(e => e.AtTicks)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        _activity.Seed(created, destroyed);
    }

    private void OnChanged(object? sender, SessionChangedEventArgs e)
    {
        if (e.Created) _activity.CountCreated(e.At.UtcDateTime);
        Publish(new SessionFeedEvent(e.Created ? SessionFeedKind.Created : SessionFeedKind.Changed, e.ID, e.At.UtcDateTime));
    }

    // Any destroy, this node's or another's: counted and shown live.
    private void OnDestroyed(object? sender, SessionDestroyedEventArgs e)
    {
        _activity.CountDestroyed(e.At.UtcDateTime);
        Publish(new SessionFeedEvent(SessionFeedKind.Destroyed, e.ID, e.At.UtcDateTime, e.Reason, e.Actor, e.Principal));
    }

    private void Publish(SessionFeedEvent e)
    {
        Action<SessionFeedEvent>[] subscribers;
        lock (_gate) subscribers = [.. _subscribers];
        foreach (var s in subscribers)
        {
            try { s(e); }
            catch (Exception ex) { _logger.LogError(ex, "A session feed subscriber failed"); }
        }
    }

    private void Unsubscribe(Action<SessionFeedEvent> handler)
    {
        lock (_gate) _subscribers.Remove(handler);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _sessions.Destroyed -= OnDestroyed;
        _sessions.Changed -= OnChanged;
        _sessions.PeerDestroyed -= OnDestroyed;
        _sessions.PeerChanged -= OnChanged;
        return ValueTask.CompletedTask;
    }

    private sealed class Subscription(SessionFeed feed, Action<SessionFeedEvent> handler) : IDisposable
    {
        private int _disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) feed.Unsubscribe(handler);
        }
    }
}
