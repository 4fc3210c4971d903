using SessionAdmin.Core.Storage;

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
    /// Applies every write in one transaction, in order, and answers what it did with each. A write for a session that
    /// no longer exists changes nothing (so a destroyed session cannot be resurrected) and reports
    /// <see cref="SessionWriteOutcome.SessionMissing"/>.
    /// </summary>
    Task<IReadOnlyList<SessionWriteResult>> CommitAsync(IReadOnlyList<SessionWrite> writes, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="batchSize"/> sessions past their absolute or idle deadline and returns them.</summary>
    Task<IReadOnlyList<ExpiredSession>> SweepAsync(DateTime nowUtc, int batchSize, CancellationToken cancellationToken);

    /// <summary>How many sessions are live (neither expired nor idle) at <paramref name="nowUtc"/>.</summary>
    Task<long> CountAsync(DateTime nowUtc, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="batchSize"/> sessions, whatever their state, and returns them; <paramref name="actor"/>
    /// (the operator, if any) is recorded with each.
    /// </summary>
    Task<IReadOnlyList<ExpiredSession>> DeleteAllAsync(DateTime nowUtc, string? actor, int batchSize, CancellationToken cancellationToken);

    /// <summary>
    /// Live sessions (neither expired nor idle at <paramref name="nowUtc"/>) whose principal is <paramref name="principal"/>
    /// (ordinal match), with their persisted last access: an index lookup.
    /// </summary>
    Task<IReadOnlyList<(string Id, DateTime LastAccessUtc)>> FindByPrincipalAsync(string principal, DateTime nowUtc, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} keeps no principal index.");

    /// <summary>
    /// Deletes up to <paramref name="batchSize"/> live sessions of <paramref name="principal"/> other than
    /// <paramref name="exceptId"/>, remembering <paramref name="reason"/> and <paramref name="actor"/> for each, and returns them.
    /// </summary>
    Task<IReadOnlyList<ExpiredSession>> DeleteByPrincipalAsync(string principal, string? exceptId, SessionDestroyReason reason, string? actor,
        DateTime nowUtc, int batchSize, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} keeps no principal index.");

    /// <summary>Why the session <paramref name="id"/> ended, while the store remembers it (see <see cref="PruneEndedAsync"/>); null otherwise.</summary>
    Task<SessionDestroyReason?> EndedReasonAsync(string id, CancellationToken cancellationToken) => Task.FromResult<SessionDestroyReason?>(null);

    /// <summary>Forgets up to <paramref name="batchSize"/> ended sessions recorded before <paramref name="beforeUtc"/>; returns how many.</summary>
    Task<int> PruneEndedAsync(DateTime beforeUtc, int batchSize, CancellationToken cancellationToken) => Task.FromResult(0);

    /// <summary>
    /// Makes the principal index follow <paramref name="principalKey"/>: when the store was indexed under another key (or
    /// none), every stored session is re-indexed now. Called once when the manager starts using the store.
    /// </summary>
    Task IndexPrincipalsAsync(string? principalKey, CancellationToken cancellationToken) => Task.CompletedTask;
}
