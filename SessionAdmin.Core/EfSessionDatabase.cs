using System.Data.Common;
using Microsoft.Data.Sqlite;
using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core;

/// <summary>
/// The durable store on EF Core: SQLite by default (<see cref="ForSqlite"/>), or PostgreSQL shared by several app
/// nodes (<see cref="ForPostgres"/>). EF owns the schema (migrations) and the console's queries; the hot path (load,
/// commit) runs plain parameterised SQL over the same tables, which both providers speak. Commits come from one
/// writer (the manager's commit queue), so one connection serves them all.
/// </summary>
public sealed partial class EfSessionDatabase : ISessionDatabase
{
    private readonly Func<SessionDbContext> _createContext;
    private readonly Func<DbConnection> _connect;
    // How a batch delete claims its rows: on a shared server, SKIP LOCKED gives each node its own rows to remove.
    private readonly string _claimClause;
    private readonly Lock _writerGate = new();
    private DbConnection? _writer;
    // Statements prepared once on the writer connection and reused: re-preparing SQL per commit was the hot cost.
    private readonly Dictionary<string, DbCommand> _prepared = new(StringComparer.Ordinal);

    private EfSessionDatabase(Func<SessionDbContext> createContext, Func<DbConnection> connect, string claimClause = "")
    {
        _createContext = createContext;
        _connect = connect;
        _claimClause = claimClause;
    }

    /// <summary>A new context on the store (one per operation), for the console's queries.</summary>
    internal SessionDbContext CreateContext() => _createContext();

    /// <inheritdoc />
    public Task<StoredSession?> LoadAsync(string id, CancellationToken cancellationToken) => Run(() => Load(id));

    private StoredSession? Load(string id)
    {
        EnsureFilePresent(writer: false);
        return Read(conn => Load(conn, id));
    }

