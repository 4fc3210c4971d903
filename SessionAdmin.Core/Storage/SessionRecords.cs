namespace SessionAdmin.Core.Storage;

/// <summary>The session row: what an operator needs besides the values. Times are UTC.</summary>
public sealed record SessionRecord(
    string Id,
    DateTime CreatedUtc,
    DateTime LastAccessUtc,
    DateTime? ExpiresAtUtc,
    DateTime? IdleDeadlineUtc,
    string? RemoteIp,
    string? UserAgent,
    string? Principal = null);

/// <summary>Whether an entry is an ordinary value or a flash message.</summary>
public enum SessionEntryKind
{
    /// <summary>An ordinary value (<see cref="Session.Set"/>).</summary>
    Value = 0,
    /// <summary>A flash message (<see cref="Session.SetFlash"/>).</summary>
    Flash = 1,
}

/// <summary>
/// One stored value or flash, encoded as a type tag and text. With <see cref="Delta"/> it is the result of
/// Increment/Decrement: a store shared by several nodes adds the delta to the Int32 it holds (so no node's count is
/// lost) and writes <see cref="Payload"/> only where it holds no Int32 under the key.
/// </summary>
public sealed record StoredEntry(
    SessionEntryKind Kind,
    string Key,
    long Seq,
    string TypeTag,
    string? Payload,
    bool Immutable,
    bool FlashRead,
    long? Delta = null);

/// <summary>A session as the store holds it, with its row version (see <see cref="SessionWriteResult.RowVersion"/>).</summary>
public sealed record StoredSession(SessionRecord Record, IReadOnlyList<StoredEntry> Entries, long Version = 0);

/// <summary>A session the store removed (sweep, batch delete, session limit), why, and whose it was.</summary>
public readonly record struct ExpiredSession(string Id, SessionDestroyReason Reason, string? Principal = null);

/// <summary>
/// The session limit a write asks the store to enforce for its principal (<see cref="SessionsConfig.MaxSessionsPerPrincipal"/>):
/// after the write, the principal's live sessions beyond <see cref="Max"/> are removed in the same transaction, least
/// recently used first, never the written session itself.
/// </summary>
/// <param name="Max">How many live sessions a principal may hold.</param>
/// <param name="RecentUse">The last use this node knows of a session (exact for sessions it serves), or null: the store's
/// persisted last access is used.</param>
/// <param name="UtcNow">The manager's clock, for what counts as live.</param>
public sealed record PrincipalLimit(int Max, Func<string, DateTime?> RecentUse, Func<DateTime> UtcNow)
{
    /// <summary>
    /// The sessions to end so that <paramref name="live"/> (a principal's live sessions with their persisted last
    /// access) holds at most <see cref="Max"/>: least recently used first, never <paramref name="committedId"/>.
    /// </summary>
    public IEnumerable<string> Victims(IReadOnlyList<(string Id, DateTime LastAccessUtc)> live, string committedId) =>
        live.Count <= Max ? [] : live.Where(s => s.Id != committedId)
            .OrderBy(s => LastUse(s.LastAccessUtc, RecentUse(s.Id))).ThenBy(s => s.Id, StringComparer.Ordinal)
            .Take(live.Count - Max).Select(s => s.Id);

    /// <summary>A session's last use: the persisted time, or the later one a node knows from serving it.</summary>
    internal static DateTime LastUse(DateTime persistedUtc, DateTime? knownUtc) => knownUtc is { } known && known > persistedUtc ? known : persistedUtc;
}

/// <summary>What a write did.</summary>
public enum SessionWriteOutcome
{
    /// <summary>The changes were written.</summary>
    Applied,
    /// <summary>The session was not in the store; nothing was written.</summary>
    SessionMissing,
    /// <summary>The session existed and was deleted.</summary>
    Deleted,
}

