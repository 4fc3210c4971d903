namespace SessionAdmin.Core.Storage;

/// <summary>
/// The other app nodes sharing a store (a server database behind a load balancer): how this node learns what they
/// committed, so its cached sessions never serve stale values.
/// </summary>
public interface ISessionPeers
{
    /// <summary>The row version the store holds for a session, or null when it holds no such session.</summary>
    Task<long?> VersionAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Calls <paramref name="onListening"/> once the channel is open, then <paramref name="onChanges"/> with each batch
    /// of changes another node commits, until cancelled. Returns (or throws) when the channel breaks; changes in between
    /// are not reported, so the caller re-checks its copies.
    /// </summary>
    Task ListenAsync(Action<PeerChangeBatch> onChanges, Action onListening, CancellationToken cancellationToken);
}
