using D = SessionAdmin.Core.Storage.Schema.DestroyEvents;
using Ended = SessionAdmin.Core.Storage.Schema.Ended;
using S = SessionAdmin.Core.Storage.Schema.Sessions;
using SessionAdmin.Core.Peers;

namespace SessionAdmin.Core.Storage.Sql;

/// <summary>
/// How sessions leave the store: one by ID, in claimed batches (sweep, destroy-all, a person's), beyond a principal's
/// limit; each with why it ended (<c>ended_sessions</c>) and a line of the console's history (<c>destroy_events</c>),
/// written in the removing transaction so both answer as soon as the destroy has returned, on every node, exactly once.
/// </summary>
internal sealed class StoreRemovals(StoreDialect dialect, StoreWriter writer)
{
    /// <summary>How many destroys the console's history keeps; older ones go with the sweep.</summary>
    public const int DestroyHistoryCapacity = 10_000;

    private const string DeleteOneSql = $"DELETE FROM {S.Table} WHERE {S.Id} = @id RETURNING {S.Principal}";

    private const string RememberReasonSql =
        $"INSERT INTO {Ended.Table} ({Ended.Id}, {Ended.Reason}, {Ended.AtTicks}) VALUES (@id, @reason, @at) " +
        $"ON CONFLICT ({Ended.Id}) DO UPDATE SET {Ended.Reason} = excluded.{Ended.Reason}, {Ended.AtTicks} = excluded.{Ended.AtTicks}";

    private const string RememberEventSql =
        $"INSERT INTO {D.Table} ({D.AtTicks}, {D.SessionId}, {D.Reason}, {D.Actor}, {D.Principal}) VALUES (@at, @id, @reason, @actor, @principal)";

    /// <summary>Deletes one session; false when the store did not hold it.</summary>
    public static bool DeleteOne(WriterTransaction tx, string id, out string? principal)
    {
        using var r = tx.Reader(DeleteOneSql, ("@id", id));
        principal = null;
        if (!r.Read()) return false;
        principal = SqlCommands.StringOrNull(r, 0);
        return true;
    }

    /// <summary>Records why <paramref name="id"/> ended, and the history line.</summary>
    public static void RememberEnded(WriterTransaction tx, string id, SessionDestroyReason reason, DateTime atUtc, string? actor, string? principal)
    {
        var at = (atUtc == default ? DateTime.UtcNow : atUtc).Ticks;
        tx.Send(RememberReasonSql, ("@id", id), ("@reason", (int)reason), ("@at", at));
        tx.Send(RememberEventSql, ("@at", at), ("@id", id), ("@reason", (int)reason), ("@actor", actor), ("@principal", principal));
    }

    /// <summary>
    /// Deletes up to <paramref name="batchSize"/> sessions matching <paramref name="where"/> in one writer transaction,
    /// remembers why each ended, and tells the other nodes. With <paramref name="claim"/> each node claims rows of its
    /// own (the dialect's clause), so every removed session is reported once.
    /// </summary>
    public List<ExpiredSession> DeleteBatch(string where, int batchSize, Func<long?, SessionDestroyReason> reason, string? actor, DateTime nowUtc,
        bool claim, params (string Name, object? Value)[] args)
    {
        var removed = new List<ExpiredSession>();
        writer.InTransaction(tx =>
        {
            removed.Clear();
            using (var cmd = tx.OneOff(
                $"DELETE FROM {S.Table} WHERE {S.Id} IN (SELECT {S.Id} FROM {S.Table} {where} LIMIT @n{(claim ? dialect.ClaimClause : "")}) " +
                $"RETURNING {S.Id}, {S.ExpiresTicks}, {S.Principal}",
                [.. args, ("@n", batchSize)]))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read()) removed.Add(new(r.GetString(0), reason(r.IsDBNull(1) ? null : r.GetInt64(1)), SqlCommands.StringOrNull(r, 2)));
            }
            foreach (var s in removed) RememberEnded(tx, s.Id, s.Reason, nowUtc, actor, s.Principal);
            dialect.Notify(tx, removed.Select(s => new PeerChange(PeerChangeKind.Destroyed, s.Id, s.Reason, null, s.Principal)));
        });
        return removed;
    }

    /// <summary>
    /// After a write gave <paramref name="principal"/> the session <paramref name="writtenId"/>: its live sessions beyond the limit go, least recently
    /// used first (as this node knows it, else as persisted), never the written one. On PostgreSQL the principal's lock
    /// (taken at the start of the transaction) makes concurrent nodes count one after the other.
    /// </summary>
    /// <returns>The sessions it removed, or null for none.</returns>
    public static List<ExpiredSession>? EnforceLimit(WriterTransaction tx, string writtenId, string principal, PrincipalLimit limit)
    {
        var now = limit.UtcNow();
        IReadOnlyList<(string Id, DateTime LastAccessUtc)> live;
        using (var cmd = tx.OneOff(StoreReads.LiveOfPrincipalSql, ("@p", principal), ("@now", now.Ticks)))
        {
            live = SqlCommands.ReadIdsAndTimes(cmd);
        }
        List<ExpiredSession>? evicted = null;
        foreach (var id in limit.Victims(live, writtenId).ToList())
        {
            if (!DeleteOne(tx, id, out _)) continue;
            RememberEnded(tx, id, SessionDestroyReason.SessionLimit, now, null, principal);
            (evicted ??= []).Add(new ExpiredSession(id, SessionDestroyReason.SessionLimit, principal));
        }
        return evicted;
    }

    /// <summary>Forgets up to <paramref name="batchSize"/> reasons older than <paramref name="beforeUtc"/>, and trims the history.</summary>
    public int PruneEnded(DateTime beforeUtc, int batchSize)
    {
        var pruned = 0;
        writer.InTransaction(tx =>
        {
            pruned = tx.Execute(
                $"DELETE FROM {Ended.Table} WHERE {Ended.Id} IN (SELECT {Ended.Id} FROM {Ended.Table} WHERE {Ended.AtTicks} < @before LIMIT @n)",
                ("@before", beforeUtc.Ticks), ("@n", batchSize));
            // The console's history keeps its newest rows only.
            tx.Execute($"DELETE FROM {D.Table} WHERE {D.Id} <= (SELECT MAX({D.Id}) FROM {D.Table}) - @keep", ("@keep", DestroyHistoryCapacity));
        });
        return pruned;
    }
}
