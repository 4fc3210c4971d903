using System.Data.Common;
using static SessionAdmin.Core.Storage.Sql.SqlCommands;
using E = SessionAdmin.Core.Storage.Schema.Entries;
using Ended = SessionAdmin.Core.Storage.Schema.Ended;
using S = SessionAdmin.Core.Storage.Schema.Sessions;

namespace SessionAdmin.Core.Storage.Sql;

/// <summary>
/// The store's reads on the hot path, on pooled connections beside the writer: a session with its entries, the live
/// count, a principal's live sessions, why a session ended. A read on a connection that was cut runs once more.
/// </summary>
internal sealed class StoreReads(StoreDialect dialect)
{
    /// <summary>Both deadlines ahead of <c>@now</c> (null: none).</summary>
    public const string LiveClause =
        $"({S.ExpiresTicks} IS NULL OR {S.ExpiresTicks} > @now) AND ({S.IdleDeadlineTicks} IS NULL OR {S.IdleDeadlineTicks} > @now)";

    /// <summary>A principal's live sessions with their persisted last access: the partial principal index answers it.</summary>
    public const string LiveOfPrincipalSql = $"SELECT {S.Id}, {S.LastAccessTicks} FROM {S.Table} WHERE {S.Principal} = @p AND {LiveClause}";

    private const string LoadSessionSql =
        $"SELECT {S.CreatedTicks}, {S.LastAccessTicks}, {S.ExpiresTicks}, {S.IdleDeadlineTicks}, {S.RemoteIp}, {S.UserAgent}, {S.Version}, {S.Principal} " +
        $"FROM {S.Table} WHERE {S.Id} = @id";

    private const string LoadEntriesSql =
        $"SELECT {E.Kind}, {E.Key}, {E.Seq}, {E.TypeTag}, {E.Payload}, {E.Immutable}, {E.FlashRead} FROM {E.Table} WHERE {E.SessionId} = @id ORDER BY {E.Seq}";

    public StoredSession? Load(string id) => Read(conn =>
    {
        SessionRecord record;
        long version;
        using (var cmd = Create(conn, null, LoadSessionSql, ("@id", id)))
        using (var r = cmd.ExecuteReader())
        {
            if (!r.Read()) return null;
            record = new SessionRecord(id, Utc(r.GetInt64(0)), Utc(r.GetInt64(1)), UtcOrNull(r, 2), UtcOrNull(r, 3),
                StringOrNull(r, 4), StringOrNull(r, 5), StringOrNull(r, 7));
            version = r.GetInt64(6);
        }
        var entries = new List<StoredEntry>();
        using (var cmd = Create(conn, null, LoadEntriesSql, ("@id", id)))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                entries.Add(new StoredEntry((SessionEntryKind)r.GetInt32(0), r.GetString(1), r.GetInt64(2), r.GetString(3),
                    StringOrNull(r, 4), r.GetBoolean(5), r.GetBoolean(6)));
            }
        }
        return new StoredSession(record, entries, version);
    });

    public long Count(DateTime nowUtc) => Read(conn =>
    {
        using var cmd = Create(conn, null, $"SELECT COUNT(*) FROM {S.Table} WHERE {LiveClause}", ("@now", nowUtc.Ticks));
        return ToInt64(cmd.ExecuteScalar()!);
    });

    public IReadOnlyList<(string Id, DateTime LastAccessUtc)> LiveOfPrincipal(string principal, DateTime nowUtc) => Read(conn =>
    {
        using var cmd = Create(conn, null, LiveOfPrincipalSql, ("@p", principal), ("@now", nowUtc.Ticks));
        return ReadIdsAndTimes(cmd);
    });

    public SessionDestroyReason? EndedReason(string id) => Read(conn =>
    {
        using var cmd = Create(conn, null, $"SELECT {Ended.Reason} FROM {Ended.Table} WHERE {Ended.Id} = @id", ("@id", id));
        return cmd.ExecuteScalar() is { } value and not DBNull ? (SessionDestroyReason?)(int)ToInt64(value) : null;
    });

    private T Read<T>(Func<DbConnection, T> read)
    {
        dialect.EnsurePresent();
        return CutConnections.Read(dialect.Open, dialect.ClearPool, read);
    }
}
