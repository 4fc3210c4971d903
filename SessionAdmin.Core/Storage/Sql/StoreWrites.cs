using E = SessionAdmin.Core.Storage.Schema.Entries;
using S = SessionAdmin.Core.Storage.Schema.Sessions;
using SessionAdmin.Core.Peers;

namespace SessionAdmin.Core.Storage.Sql;

/// <summary>
/// A batch of <see cref="SessionWrite"/>s as one writer transaction: inserts, per-key entry changes, the row's new
/// version, deletes with their reasons, principals' limits after every write, and one notice to the other nodes.
/// </summary>
internal sealed class StoreWrites(StoreDialect dialect, StoreWriter writer)
{
    private const string InsertSessionSql =
        $"INSERT INTO {S.Table} ({S.Id}, {S.CreatedTicks}, {S.LastAccessTicks}, {S.ExpiresTicks}, {S.IdleDeadlineTicks}, {S.RemoteIp}, {S.UserAgent}, " +
        $"{S.ValueCount}, {S.ValueBytes}, {S.Version}, {S.Principal}) VALUES (@id, @created, @access, @expires, @idle, @ip, @ua, @count, @bytes, 1, @principal)";

    private const string DeleteEntrySql = $"DELETE FROM {E.Table} WHERE {E.SessionId} = @id AND {E.Kind} = @kind AND {E.Key} = @key";

    private const string ClearEntriesSql = $"DELETE FROM {E.Table} WHERE {E.SessionId} = @id AND {E.Kind} = @kind";

    // Only where the session row still exists: a destroyed session is never brought back by a late write.
    private const string EntryInsert =
        $"INSERT INTO {E.Table} ({E.SessionId}, {E.Kind}, {E.Key}, {E.Seq}, {E.TypeTag}, {E.Payload}, {E.Immutable}, {E.FlashRead}) " +
        $"SELECT @id, @kind, @key, @seq, @tag, @payload, @immutable, @read WHERE EXISTS (SELECT 1 FROM {S.Table} WHERE {S.Id} = @id) " +
        $"ON CONFLICT ({E.SessionId}, {E.Kind}, {E.Key}) DO UPDATE SET ";

    private const string UpsertEntrySql = EntryInsert +
        $"{E.Seq} = excluded.{E.Seq}, {E.TypeTag} = excluded.{E.TypeTag}, {E.Payload} = excluded.{E.Payload}, " +
        $"{E.Immutable} = excluded.{E.Immutable}, {E.FlashRead} = excluded.{E.FlashRead}";

    // Increment/Decrement: add to the Int32 the store holds, so concurrent nodes never lose a count (CASE fixes the
    // evaluation order: the cast only runs on an Int32). An immutable stays; anything else takes this node's value.
    private const string AddToEntrySql = EntryInsert +
        $"{E.Payload} = CASE WHEN {E.Table}.{E.Immutable} THEN {E.Table}.{E.Payload} " +
        $"WHEN {E.Table}.{E.TypeTag} <> 'i32' THEN excluded.{E.Payload} " +
        $"WHEN CAST({E.Table}.{E.Payload} AS bigint) + @delta BETWEEN -2147483648 AND 2147483647 " +
        $"THEN CAST(CAST({E.Table}.{E.Payload} AS bigint) + @delta AS text) ELSE excluded.{E.Payload} END, " +
        $"{E.TypeTag} = CASE WHEN {E.Table}.{E.Immutable} THEN {E.Table}.{E.TypeTag} ELSE excluded.{E.TypeTag} END";

    // A row inserted in this very write holds its counts already, at version 1 (one by one or in bulk).
    private static readonly SessionWriteResult Inserted = new(SessionWriteOutcome.Applied, RowVersion: 1);

    /// <summary>Applies the writes in one transaction; each one's outcome, in order.</summary>
    public IReadOnlyList<SessionWriteResult> Commit(IReadOnlyList<SessionWrite> writes)
    {
        var results = new SessionWriteResult[writes.Count];
        writer.InTransaction(tx =>
        {
            dialect.LockPrincipals(tx, writes.Where(w => w.Limit is not null && w.Principal is not null).Select(w => w.Principal!));
            // New sessions first, together where the provider can: no other write of a batch touches a session that
            // has no row yet (a batch holds one write per session, and IDs are never reused).
            var bulk = dialect.InsertNewInBulk(tx, writes);
            for (var i = 0; i < writes.Count; i++) results[i] = bulk?[i] == true ? Inserted : Apply(tx, writes[i]);
            // Limits after every write of the batch: a RegenerateID's removal of the old ID counts before its copy's limit.
            for (var i = 0; i < writes.Count; i++)
            {
                if (results[i].Outcome == SessionWriteOutcome.Applied && writes[i] is { Limit: { } limit, Principal: { } principal } w)
                    results[i] = results[i] with { Evicted = StoreRemovals.EnforceLimit(tx, w.Id, principal, limit) };
            }
            dialect.Notify(tx, ChangesOf(writes, results));
        });
        return results;
    }

