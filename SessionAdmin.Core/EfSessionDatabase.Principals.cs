using System.Data.Common;
using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core;

// The sessions of a person: the principal index, the session limit, and why an ended session ended.
public sealed partial class EfSessionDatabase
{
    private const string LiveClause = "(expires_ticks IS NULL OR expires_ticks > @now) AND (idle_deadline_ticks IS NULL OR idle_deadline_ticks > @now)";
    private const string PrincipalKeySetting = "principal_key";

    /// <summary>How many destroys the console's history (<c>destroy_events</c>) keeps; older ones go with the sweep.</summary>
    internal const int DestroyHistoryCapacity = 10_000;
    // A principal's live sessions with their persisted last access: the partial principal index answers it.
    private const string LiveOfPrincipalSql = $"SELECT id, last_access_ticks FROM sessions WHERE principal = @p AND {LiveClause}";

    /// <inheritdoc />
    public Task<IReadOnlyList<(string Id, DateTime LastAccessUtc)>> FindByPrincipalAsync(string principal, DateTime nowUtc, CancellationToken cancellationToken) =>
        Run<IReadOnlyList<(string, DateTime)>>(() =>
        {
            EnsureFilePresent(writer: false);
            return Read(conn =>
            {
                using var cmd = Command(conn, null, LiveOfPrincipalSql, ("@p", principal), ("@now", nowUtc.Ticks));
                return ReadIdsAndTimes(cmd);
            });
        });

    /// <inheritdoc />
    public Task<IReadOnlyList<ExpiredSession>> DeleteByPrincipalAsync(string principal, string? exceptId, SessionDestroyReason reason, string? actor,
        DateTime nowUtc, int batchSize, CancellationToken cancellationToken) =>
        // No SKIP LOCKED here: a session another transaction is writing must be waited for, not left alive.
        Run<IReadOnlyList<ExpiredSession>>(() => DeleteBatch($"WHERE principal = @p AND id <> @except AND {LiveClause}", batchSize, _ => reason, actor,
            nowUtc, claim: false, ("@p", principal), ("@except", exceptId ?? ""), ("@now", nowUtc.Ticks)));

