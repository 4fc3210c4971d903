using Microsoft.Extensions.Logging;
using SessionAdmin.Core.Peers;
using SessionAdmin.Core.Requests;
using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core.Events;

/// <summary>
/// The session-events hub: the Iris <c>OnDestroy</c> listeners and the manager's .NET events, the live-session count
/// those events imply, and the background reader that runs the handlers of commit-side and peer events (a slow
/// listener never holds up the writer).
/// </summary>
internal sealed class SessionEvents : IAsyncDisposable
{
    private readonly object _sender;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SessionMetrics _metrics;
    private readonly EventDispatcher _dispatcher;
    private readonly Lock _listenersGate = new();
    private readonly List<Action<string>> _listeners = [];
    private long _active;

    /// <param name="sender">The manager, named as the sender of every event.</param>
    /// <param name="time">The clock events are stamped with.</param>
    /// <param name="logger">Where destroys and failing listeners are logged.</param>
    /// <param name="metrics">The instruments counting creations and destroys.</param>
    public SessionEvents(object sender, TimeProvider time, ILogger logger, SessionMetrics metrics)
    {
        _sender = sender;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _dispatcher = new EventDispatcher(logger);
    }

    public event EventHandler<SessionDestroyedEventArgs>? Destroyed;
    public event EventHandler<SessionChangedEventArgs>? Changed;
    public event EventHandler<SessionChangedEventArgs>? PeerChanged;
    public event EventHandler<SessionDestroyedEventArgs>? PeerDestroyed;

    /// <summary>Live sessions in the store: recounted now and then, kept up to date by the events in between.</summary>
    public long ActiveSessions => Interlocked.Read(ref _active);

    /// <summary>Replaces the running count with one the store just counted.</summary>
    public void Recounted(long count) => Interlocked.Exchange(ref _active, count);

    /// <summary>Adds an Iris listener, called with the ID of every destroyed session.</summary>
    public void OnDestroy(Action<string> listener)
    {
        lock (_listenersGate) _listeners.Add(listener);
    }

    /// <summary>
    /// Announces a durable removal: the listeners and <see cref="Destroyed"/> run now, on the caller's thread.
    /// <paramref name="counted"/> is false for a session the store never held (the count never included it).
    /// </summary>
    public void RaiseDestroyed(string id, SessionDestroyReason reason, string? actor = null, string? principal = null, bool counted = true)
    {
        if (counted) CountOneFewer();
        Log.SessionDestroyed(_logger, id, reason);
        _metrics.Destroyed(reason);
        Action<string>[] listeners;
        lock (_listenersGate) listeners = [.. _listeners];
        foreach (var listener in listeners)
        {
            try { listener(id); }
            catch (Exception ex) { Log.ListenerFailed(_logger, SessionIds.Hash(id), ex); }
        }
        if (Destroyed is not { } handlers) return;
        var args = new SessionDestroyedEventArgs(id, reason, _time.GetUtcNow(), actor, principal);
        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<SessionDestroyedEventArgs>>())
        {
            try { handler(_sender, args); }
            catch (Exception ex) { Log.ListenerFailed(_logger, SessionIds.Hash(id), ex); }
        }
    }

    /// <summary>Announces removals the writer made (a principal's limit), off the writer's thread.</summary>
    public void PostDestroyed(List<ExpiredSession> removed) =>
        _dispatcher.Post(() =>
        {
            foreach (var s in removed) RaiseDestroyed(s.Id, s.Reason, null, s.Principal);
        });

    /// <summary>Counts and announces a durable batch of this node's creations and changes.</summary>
    public void Committed(List<(string Id, bool Created)> committed, TimeSpan duration)
    {
        _metrics.Committed(duration);
        foreach (var (_, created) in committed)
        {
            if (created) { _metrics.Created(); Interlocked.Increment(ref _active); }
        }
        if (Changed is null || committed.Count == 0) return;
        var at = _time.GetUtcNow();
        _dispatcher.Post(() =>
        {
            foreach (var (id, created) in committed) Changed?.Invoke(_sender, new SessionChangedEventArgs(id, created, at));
        });
    }

    /// <summary>Counts and announces what another node committed.</summary>
    public void PeerCommitted(PeerChangeBatch batch)
    {
        foreach (var change in batch.Changes)
        {
            if (change.Kind == PeerChangeKind.Created) Interlocked.Increment(ref _active);
            else if (change.Kind == PeerChangeKind.Destroyed) CountOneFewer();
        }
        if (PeerChanged is null && PeerDestroyed is null) return;
        var now = _time.GetUtcNow();
        _dispatcher.Post(() =>
        {
            foreach (var change in batch.Changes)
            {
                if (change.Kind == PeerChangeKind.Destroyed)
                    PeerDestroyed?.Invoke(_sender, new SessionDestroyedEventArgs(change.SessionId, change.Reason, now, change.Actor, change.Principal));
                else
                    PeerChanged?.Invoke(_sender, new SessionChangedEventArgs(change.SessionId, change.Kind == PeerChangeKind.Created, now));
            }
        });
    }

    // The running count can miss a start-up count's sessions: it never goes below zero.
    private void CountOneFewer()
    {
        if (Interlocked.Decrement(ref _active) < 0) Interlocked.Exchange(ref _active, 0);
    }

    public ValueTask DisposeAsync() => _dispatcher.DisposeAsync();
}
