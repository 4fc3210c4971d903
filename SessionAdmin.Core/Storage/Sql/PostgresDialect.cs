using SessionAdmin.Core.Peers;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SessionAdmin.Core.Storage.Sql;

/// <summary>
/// PostgreSQL: one database shared by several app nodes. Each commit tells the other nodes what it changed (NOTIFY,
/// sent with the transaction), batch deletes claim rows with SKIP LOCKED, and a principal's limit is counted under
/// its advisory lock.
/// </summary>
internal sealed class PostgresDialect : StoreDialect
{
    private readonly NpgsqlDataSource _dataSource, _listenerSource;
    private readonly DbContextOptions<PostgresSessionDbContext> _contextOptions;
    private readonly PostgresPeers _peers;

    private PostgresDialect(string connectionString, DbContextOptions<PostgresSessionDbContext> contextOptions)
    {
        _contextOptions = contextOptions;
        _dataSource = NpgsqlDataSource.Create(connectionString);
        // LISTEN on connections of their own: no pooled connection ever carries a LISTEN.
        _listenerSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        _peers = new PostgresPeers(_dataSource, _listenerSource);
    }

    /// <summary>Migrates the database of <paramref name="connectionString"/>, one node at a time.</summary>
    /// <exception cref="SessionStoreException">A newer version of SessionAdmin migrated the database.</exception>
    public static PostgresDialect Open(string connectionString)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        // The hot path is a handful of statements: let Npgsql keep them prepared on the server, and return a pooled
        // connection without resetting it (DISCARD ALL is a round trip on every request's read, and drops those prepared
        // statements). The store leaves nothing on a connection to reset: no SET, no temporary tables, advisory locks end
        // with their transaction, and the listener's connection is not pooled.
        if (csb.MaxAutoPrepare == 0) csb.MaxAutoPrepare = 32;
        csb.NoResetOnClose = true;
        var cs = csb.ConnectionString;
        var options = new DbContextOptionsBuilder<PostgresSessionDbContext>().UseNpgsql(cs).Options;
        MigrateAlone(cs, () =>
        {
            using var ctx = new PostgresSessionDbContext(options);
            StoreStartupChecks.Migrate(ctx, $"{csb.Host}:{csb.Port}/{csb.Database}");
        });
        return new PostgresDialect(cs, options);
    }

    // Nodes starting together on a new database each found every migration pending and ran it: the second failed
    // ("column principal already exists"). One migrates under a session-level advisory lock; the others wait for it,
    // then find nothing left to do.
    // A principal never holds a NUL (Set refuses it): this lock is nobody's principal.
    private const string MigrationsLock = "\0migrations";

    private static void MigrateAlone(string connectionString, Action migrate)
    {
        using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        conn.Open();
        using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", conn)) { take.Parameters.AddWithValue("key", LockKey(MigrationsLock)); take.ExecuteNonQuery(); }
        try
        {
            migrate();
        }
        finally
        {
            using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", conn);
            release.Parameters.AddWithValue("key", LockKey(MigrationsLock));
            release.ExecuteNonQuery();
        }
    }

    public override DbConnection Open() => _dataSource.OpenConnection();

    public override void ClearPool() => _dataSource.Clear();

    public override SessionDbContext CreateContext() => new PostgresSessionDbContext(_contextOptions);

    public override string ClaimClause => " FOR UPDATE SKIP LOCKED";

    public override ISessionPeers Peers => _peers;

    // Before anything is written: each principal's advisory lock, in one global order (so two nodes never deadlock),
    // held to the commit. A node counting a principal's sessions after its lock sees every session the other nodes
    // committed before it: the limit holds cluster-wide.
    public override void LockPrincipals(WriterTransaction tx, IEnumerable<string> principals)
    {
        foreach (var key in principals.Select(LockKey).Distinct().Order()) tx.Send("SELECT pg_advisory_xact_lock(@key)", ("@key", key));
    }

    public override bool[]? InsertNewInBulk(WriterTransaction tx, IReadOnlyList<SessionWrite> writes) => PostgresBulkInserts.Insert(tx, writes);

    // PostgreSQL delivers the message only if, and when, the transaction commits.
    public override void Notify(WriterTransaction tx, IEnumerable<PeerChange> changes)
    {
        var list = changes.ToList();
        if (list.Count == 0) return;
        foreach (var message in new PeerChangeBatch(_peers.NodeId, DateTime.UtcNow, list).Encode())
            tx.Send($"SELECT pg_notify('{PostgresPeers.Channel}', @message)", ("@message", message));
    }

    private static long LockKey(string name) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("sessionadmin:" + name)));

    public override async ValueTask DisposeAsync()
    {
        _peers.Dispose();
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await _listenerSource.DisposeAsync().ConfigureAwait(false);
    }
}