    /// <inheritdoc />
    public Task<SessionDestroyReason?> EndedReasonAsync(string id, CancellationToken cancellationToken) => Run(() =>
    {
        EnsureFilePresent(writer: false);
        return Read(conn =>
        {
            using var cmd = Command(conn, null, "SELECT reason FROM ended_sessions WHERE id = @id", ("@id", id));
            return cmd.ExecuteScalar() is { } value and not DBNull
                ? (SessionDestroyReason?)Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)
                : null;
        });
    });

    /// <inheritdoc />
    public Task<int> PruneEndedAsync(DateTime beforeUtc, int batchSize, CancellationToken cancellationToken) => Run(() =>
    {
        var pruned = 0;
        InWriterTransaction((conn, tx) =>
        {
            pruned = Execute(conn, tx,
                "DELETE FROM ended_sessions WHERE id IN (SELECT id FROM ended_sessions WHERE at_ticks < @before LIMIT @n)",
                ("@before", beforeUtc.Ticks), ("@n", batchSize));
            // The console's history keeps its newest rows only.
            Execute(conn, tx, "DELETE FROM destroy_events WHERE id <= (SELECT MAX(id) FROM destroy_events) - @keep",
                ("@keep", DestroyHistoryCapacity));
        });
        return pruned;
    });

    /// <inheritdoc />
    public Task IndexPrincipalsAsync(string? principalKey, CancellationToken cancellationToken) => Run(() =>
    {
        InWriterTransaction((conn, tx) =>
        {
            // Nodes starting together re-index once: the second waits here, then finds the key recorded.
            LockPrincipals(conn, tx, [PrincipalKeySetting]);
            using (var read = Command(conn, tx, "SELECT value FROM store_settings WHERE name = @name", ("@name", PrincipalKeySetting)))
            using (var r = read.ExecuteReader())
            {
                var found = r.Read();
                var indexedUnder = found && !r.IsDBNull(0) ? r.GetString(0) : null;
                if (found && indexedUnder == principalKey) return;
            }
            // The same rule as Session.Principal: a non-empty string (stored as plain text) names the principal.
            using (var reindex = Command(conn, tx, principalKey is null
                ? "UPDATE sessions SET principal = NULL WHERE principal IS NOT NULL"
                : "UPDATE sessions SET principal = (SELECT e.payload FROM session_entries e WHERE e.session_id = sessions.id " +
                  $"AND e.kind = 0 AND e.key = @key AND e.type_tag = 'str' AND e.payload <> '' AND length(e.payload) <= {Session.MaxPrincipalLength})",
                ("@key", principalKey)))
            {
                reindex.ExecuteNonQuery();
            }
            using var write = Command(conn, tx,
                "INSERT INTO store_settings (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                ("@name", PrincipalKeySetting), ("@value", principalKey));
            write.ExecuteNonQuery();
        });
        return 0;
    });

    // After a write gave `principal` a session: its live sessions beyond the limit go, least recently used first (as
    // this node knows it, else as persisted), never the written one. On PostgreSQL the principal's lock (taken at
    // the start of the transaction) makes concurrent nodes count one after the other.
    private void EnforceLimit(DbConnection conn, DbTransaction tx, SessionWrite w, string principal, PrincipalLimit limit)
    {
        var now = limit.UtcNow();
        IReadOnlyList<(string Id, DateTime LastAccessUtc)> live;
        using (var cmd = Command(conn, tx, LiveOfPrincipalSql,
            ("@p", principal), ("@now", now.Ticks)))
        {
            live = ReadIdsAndTimes(cmd);
        }
        foreach (var id in limit.Victims(live, w.Id).ToList())
        {
            if (!DeleteOne(conn, tx, id, out _)) continue;
            RememberEnded(conn, tx, id, SessionDestroyReason.SessionLimit, now, null, principal);
            w.Evicted.Add(new ExpiredSession(id, SessionDestroyReason.SessionLimit, principal));
        }
    }

    private bool DeleteOne(DbConnection conn, DbTransaction tx, string id, out string? principal)
    {
        using var r = Prepared(conn, tx, "DELETE FROM sessions WHERE id = @id RETURNING principal", [("@id", id)]).ExecuteReader();
        principal = null;
        if (!r.Read()) return false;
        principal = r.IsDBNull(0) ? null : r.GetString(0);
        return true;
    }

    // Written in the destroying transaction, so EndedReason answers as soon as the destroy has returned, on every node,
    // and the console's history holds each destroy exactly once, whatever happens to a connection afterwards.
    private void RememberEnded(DbConnection conn, DbTransaction tx, string id, SessionDestroyReason reason, DateTime atUtc,
        string? actor, string? principal)
    {
        var at = (atUtc == default ? DateTime.UtcNow : atUtc).Ticks;
        Execute(conn, tx,
            "INSERT INTO ended_sessions (id, reason, at_ticks) VALUES (@id, @reason, @at) " +
            "ON CONFLICT (id) DO UPDATE SET reason = excluded.reason, at_ticks = excluded.at_ticks",
            ("@id", id), ("@reason", (int)reason), ("@at", at));
        Execute(conn, tx,
            "INSERT INTO destroy_events (at_ticks, session_id, reason, actor, principal) VALUES (@at, @id, @reason, @actor, @principal)",
            ("@at", at), ("@id", id), ("@reason", (int)reason), ("@actor", actor), ("@principal", principal));
    }

    private static List<(string, DateTime)> ReadIdsAndTimes(DbCommand cmd)
    {
        var list = new List<(string, DateTime)>();
        using var r = cmd.ExecuteReader();
        while (r.Read()) list.Add((r.GetString(0), Utc(r.GetInt64(1))));
        return list;
    }
}
