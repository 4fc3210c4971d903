using E = SessionAdmin.Core.Storage.Schema.Entries;
using S = SessionAdmin.Core.Storage.Schema.Sessions;

namespace SessionAdmin.Core.Storage.Sql;

/// <summary>
/// The new sessions of one group commit on PostgreSQL as two statements over arrays (<c>unnest</c>), whatever their
/// number: the rows, then their values. One statement per session and value cost the server a plan start, a snapshot
/// and a protocol round of its own each — in a login storm most of its work, and all of it on the writer's one
/// connection, which every waiting login queues behind.
/// </summary>
internal static class PostgresBulkInserts
{
    private const string InsertSessionsSql =
        $"INSERT INTO {S.Table} ({S.Id}, {S.CreatedTicks}, {S.LastAccessTicks}, {S.ExpiresTicks}, {S.IdleDeadlineTicks}, {S.RemoteIp}, {S.UserAgent}, " +
        $"{S.ValueCount}, {S.ValueBytes}, {S.Version}, {S.Principal}) " +
        "SELECT id, created, access, expires, idle, ip, ua, count, bytes, 1, principal " +
        "FROM unnest(@id, @created, @access, @expires, @idle, @ip, @ua, @count, @bytes, @principal) " +
        "AS u(id, created, access, expires, idle, ip, ua, count, bytes, principal)";

    private const string InsertEntriesSql =
        $"INSERT INTO {E.Table} ({E.SessionId}, {E.Kind}, {E.Key}, {E.Seq}, {E.TypeTag}, {E.Payload}, {E.Immutable}, {E.FlashRead}) " +
        "SELECT * FROM unnest(@id, @kind, @key, @seq, @tag, @payload, @immutable, @read)";

    // A new session with values to add and nothing else (no delete, clear, removal or increment): it has no rows yet,
    // so its values cannot conflict.
    private static bool IsPlainInsert(SessionWrite w) =>
        w is { Insert: not null, Delete: false, ClearValues: false, ClearFlashes: false, Deletes.Count: 0 } && w.Upserts.TrueForAll(u => u.Delta is null);

    /// <summary>
    /// Inserts the plain new sessions among <paramref name="writes"/> and their values; which writes it took, or null
    /// when there were fewer than two (one statement each is as cheap then).
    /// </summary>
    public static bool[]? Insert(WriterTransaction tx, IReadOnlyList<SessionWrite> writes)
    {
        var taken = new bool[writes.Count];
        var fresh = new List<SessionWrite>();
        for (var i = 0; i < writes.Count; i++)
        {
            if (!IsPlainInsert(writes[i])) continue;
            taken[i] = true;
            fresh.Add(writes[i]);
        }
        if (fresh.Count < 2) return null;
        InsertAll(tx, fresh);
        return taken;
    }

    private static void InsertAll(WriterTransaction tx, List<SessionWrite> fresh)
    {
        var sessions = fresh.Select(w => w.Insert!).ToArray();
        tx.Send(InsertSessionsSql,
            ("@id", fresh.Select(w => w.Id).ToArray()),
            ("@created", sessions.Select(s => s.CreatedUtc.Ticks).ToArray()),
            ("@access", sessions.Select(s => s.LastAccessUtc.Ticks).ToArray()),
            ("@expires", sessions.Select(s => s.ExpiresAtUtc?.Ticks).ToArray()),
            ("@idle", sessions.Select(s => s.IdleDeadlineUtc?.Ticks).ToArray()),
            ("@ip", sessions.Select(s => s.RemoteIp).ToArray()),
            ("@ua", sessions.Select(s => s.UserAgent).ToArray()),
            ("@count", fresh.Select(w => w.ValueCount).ToArray()),
            ("@bytes", fresh.Select(w => w.ValueBytes).ToArray()),
            ("@principal", fresh.Select(w => w.Principal).ToArray()));

        var entries = fresh.SelectMany(w => w.Upserts.Select(e => (w.Id, Entry: e))).ToArray();
        if (entries.Length == 0) return;
        tx.Send(InsertEntriesSql,
            ("@id", entries.Select(x => x.Id).ToArray()),
            ("@kind", entries.Select(x => (int)x.Entry.Kind).ToArray()),
            ("@key", entries.Select(x => x.Entry.Key).ToArray()),
            ("@seq", entries.Select(x => x.Entry.Seq).ToArray()),
            ("@tag", entries.Select(x => x.Entry.TypeTag).ToArray()),
            ("@payload", entries.Select(x => x.Entry.Payload).ToArray()),
            ("@immutable", entries.Select(x => x.Entry.Immutable).ToArray()),
            ("@read", entries.Select(x => x.Entry.FlashRead).ToArray()));
    }
}