    private static SessionWriteResult Apply(WriterTransaction tx, SessionWrite w)
    {
        if (w.Delete)
        {
            if (!StoreRemovals.DeleteOne(tx, w.Id, out var principal)) return SessionWriteResult.Missing;
            StoreRemovals.RememberEnded(tx, w.Id, w.DestroyReason, w.DeletedAtUtc, w.Actor, principal);
            return new(SessionWriteOutcome.Deleted, DeletedPrincipal: principal);
        }
        if (w.Insert is { } s)
        {
            tx.Send(InsertSessionSql,
                ("@id", w.Id), ("@created", s.CreatedUtc.Ticks), ("@access", s.LastAccessUtc.Ticks),
                ("@expires", s.ExpiresAtUtc?.Ticks), ("@idle", s.IdleDeadlineUtc?.Ticks), ("@ip", s.RemoteIp), ("@ua", s.UserAgent),
                ("@count", w.ValueCount), ("@bytes", w.ValueBytes), ("@principal", w.Principal));
        }
        if (w.ClearValues) tx.Send(ClearEntriesSql, ("@id", w.Id), ("@kind", (int)SessionEntryKind.Value));
        if (w.ClearFlashes) tx.Send(ClearEntriesSql, ("@id", w.Id), ("@kind", (int)SessionEntryKind.Flash));
        foreach (var (kind, key) in w.Deletes) tx.Send(DeleteEntrySql, ("@id", w.Id), ("@kind", (int)kind), ("@key", key));
        foreach (var e in w.Upserts)
        {
            tx.Send(e.Delta is null ? UpsertEntrySql : AddToEntrySql,
                ("@id", w.Id), ("@kind", (int)e.Kind), ("@key", e.Key), ("@seq", e.Seq), ("@tag", e.TypeTag),
                ("@payload", e.Payload), ("@immutable", e.Immutable), ("@read", e.FlashRead), ("@delta", e.Delta ?? 0L));
        }
        if (w.Insert is not null) return Inserted;
        return UpdateRow(tx, w) is { } version ? new(SessionWriteOutcome.Applied, version) : SessionWriteResult.Missing;
    }

    // Every write counts in the row's version, which tells a node whether its cached copy is the latest.
    private static long? UpdateRow(WriterTransaction tx, SessionWrite w)
    {
        var sets = new List<string>();
        var args = new List<(string, object?)> { ("@id", w.Id) };
        if (w.Touch)
        {
            sets.Add($"{S.LastAccessTicks} = @access, {S.IdleDeadlineTicks} = @idle");
            args.Add(("@access", w.LastAccessUtc.Ticks));
            args.Add(("@idle", w.IdleDeadlineUtc?.Ticks));
        }
        if (w.ExpiryChanged)
        {
            sets.Add($"{S.ExpiresTicks} = @expires");
            args.Add(("@expires", w.ExpiresAtUtc?.Ticks));
        }
        if (w.HasValueChanges)
        {
            sets.Add($"{S.ValueCount} = @count, {S.ValueBytes} = @bytes");
            args.Add(("@count", w.ValueCount));
            args.Add(("@bytes", w.ValueBytes));
        }
        if (w.PrincipalChanged)
        {
            sets.Add($"{S.Principal} = @principal");
            args.Add(("@principal", w.Principal));
        }
        sets.Add($"{S.Version} = {S.Version} + 1");
        var result = tx.Scalar($"UPDATE {S.Table} SET {string.Join(", ", sets)} WHERE {S.Id} = @id RETURNING {S.Version}", [.. args]);
        return result is null or DBNull ? null : SqlCommands.ToInt64(result);
    }

    private static IEnumerable<PeerChange> ChangesOf(IReadOnlyList<SessionWrite> writes, SessionWriteResult[] results)
    {
        for (var i = 0; i < writes.Count; i++)
        {
            var (w, result) = (writes[i], results[i]);
            if (result.Outcome == SessionWriteOutcome.Deleted)
                yield return new PeerChange(PeerChangeKind.Destroyed, w.Id, w.DestroyReason, w.Actor, result.DeletedPrincipal);
            else if (result.Outcome == SessionWriteOutcome.Applied)
                yield return new PeerChange(w.Insert is null ? PeerChangeKind.Changed : PeerChangeKind.Created, w.Id);
            if (result.Evicted is null) continue;
            foreach (var evicted in result.Evicted)
                yield return new PeerChange(PeerChangeKind.Destroyed, evicted.Id, evicted.Reason, null, evicted.Principal);
        }
    }
}