    private static StoredSession? Load(DbConnection conn, string id)
    {
        SessionRecord record;
        long version;
        using (var cmd = Command(conn, null,
            "SELECT created_ticks, last_access_ticks, expires_ticks, idle_deadline_ticks, remote_ip, user_agent, version, principal FROM sessions WHERE id = @id",
            ("@id", id)))
        using (var r = cmd.ExecuteReader())
        {
            if (!r.Read()) return null;
            record = new SessionRecord(id, Utc(r.GetInt64(0)), Utc(r.GetInt64(1)), UtcOrNull(r, 2), UtcOrNull(r, 3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(7) ? null : r.GetString(7));
            version = r.GetInt64(6);
        }
        var entries = new List<StoredEntry>();
        using (var cmd = Command(conn, null,
            "SELECT kind, key, seq, type_tag, payload, immutable, flash_read FROM session_entries WHERE session_id = @id ORDER BY seq",
            ("@id", id)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                entries.Add(new StoredEntry((SessionEntryKind)r.GetInt32(0), r.GetString(1), r.GetInt64(2), r.GetString(3),
                    r.IsDBNull(4) ? null : r.GetString(4), r.GetBoolean(5), r.GetBoolean(6)));
            }
        }
        return new StoredSession(record, entries, version);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SessionWriteOutcome>> CommitAsync(IReadOnlyList<SessionWrite> writes, CancellationToken cancellationToken) =>
        Run<IReadOnlyList<SessionWriteOutcome>>(() =>
        {
            var outcomes = new SessionWriteOutcome[writes.Count];
            InWriterTransaction((conn, tx) =>
            {
                // A retried transaction starts over: what an earlier attempt found is void.
                foreach (var w in writes) if (w.HasEvictions) w.Evicted.Clear();
                LockPrincipals(conn, tx, writes.Where(w => w.Limit is not null && w.Principal is not null).Select(w => w.Principal!));
                for (var i = 0; i < writes.Count; i++) outcomes[i] = Apply(conn, tx, writes[i]);
                // Limits after every write of the batch: a RegenerateID's removal of the old ID counts before its copy's limit.
                for (var i = 0; i < writes.Count; i++)
                {
                    if (outcomes[i] == SessionWriteOutcome.Applied && writes[i] is { Limit: { } limit, Principal: { } principal } w)
                        EnforceLimit(conn, tx, w, principal, limit);
                }
                NotifyPeers(conn, tx, ChangesOf(writes, outcomes));
            });
            return outcomes;
        });

    private SessionWriteOutcome Apply(DbConnection conn, DbTransaction tx, SessionWrite w)
    {
        if (w.Delete)
        {
            if (!DeleteOne(conn, tx, w.Id, out var principal)) return SessionWriteOutcome.SessionMissing;
            w.DeletedPrincipal = principal;
            RememberEnded(conn, tx, w.Id, w.DestroyReason, w.DeletedAtUtc, w.Actor, principal);
            return SessionWriteOutcome.Deleted;
        }
        if (w.Insert is { } s)
        {
            Execute(conn, tx,
                "INSERT INTO sessions (id, created_ticks, last_access_ticks, expires_ticks, idle_deadline_ticks, remote_ip, user_agent, value_count, value_bytes, version, principal) " +
                "VALUES (@id, @created, @access, @expires, @idle, @ip, @ua, @count, @bytes, 1, @principal)",
                ("@id", w.Id), ("@created", s.CreatedUtc.Ticks), ("@access", s.LastAccessUtc.Ticks),
                ("@expires", s.ExpiresAtUtc?.Ticks), ("@idle", s.IdleDeadlineUtc?.Ticks), ("@ip", s.RemoteIp), ("@ua", s.UserAgent),
                ("@count", w.ValueCount), ("@bytes", w.ValueBytes), ("@principal", w.Principal));
        }
        if (w.ClearValues) Clear(conn, tx, w.Id, SessionEntryKind.Value);
        if (w.ClearFlashes) Clear(conn, tx, w.Id, SessionEntryKind.Flash);
        foreach (var (kind, key) in w.Deletes)
        {
            Execute(conn, tx, "DELETE FROM session_entries WHERE session_id = @id AND kind = @kind AND key = @key",
                ("@id", w.Id), ("@kind", (int)kind), ("@key", key));
        }
        foreach (var e in w.Upserts)
        {
            // Only where the session row still exists: a destroyed session is never brought back by a late write.
            Execute(conn, tx, e.Delta is null ? UpsertEntrySql : AddToEntrySql,
                ("@id", w.Id), ("@kind", (int)e.Kind), ("@key", e.Key), ("@seq", e.Seq), ("@tag", e.TypeTag),
                ("@payload", e.Payload), ("@immutable", e.Immutable), ("@read", e.FlashRead), ("@delta", e.Delta ?? 0L));
        }
        // A row inserted in this very write holds its counts already.
        if (w.Insert is not null)
        {
            w.RowVersion = 1;
            return SessionWriteOutcome.Applied;
        }
        var version = UpdateRow(conn, tx, w);
        if (version is null) return SessionWriteOutcome.SessionMissing;
        w.RowVersion = version.Value;
        return SessionWriteOutcome.Applied;
    }

    private const string EntryInsert =
        "INSERT INTO session_entries (session_id, kind, key, seq, type_tag, payload, immutable, flash_read) " +
        "SELECT @id, @kind, @key, @seq, @tag, @payload, @immutable, @read WHERE EXISTS (SELECT 1 FROM sessions WHERE id = @id) " +
        "ON CONFLICT (session_id, kind, key) DO UPDATE SET ";

    private const string UpsertEntrySql = EntryInsert +
        "seq = excluded.seq, type_tag = excluded.type_tag, payload = excluded.payload, immutable = excluded.immutable, flash_read = excluded.flash_read";

    // Increment/Decrement: add to the Int32 the store holds, so concurrent nodes never lose a count (CASE fixes the
    // evaluation order: the cast only runs on an Int32). An immutable stays; anything else takes this node's value.
    private const string AddToEntrySql = EntryInsert +
        "payload = CASE WHEN session_entries.immutable THEN session_entries.payload " +
        "WHEN session_entries.type_tag <> 'i32' THEN excluded.payload " +
        "WHEN CAST(session_entries.payload AS bigint) + @delta BETWEEN -2147483648 AND 2147483647 " +
        "THEN CAST(CAST(session_entries.payload AS bigint) + @delta AS text) ELSE excluded.payload END, " +
        "type_tag = CASE WHEN session_entries.immutable THEN session_entries.type_tag ELSE excluded.type_tag END";

    // Every write counts in the row's version, which tells a node whether its cached copy is the latest.
    private long? UpdateRow(DbConnection conn, DbTransaction tx, SessionWrite w)
    {
        var sets = new List<string>();
        var args = new List<(string, object?)> { ("@id", w.Id) };
        if (w.Touch)
        {
            sets.Add("last_access_ticks = @access, idle_deadline_ticks = @idle");
            args.Add(("@access", w.LastAccessUtc.Ticks));
            args.Add(("@idle", w.IdleDeadlineUtc?.Ticks));
        }
        if (w.ExpiryChanged)
        {
            sets.Add("expires_ticks = @expires");
            args.Add(("@expires", w.ExpiresAtUtc?.Ticks));
        }
        if (w.HasValueChanges)
        {
            sets.Add("value_count = @count, value_bytes = @bytes");
            args.Add(("@count", w.ValueCount));
            args.Add(("@bytes", w.ValueBytes));
        }
        if (w.PrincipalChanged)
        {
            sets.Add("principal = @principal");
            args.Add(("@principal", w.Principal));
        }
        sets.Add("version = version + 1");
        var result = Scalar(conn, tx, $"UPDATE sessions SET {string.Join(", ", sets)} WHERE id = @id RETURNING version", [.. args]);
        return result is null or DBNull ? null : Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
    }

    private int Clear(DbConnection conn, DbTransaction tx, string id, SessionEntryKind kind) =>
        Execute(conn, tx, "DELETE FROM session_entries WHERE session_id = @id AND kind = @kind", ("@id", id), ("@kind", (int)kind));

    /// <inheritdoc />
    public Task<IReadOnlyList<ExpiredSession>> SweepAsync(DateTime nowUtc, int batchSize, CancellationToken cancellationToken) =>
        Run<IReadOnlyList<ExpiredSession>>(() => DeleteBatch("WHERE expires_ticks <= @now OR idle_deadline_ticks <= @now", batchSize,
            expiresTicks => expiresTicks is { } at && at <= nowUtc.Ticks ? SessionDestroyReason.Expired : SessionDestroyReason.IdleTimeout,
            null, nowUtc, claim: true, ("@now", nowUtc.Ticks)));

    /// <inheritdoc />
    public Task<long> CountAsync(DateTime nowUtc, CancellationToken cancellationToken) => Run(() => Count(nowUtc));

    private long Count(DateTime nowUtc) => Read(conn =>
    {
        using var cmd = Command(conn, null,
            "SELECT COUNT(*) FROM sessions WHERE (expires_ticks IS NULL OR expires_ticks > @now) AND (idle_deadline_ticks IS NULL OR idle_deadline_ticks > @now)",
            ("@now", nowUtc.Ticks));
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    });

    // A read on a pooled connection; once more on a new one when the first was cut (see CutConnections).
    private T Read<T>(Func<DbConnection, T> read) => CutConnections.Read(_connect, () => _dataSource?.Clear(), read);

    /// <inheritdoc />
    public Task<IReadOnlyList<ExpiredSession>> DeleteAllAsync(DateTime nowUtc, string? actor, int batchSize, CancellationToken cancellationToken) =>
        Run<IReadOnlyList<ExpiredSession>>(() => DeleteBatch("", batchSize, _ => SessionDestroyReason.DestroyedAll, actor, nowUtc, claim: true));

    // Deletes up to batchSize sessions matching `where` in one writer transaction, remembers why each ended, and tells
    // the other nodes; each node claims rows of its own (_claimClause), so every removed session is reported once.
    private List<ExpiredSession> DeleteBatch(string where, int batchSize, Func<long?, SessionDestroyReason> reason, string? actor, DateTime nowUtc, bool claim,
        params (string Name, object? Value)[] args)
    {
        var removed = new List<ExpiredSession>();
        InWriterTransaction((conn, tx) =>
        {
            removed.Clear();
            using (var cmd = Command(conn, tx,
                $"DELETE FROM sessions WHERE id IN (SELECT id FROM sessions {where} LIMIT @n{(claim ? _claimClause : "")}) RETURNING id, expires_ticks, principal",
                [.. args, ("@n", batchSize)]))
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read()) removed.Add(new(r.GetString(0), reason(r.IsDBNull(1) ? null : r.GetInt64(1)), r.IsDBNull(2) ? null : r.GetString(2)));
            }
            foreach (var s in removed) RememberEnded(conn, tx, s.Id, s.Reason, nowUtc, actor, s.Principal);
            NotifyPeers(conn, tx, removed.Select(s => new PeerChange(PeerChangeKind.Destroyed, s.Id, s.Reason, null, s.Principal)));
        });
        return removed;
    }