/// <summary>What the store did with one <see cref="SessionWrite"/>.</summary>
/// <param name="Outcome">Written, missing, or deleted.</param>
/// <param name="RowVersion">
/// The session row's version after the write (1 for a new row), or 0 when the store keeps no versions. A version that
/// jumped by more than one was written by another node meanwhile.
/// </param>
/// <param name="DeletedPrincipal">For a deleted session: the principal it had.</param>
/// <param name="Evicted">The sessions the write's <see cref="SessionWrite.Limit"/> removed in its transaction, if any.</param>
public readonly record struct SessionWriteResult(SessionWriteOutcome Outcome, long RowVersion = 0, string? DeletedPrincipal = null,
    IReadOnlyList<ExpiredSession>? Evicted = null)
{
    /// <summary>The session was not in the store; nothing was written.</summary>
    public static SessionWriteResult Missing => new(SessionWriteOutcome.SessionMissing);
}

/// <summary>The changes to one session, written per key. The store reads it and answers with a <see cref="SessionWriteResult"/>.</summary>
public sealed class SessionWrite
{
    /// <summary>Creates a write for <paramref name="id"/>.</summary>
    public SessionWrite(string id) => Id = id;

    /// <summary>The session written.</summary>
    public string Id { get; }

    /// <summary>Set when the session row must be created first.</summary>
    public SessionRecord? Insert { get; init; }

    /// <summary>Delete the session and everything in it.</summary>
    public bool Delete { get; init; }

    /// <summary>Why it is deleted (with <see cref="Delete"/>), for the other nodes' consoles.</summary>
    public SessionDestroyReason DestroyReason { get; init; }

    /// <summary>The operator who deleted it, if any.</summary>
    public string? Actor { get; init; }

    /// <summary>When it is deleted (with <see cref="Delete"/>): the store remembers why for <see cref="Sessions.EndedReason"/>.</summary>
    public DateTime DeletedAtUtc { get; init; }

    /// <summary>Whether the row's principal is to be written (<see cref="Principal"/>; an insert writes it anyway).</summary>
    public bool PrincipalChanged { get; init; }

    /// <summary>The session's principal after this write (see <see cref="SessionsConfig.PrincipalKey"/>).</summary>
    public string? Principal { get; init; }

    /// <summary>The limit to enforce for <see cref="Principal"/> after this write, or null for none.</summary>
    public PrincipalLimit? Limit { get; init; }

    /// <summary>New last access and idle deadline, when <see cref="Touch"/> is set.</summary>
    public bool Touch { get; init; }

    /// <summary>The new last access time (with <see cref="Touch"/>).</summary>
    public DateTime LastAccessUtc { get; init; }

    /// <summary>The new idle deadline (with <see cref="Touch"/>).</summary>
    public DateTime? IdleDeadlineUtc { get; init; }

    /// <summary>Whether <see cref="ExpiresAtUtc"/> is to be written.</summary>
    public bool ExpiryChanged { get; init; }

    /// <summary>The new absolute expiry (with <see cref="ExpiryChanged"/>).</summary>
    public DateTime? ExpiresAtUtc { get; init; }

    /// <summary>Remove all values (not flashes) before the upserts.</summary>
    public bool ClearValues { get; init; }

    /// <summary>Remove all flashes before the upserts.</summary>
    public bool ClearFlashes { get; init; }

    /// <summary>How many values the session holds after this write (the row's value count).</summary>
    public int ValueCount { get; init; }

    /// <summary>The length of all its stored values and flashes after this write (the row's size).</summary>
    public long ValueBytes { get; internal set; }

    /// <summary>Entries to insert or replace.</summary>
    public List<StoredEntry> Upserts { get; } = [];

    /// <summary>Entries to remove.</summary>
    public List<(SessionEntryKind Kind, string Key)> Deletes { get; } = [];

    internal bool HasValueChanges => ClearValues || ClearFlashes || Upserts.Count > 0 || Deletes.Count > 0;
}
