using SessionAdmin.Core.Peers;
using SessionAdmin.Core.State;
using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core;

// Several nodes on one store: what the others commit reaches this node's cache, live count and console views.
public sealed partial class Sessions
{
    private PeerListener? _peerListener;

    /// <summary>
    /// Raised when another node sharing the store created or changed a session. <see cref="Changed"/> stays for this
    /// node's own commits.
    /// </summary>
    public event EventHandler<SessionChangedEventArgs>? PeerChanged;

    /// <summary>
    /// Raised when another node sharing the store destroyed a session. <see cref="Destroyed"/> and the
    /// <see cref="OnDestroy"/> listeners fire once in the cluster: on the node that removed the session.
    /// </summary>
    public event EventHandler<SessionDestroyedEventArgs>? PeerDestroyed;

    private void StartListeningToPeers(ISessionPeers peers) => _peerListener = new PeerListener(peers, OnPeerChanges, Logger);

    private void OnPeerChanges(PeerChangeBatch batch)
    {
        var now = _time.GetUtcNow();
        // Both ends stamp with the wall clock: this measures the channel, whatever clock the manager runs on.
        var delay = DateTime.UtcNow - batch.CommittedUtc;
        Metrics.PeerChangeHeard(delay);
        Log.PeerChanges(Logger, batch.Changes.Count, delay.TotalMilliseconds);
        foreach (var change in batch.Changes)
        {
            switch (change.Kind)
            {
                case PeerChangeKind.Created:
                    Interlocked.Increment(ref _activeSessions);
                    break;
                case PeerChangeKind.Changed:
                    // The next request loads the session afresh; a request holding this copy keeps it to its end.
                    _cache.Remove(change.SessionId, tombstone: false);
                    break;
                case PeerChangeKind.Destroyed:
                    Forget(change.SessionId);
                    CountOneFewer();
                    break;
            }
        }
        if (PeerChanged is null && PeerDestroyed is null) return;
        _dispatcher.Post(() =>
        {
            foreach (var change in batch.Changes)
            {
                if (change.Kind == PeerChangeKind.Destroyed)
                    PeerDestroyed?.Invoke(this, new SessionDestroyedEventArgs(change.SessionId, change.Reason, now, change.Actor, change.Principal));
                else
                    PeerChanged?.Invoke(this, new SessionChangedEventArgs(change.SessionId, change.Kind == PeerChangeKind.Created, now));
            }
        });
    }

    // With peers, a cached copy is used only while the store's row version matches it: the notification that
    // another node wrote may still be on its way, and a request must never see values older than its last response.
    private async Task<SessionState?> CurrentCopyAsync(SessionState state, ISessionPeers peers)
    {
        if (!state.Persisted) return state;
        long? version;
        try
        {
            version = await peers.VersionAsync(state.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw ReadFailed(ex);
        }
        _outage.Succeeded();
        if (version == state.RowVersion) return state;
        if (version is null) Forget(state.Id);
        else _cache.RemoveExact(state);
        return null;
    }

    // A flushed copy that another node wrote to meanwhile: drop it, the next request loads the store's.
    private void OnStale(SessionState state) => _cache.RemoveExact(state);
}