    private void InWriterTransaction(Action<DbConnection, DbTransaction> work)
    {
        EnsureFilePresent();
        for (var attempt = 0; ; attempt++)
        {
            var conn = Writer();
            var committing = false;
            try
            {
                using var tx = conn.BeginTransaction();
                work(conn, tx);
                committing = true;
                tx.Commit();
                return;
            }
            catch (Exception ex) when (attempt == 0 && !committing && CutConnections.IsCut(conn, ex))
            {
                // Cut before COMMIT: the server rolled the transaction back, so it runs once more on a new connection.
                // A cut during COMMIT is not retried: whether it committed is unknown, and an increment must not count twice.
                DropWriter();
                _dataSource?.Clear();
            }
            catch
            {
                // A broken connection (file gone, disk full) is reopened by the next commit, so the store recovers by itself.
                DropWriter();
                throw;
            }
        }
    }

    private DbConnection Writer()
    {
        lock (_writerGate) return _writer ??= _connect();
    }

    private void DropWriter()
    {
        lock (_writerGate)
        {
            // Pooled connections may hold a file that was replaced: the next ones open it afresh.
            if (_writer is SqliteConnection sqlite) SqliteConnection.ClearPool(sqlite);
            foreach (var cmd in _prepared.Values) cmd.Dispose();
            _prepared.Clear();
            _writer?.Dispose();
            _writer = null;
        }
    }

