using Microsoft.Extensions.Logging;
using SessionAdmin.Core.Events;
using SessionAdmin.Core.Removal;
using SessionAdmin.Core.State;
using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core.Peers;

/// <summary>
/// What another node sharing the store committed, applied here: a changed session leaves this node's cache (the next
/// request loads the store's), a destroyed one is forgotten for good, and the events hub counts and announces both.
/// </summary>
internal sealed class PeerChangeHandler(SessionCache cache, SessionRemover remover, SessionEvents events, SessionMetrics metrics, ILogger logger)
{
    public void Apply(PeerChangeBatch batch)
    {
        // Both ends stamp with the wall clock: this measures the channel, whatever clock the manager runs on.
        var delay = DateTime.UtcNow - batch.CommittedUtc;
        metrics.PeerChangeHeard(delay);
        Log.PeerChanges(logger, batch.Changes.Count, delay.TotalMilliseconds);
        foreach (var change in batch.Changes)
        {
            // A request holding a changed copy keeps it to its end.
            if (change.Kind == PeerChangeKind.Changed) cache.Remove(change.SessionId, tombstone: false);
            else if (change.Kind == PeerChangeKind.Destroyed) remover.Forget(change.SessionId);
        }
        events.PeerCommitted(batch);
    }
}
