using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace SessionAdmin.Core;

/// <summary>
/// The durable store on EF Core (SQLite by default). EF owns the schema (migrations) and the console's queries; the
/// hot path (load, commit) runs plain parameterised SQL over the same tables, which both SQLite and PostgreSQL speak.
/// Commits come from one writer (the manager's commit queue), so one connection serves them all.
/// </summary>
public sealed class EfSessionDatabase : ISessionDatabase
{
    private readonly Func<DbConnection> _connect;
    private readonly Lock _writerGate = new();
    private DbConnection? _writer;
    private string? _dataFile;
    // Statements prepared once on the writer connection and reused: re-preparing SQL per commit was the hot cost.
    private readonly Dictionary<string, DbCommand> _prepared = new(StringComparer.Ordinal);

    /// <summary>Creates the store over a migrated database; <paramref name="connect"/> opens plain connections to it.</summary>
    public EfSessionDatabase(DbContextOptions<SessionDbContext> options, Func<DbConnection> connect)
    {
        Options = options;
        _connect = connect;
    }

    /// <summary>The EF Core options, for queries through <see cref="CreateContext"/>.</summary>
    public DbContextOptions<SessionDbContext> Options { get; }

    /// <summary>A new context on the store (one per operation).</summary>
    public SessionDbContext CreateContext() => new(Options);

