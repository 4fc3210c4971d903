using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core;

/// <summary>
/// The in-process store (Iris's memory database): nothing survives the process, but values are held encoded,
/// exactly as the durable stores hold them, so behaviour is the same on every store.
/// </summary>
public sealed class MemorySessionDatabase : ISessionDatabase
{
    private sealed class Row(SessionRecord record)
    {
        public SessionRecord Record = record;
        public readonly Dictionary<(SessionEntryKind, string), StoredEntry> Entries = [];
    }

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Row> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (SessionDestroyReason Reason, DateTime AtUtc)> _ended = new(StringComparer.Ordinal);
    // The principal index: a person's sessions without a scan of every row.
    private readonly Dictionary<string, HashSet<string>> _byPrincipal = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<StoredSession?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.TryGetValue(id, out var row)
                ? new StoredSession(row.Record, row.Entries.Values.OrderBy(e => e.Seq).ToList())
                : null);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SessionWriteResult>> CommitAsync(IReadOnlyList<SessionWrite> writes, CancellationToken cancellationToken)
    {
        var results = new SessionWriteResult[writes.Count];
        lock (_gate)
        {
            for (var i = 0; i < writes.Count; i++) results[i] = new(Apply(writes[i], out var deletedPrincipal), DeletedPrincipal: deletedPrincipal);
            for (var i = 0; i < writes.Count; i++)
            {
                if (results[i].Outcome == SessionWriteOutcome.Applied && writes[i] is { Limit: { } limit, Principal: { } principal } w)
                    results[i] = results[i] with { Evicted = EnforceLimit(w, principal, limit) };
            }
        }
        return Task.FromResult<IReadOnlyList<SessionWriteResult>>(results);
    }

    private SessionWriteOutcome Apply(SessionWrite write, out string? deletedPrincipal)
    {
        deletedPrincipal = null;
        if (write.Delete)
        {
            if (!_rows.TryGetValue(write.Id, out var gone)) return SessionWriteOutcome.SessionMissing;
            Remove(write.Id);
            deletedPrincipal = gone.Record.Principal;
            _ended[write.Id] = (write.DestroyReason, write.DeletedAtUtc);
            return SessionWriteOutcome.Deleted;
        }
        if (write.Insert is { } insert) _rows[write.Id] = new Row(insert with { Principal = null });
        if (!_rows.TryGetValue(write.Id, out var row)) return SessionWriteOutcome.SessionMissing;
        if (write.PrincipalChanged) Index(row, write.Principal);
        if (write.Touch) row.Record = row.Record with { LastAccessUtc = write.LastAccessUtc, IdleDeadlineUtc = write.IdleDeadlineUtc };
        if (write.ExpiryChanged) row.Record = row.Record with { ExpiresAtUtc = write.ExpiresAtUtc };
        if (write.ClearValues) RemoveAll(row, SessionEntryKind.Value);
        if (write.ClearFlashes) RemoveAll(row, SessionEntryKind.Flash);
        foreach (var key in write.Deletes) row.Entries.Remove(key);
        foreach (var entry in write.Upserts) row.Entries[(entry.Kind, entry.Key)] = entry;
        return SessionWriteOutcome.Applied;
    }

    private static void RemoveAll(Row row, SessionEntryKind kind)
    {
        foreach (var key in row.Entries.Keys.Where(k => k.Item1 == kind).ToList()) row.Entries.Remove(key);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ExpiredSession>> SweepAsync(DateTime nowUtc, int batchSize, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var expired = new List<ExpiredSession>();
            foreach (var row in _rows.Values)
            {
                if (expired.Count >= batchSize) break;
                var r = row.Record;
                if (r.ExpiresAtUtc <= nowUtc) expired.Add(new(r.Id, SessionDestroyReason.Expired, r.Principal));
                else if (r.IdleDeadlineUtc <= nowUtc) expired.Add(new(r.Id, SessionDestroyReason.IdleTimeout, r.Principal));
            }
            return Task.FromResult<IReadOnlyList<ExpiredSession>>(RemoveAll(expired, nowUtc));
        }
    }

    /// <inheritdoc />
    public Task<long> CountAsync(DateTime nowUtc, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult((long)_rows.Values.Count(r => IsLive(r.Record, nowUtc)));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ExpiredSession>> DeleteAllAsync(DateTime nowUtc, string? actor, int batchSize, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var all = _rows.Values.Take(batchSize).Select(r => new ExpiredSession(r.Record.Id, SessionDestroyReason.DestroyedAll, r.Record.Principal));
            return Task.FromResult<IReadOnlyList<ExpiredSession>>(RemoveAll(all.ToList(), nowUtc));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<(string Id, DateTime LastAccessUtc)>> FindByPrincipalAsync(string principal, DateTime nowUtc, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<(string, DateTime)>>(LiveOf(principal, nowUtc));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ExpiredSession>> DeleteByPrincipalAsync(string principal, string? exceptId, SessionDestroyReason reason, string? actor,
        DateTime nowUtc, int batchSize, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var doomed = LiveOf(principal, nowUtc).Where(s => s.Id != exceptId).Take(batchSize)
                .Select(s => new ExpiredSession(s.Id, reason, principal)).ToList();
            return Task.FromResult<IReadOnlyList<ExpiredSession>>(RemoveAll(doomed, nowUtc));
        }
    }

    /// <inheritdoc />
    public Task<SessionDestroyReason?> EndedReasonAsync(string id, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult<SessionDestroyReason?>(_ended.TryGetValue(id, out var e) ? e.Reason : null);
    }

    /// <inheritdoc />
    public Task<int> PruneEndedAsync(DateTime beforeUtc, int batchSize, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var old = _ended.Where(e => e.Value.AtUtc < beforeUtc).Take(batchSize).Select(e => e.Key).ToList();
            foreach (var id in old) _ended.Remove(id);
            return Task.FromResult(old.Count);
        }
    }

    // Under the lock, as in the durable stores' transaction: the least recently used beyond the limit go.
    private List<ExpiredSession>? EnforceLimit(SessionWrite write, string principal, PrincipalLimit limit)
    {
        var now = limit.UtcNow();
        var victims = limit.Victims(LiveOf(principal, now), write.Id)
            .Select(id => new ExpiredSession(id, SessionDestroyReason.SessionLimit, principal)).ToList();
        return victims.Count == 0 ? null : [.. RemoveAll(victims, now)];
    }

    private List<(string Id, DateTime LastAccessUtc)> LiveOf(string principal, DateTime nowUtc) =>
        _byPrincipal.TryGetValue(principal, out var ids)
            ? ids.Select(id => _rows[id].Record).Where(r => IsLive(r, nowUtc)).Select(r => (r.Id, r.LastAccessUtc)).ToList()
            : [];

    private void Index(Row row, string? principal)
    {
        if (row.Record.Principal is { } old && _byPrincipal.TryGetValue(old, out var was))
        {
            was.Remove(row.Record.Id);
            if (was.Count == 0) _byPrincipal.Remove(old);
        }
        row.Record = row.Record with { Principal = principal };
        if (principal is not null) (_byPrincipal.TryGetValue(principal, out var ids) ? ids : _byPrincipal[principal] = new(StringComparer.Ordinal)).Add(row.Record.Id);
    }

    private void Remove(string id)
    {
        if (_rows.Remove(id, out var row)) Index(row, null);
    }

    private static bool IsLive(SessionRecord r, DateTime nowUtc) => !(r.ExpiresAtUtc <= nowUtc) && !(r.IdleDeadlineUtc <= nowUtc);

    private List<ExpiredSession> RemoveAll(List<ExpiredSession> sessions, DateTime nowUtc)
    {
        foreach (var s in sessions)
        {
            Remove(s.Id);
            _ended[s.Id] = (s.Reason, nowUtc);
        }
        return sessions;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _rows.Clear();
            _ended.Clear();
            _byPrincipal.Clear();
        }
        return ValueTask.CompletedTask;
    }
}
