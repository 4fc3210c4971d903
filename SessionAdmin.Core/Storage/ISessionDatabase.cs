namespace SessionAdmin.Core;

/// <summary>
/// Durable home of sessions. The manager keeps loaded sessions in a bounded cache and writes changes per key,
/// so two requests on one session never overwrite each other's keys.
/// </summary>
public interface ISessionDatabase : IAsyncDisposable
{
    /// <summary>Loads one session with its values and flashes, or null when the store has no such session.</summary>
    Task<StoredSession?> LoadAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Applies every write in one transaction, in order. A write for a session that no longer exists changes
    /// nothing (so a destroyed session cannot be resurrected) and reports <see cref="SessionWriteOutcome.SessionMissing"/>.
    /// </summary>
    Task<IReadOnlyList<SessionWriteOutcome>> CommitAsync(IReadOnlyList<SessionWrite> writes, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="batchSize"/> sessions past their absolute or idle deadline and returns them.</summary>
    Task<IReadOnlyList<ExpiredSession>> SweepAsync(DateTime nowUtc, int batchSize, CancellationToken cancellationToken);

    /// <summary>How many sessions are live (neither expired nor idle) at <paramref name="nowUtc"/>.</summary>
    Task<long> CountAsync(DateTime nowUtc, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="batchSize"/> sessions, whatever their state, and returns their IDs.</summary>
    Task<IReadOnlyList<string>> DeleteAllAsync(int batchSize, CancellationToken cancellationToken);

    /// <summary>The other nodes writing to this store, or null when this process is its only writer (SQLite, memory).</summary>
    ISessionPeers? Peers => null;
}