    /// <summary>
    /// A store on the SQLite file of <paramref name="connectionString"/>: creates the file and its folder, applies the
    /// migrations, and turns on WAL. Commits survive a crash of the process (synchronous=NORMAL under WAL).
    /// </summary>
    public static EfSessionDatabase ForSqlite(string connectionString)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = true, Pooling = true };
        if (csb.DefaultTimeout == 30) csb.DefaultTimeout = 5;
        var dataFile = csb.DataSource is { Length: > 0 } f && f != ":memory:" ? Path.GetFullPath(f) : null;
        if (dataFile is not null) Directory.CreateDirectory(Path.GetDirectoryName(dataFile)!);
        using (var ctx = new SessionDbContext(new DbContextOptionsBuilder<SessionDbContext>().UseSqlite(csb.ToString()).Options))
        {
            ctx.Database.Migrate();
            ctx.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        }
        // From now on the file must exist: if it is deleted under us, fail (503) instead of starting an empty store.
        if (csb.Mode == SqliteOpenMode.ReadWriteCreate) csb.Mode = SqliteOpenMode.ReadWrite;
        var cs = csb.ToString();
        var options = new DbContextOptionsBuilder<SessionDbContext>().UseSqlite(cs).Options;
        var busyMs = csb.DefaultTimeout * 1000;
        return new EfSessionDatabase(options, () => OpenSqlite(cs, busyMs)) { _dataFile = dataFile };
    }

    private static SqliteConnection OpenSqlite(string cs, int busyTimeoutMs)
    {
        var conn = new SqliteConnection(cs);
        conn.Open();
        using var pragma = conn.CreateCommand();
        pragma.CommandText = $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={busyTimeoutMs};";
        pragma.ExecuteNonQuery();
        return conn;
    }

    // An open connection keeps writing to a deleted file, which would lose every commit silently: check first.
    private void EnsureFilePresent(bool writer = true)
    {
        if (_dataFile is null || File.Exists(_dataFile)) return;
        // Only the writer's own thread touches the writer; a reader just clears the pool of stale connections.
        if (writer) DropWriter();
        SqliteConnection.ClearAllPools();
        throw new IOException("The session database file is gone; waiting for it to be restored.");
    }

    /// <inheritdoc />
    public async Task<StoredSession?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        EnsureFilePresent(writer: false);
        await using var conn = _connect();
        SessionRecord record;
        await using (var cmd = Command(conn, null,
            "SELECT created_ticks, last_access_ticks, expires_ticks, idle_deadline_ticks, remote_ip, user_agent FROM sessions WHERE id = @id",
            ("@id", id)))
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
            record = new SessionRecord(id, Utc(r.GetInt64(0)), Utc(r.GetInt64(1)), UtcOrNull(r, 2), UtcOrNull(r, 3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5));
        }
        var entries = new List<StoredEntry>();
        await using (var cmd = Command(conn, null,
            "SELECT kind, key, seq, type_tag, payload, immutable, flash_read FROM session_entries WHERE session_id = @id ORDER BY seq",
            ("@id", id)))
        await using (var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add(new StoredEntry((SessionEntryKind)r.GetInt32(0), r.GetString(1), r.GetInt64(2), r.GetString(3),
                    r.IsDBNull(4) ? null : r.GetString(4), r.GetBoolean(5), r.GetBoolean(6)));
            }
        }
        return new StoredSession(record, entries);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SessionWriteOutcome>> CommitAsync(IReadOnlyList<SessionWrite> writes, CancellationToken cancellationToken)
    {
        var outcomes = new SessionWriteOutcome[writes.Count];
        await InWriterTransactionAsync(async (conn, tx) =>
        {
            for (var i = 0; i < writes.Count; i++) outcomes[i] = await ApplyAsync(conn, tx, writes[i], cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return outcomes;
    }

    private async Task<SessionWriteOutcome> ApplyAsync(DbConnection conn, DbTransaction tx, SessionWrite w, CancellationToken ct)
    {
        if (w.Delete)
        {
            var deleted = await Execute(conn, tx, ct, "DELETE FROM sessions WHERE id = @id", ("@id", w.Id)).ConfigureAwait(false);
            return deleted > 0 ? SessionWriteOutcome.Deleted : SessionWriteOutcome.SessionMissing;
        }
        if (w.Insert is { } s)
        {
            await Execute(conn, tx, ct,
                "INSERT INTO sessions (id, created_ticks, last_access_ticks, expires_ticks, idle_deadline_ticks, remote_ip, user_agent, value_count, value_bytes) " +
                "VALUES (@id, @created, @access, @expires, @idle, @ip, @ua, @count, @bytes)",
                ("@id", w.Id), ("@created", s.CreatedUtc.Ticks), ("@access", s.LastAccessUtc.Ticks),
                ("@expires", s.ExpiresAtUtc?.Ticks), ("@idle", s.IdleDeadlineUtc?.Ticks), ("@ip", s.RemoteIp), ("@ua", s.UserAgent),
                ("@count", w.ValueCount), ("@bytes", w.ValueBytes)).ConfigureAwait(false);
        }
        if (w.ClearValues) await ClearAsync(conn, tx, w.Id, SessionEntryKind.Value, ct).ConfigureAwait(false);
        if (w.ClearFlashes) await ClearAsync(conn, tx, w.Id, SessionEntryKind.Flash, ct).ConfigureAwait(false);
        foreach (var (kind, key) in w.Deletes)
        {
            await Execute(conn, tx, ct, "DELETE FROM session_entries WHERE session_id = @id AND kind = @kind AND key = @key",
                ("@id", w.Id), ("@kind", (int)kind), ("@key", key)).ConfigureAwait(false);
        }
        foreach (var e in w.Upserts)
        {
            // Only where the session row still exists: a destroyed session is never brought back by a late write.
            await Execute(conn, tx, ct,
                "INSERT INTO session_entries (session_id, kind, key, seq, type_tag, payload, immutable, flash_read) " +
                "SELECT @id, @kind, @key, @seq, @tag, @payload, @immutable, @read WHERE EXISTS (SELECT 1 FROM sessions WHERE id = @id) " +
                "ON CONFLICT (session_id, kind, key) DO UPDATE SET seq = excluded.seq, type_tag = excluded.type_tag, " +
                "payload = excluded.payload, immutable = excluded.immutable, flash_read = excluded.flash_read",
                ("@id", w.Id), ("@kind", (int)e.Kind), ("@key", e.Key), ("@seq", e.Seq), ("@tag", e.TypeTag),
                ("@payload", e.Payload), ("@immutable", e.Immutable), ("@read", e.FlashRead)).ConfigureAwait(false);
        }
        // A row inserted in this very write holds its counts already.
        if (w.Insert is not null) return SessionWriteOutcome.Applied;
        return await UpdateRowAsync(conn, tx, w, ct).ConfigureAwait(false) > 0
            ? SessionWriteOutcome.Applied
            : SessionWriteOutcome.SessionMissing;
    }

    private Task<int> UpdateRowAsync(DbConnection conn, DbTransaction tx, SessionWrite w, CancellationToken ct)
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
        // With nothing to set, a no-op update still tells whether the row exists.
        if (sets.Count == 0) sets.Add("id = id");
        return Execute(conn, tx, ct, $"UPDATE sessions SET {string.Join(", ", sets)} WHERE id = @id", [.. args]);
    }

    private Task<int> ClearAsync(DbConnection conn, DbTransaction tx, string id, SessionEntryKind kind, CancellationToken ct) =>
        Execute(conn, tx, ct, "DELETE FROM session_entries WHERE session_id = @id AND kind = @kind", ("@id", id), ("@kind", (int)kind));

    /// <inheritdoc />
    public async Task<IReadOnlyList<ExpiredSession>> SweepAsync(DateTime nowUtc, int batchSize, CancellationToken cancellationToken)
    {
        var swept = new List<ExpiredSession>();
        await InWriterTransactionAsync(async (conn, tx) =>
        {
            await using var cmd = Command(conn, tx,
                "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_ticks <= @now OR idle_deadline_ticks <= @now LIMIT @n) " +
                "RETURNING id, expires_ticks",
                ("@now", nowUtc.Ticks), ("@n", batchSize));
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var expired = !r.IsDBNull(1) && r.GetInt64(1) <= nowUtc.Ticks;
                swept.Add(new(r.GetString(0), expired ? SessionDestroyReason.Expired : SessionDestroyReason.IdleTimeout));
            }
        }, cancellationToken).ConfigureAwait(false);
        return swept;
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(DateTime nowUtc, CancellationToken cancellationToken)
    {
        await using var conn = _connect();
        await using var cmd = Command(conn, null,
            "SELECT COUNT(*) FROM sessions WHERE (expires_ticks IS NULL OR expires_ticks > @now) AND (idle_deadline_ticks IS NULL OR idle_deadline_ticks > @now)",
            ("@now", nowUtc.Ticks));
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> DeleteAllAsync(int batchSize, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await InWriterTransactionAsync(async (conn, tx) =>
        {
            await using var cmd = Command(conn, tx, "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions LIMIT @n) RETURNING id", ("@n", batchSize));
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) ids.Add(r.GetString(0));
        }, cancellationToken).ConfigureAwait(false);
        return ids;
    }

    private async Task InWriterTransactionAsync(Func<DbConnection, DbTransaction, Task> work, CancellationToken ct)
    {
        EnsureFilePresent();
        var conn = Writer();
        try
        {
            await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            await work(conn, tx).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            // A broken connection (file gone, disk full) is reopened by the next commit, so the store recovers by itself.
            DropWriter();
            throw;
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

    private Task<int> Execute(DbConnection conn, DbTransaction tx, CancellationToken ct, string sql, params (string Name, object? Value)[] args)
    {
        if (!_prepared.TryGetValue(sql, out var cmd))
        {
            cmd = Command(conn, null, sql, args);
            _prepared[sql] = cmd;
        }
        cmd.Transaction = tx;
        foreach (var (name, value) in args) cmd.Parameters[name].Value = value ?? DBNull.Value;
        return cmd.ExecuteNonQueryAsync(ct);
    }

    private static DateTime Utc(long ticks) => new(ticks, DateTimeKind.Utc);
    private static DateTime? UtcOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : Utc(r.GetInt64(i));

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        DropWriter();
        return ValueTask.CompletedTask;
    }
}