    private static DbCommand Command(DbConnection conn, DbTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    private int Execute(DbConnection conn, DbTransaction tx, string sql, params (string Name, object? Value)[] args) =>
        Prepared(conn, tx, sql, args).ExecuteNonQuery();

    private object? Scalar(DbConnection conn, DbTransaction tx, string sql, params (string Name, object? Value)[] args) =>
        Prepared(conn, tx, sql, args).ExecuteScalar();

    // The store's I/O is synchronous on purpose: the Iris API (Start, Destroy, UpdateExpiration…) blocks on it, and
    // a thread blocked on asynchronous socket I/O waits for another pool thread to complete it. Under a burst of
    // blocking callers that starves the pool (seen: 1,000 concurrent UpdateExpiration took minutes on PostgreSQL).
    // SQLite's provider is synchronous anyway.
    private static Task<T> Run<T>(Func<T> work)
    {
        try { return Task.FromResult(work()); }
        catch (Exception ex) { return Task.FromException<T>(ex); }
    }

    private DbCommand Prepared(DbConnection conn, DbTransaction tx, string sql, (string Name, object? Value)[] args)
    {
        if (!_prepared.TryGetValue(sql, out var cmd))
        {
            cmd = Command(conn, null, sql, args);
            _prepared[sql] = cmd;
        }
        cmd.Transaction = tx;
        foreach (var (name, value) in args) cmd.Parameters[name].Value = value ?? DBNull.Value;
        return cmd;
    }

    private static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);
    private static DateTime? UtcOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : Utc(r.GetInt64(i));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        DropWriter();
        if (_dataSource is not null) await _dataSource.DisposeAsync().ConfigureAwait(false);
        if (_listenerSource is not null) await _listenerSource.DisposeAsync().ConfigureAwait(false);
    }
}
