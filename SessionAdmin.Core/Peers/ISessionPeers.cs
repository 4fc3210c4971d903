namespace SessionAdmin.Core.Peers;

/// <summary>
/// The other app nodes sharing a store (a server database behind a load balancer): how this node learns what they
/// committed, so its cached sessions never serve stale values.
/// </summary>
internal interface ISessionPeers
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

/// <summary>A store that other app nodes may share: the manager listens to them and checks its copies against it.</summary>
internal interface ISharedSessionStore
{
    /// <summary>The other nodes writing to the store, or null when this process is its only writer.</summary>
    ISessionPeers? Peers { get; }
}

internal static class SharedSessionStores
{
    /// <summary>The other nodes writing to <paramref name="store"/>, or null when it has none (SQLite, memory, a store of yours).</summary>
    public static ISessionPeers? Peers(this ISessionDatabase store) => (store as ISharedSessionStore)?.Peers;
}
