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
    public Task<IReadOnlyList<SessionWriteOutcome>> CommitAsync(IReadOnlyList<SessionWrite> writes, CancellationToken cancellationToken)
    {
        var outcomes = new SessionWriteOutcome[writes.Count];
        lock (_gate)
        {
            for (var i = 0; i < writes.Count; i++) outcomes[i] = Apply(writes[i]);
        }
        return Task.FromResult<IReadOnlyList<SessionWriteOutcome>>(outcomes);
    }

    private SessionWriteOutcome Apply(SessionWrite write)
    {
        if (write.Delete) return _rows.Remove(write.Id) ? SessionWriteOutcome.Deleted : SessionWriteOutcome.SessionMissing;
        if (write.Insert is { } insert) _rows[write.Id] = new Row(insert);
        if (!_rows.TryGetValue(write.Id, out var row)) return SessionWriteOutcome.SessionMissing;
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
                if (r.ExpiresAtUtc <= nowUtc) expired.Add(new(r.Id, SessionDestroyReason.Expired));
                else if (r.IdleDeadlineUtc <= nowUtc) expired.Add(new(r.Id, SessionDestroyReason.IdleTimeout));
            }
            foreach (var e in expired) _rows.Remove(e.Id);
            return Task.FromResult<IReadOnlyList<ExpiredSession>>(expired);
        }
    }

    /// <inheritdoc />
    public Task<long> CountAsync(DateTime nowUtc, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult((long)_rows.Values.Count(r => !(r.Record.ExpiresAtUtc <= nowUtc) && !(r.Record.IdleDeadlineUtc <= nowUtc)));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> DeleteAllAsync(int batchSize, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var ids = _rows.Keys.Take(batchSize).ToList();
            foreach (var id in ids) _rows.Remove(id);
            return Task.FromResult<IReadOnlyList<string>>(ids);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        lock (_gate) _rows.Clear();
        return ValueTask.CompletedTask;
    }
}
