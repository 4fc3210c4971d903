using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core;

// PostgreSQL: one database shared by several app nodes. Each commit tells the other nodes what it changed
// (NOTIFY, sent with the transaction), batch deletes claim rows with SKIP LOCKED, increments add in the database.
public sealed partial class EfSessionDatabase
{
    /// <summary>The notification channel the nodes of one database talk on.</summary>
    public const string PeerChannel = "sessionadmin_changes";

    private NpgsqlDataSource? _dataSource, _listenerSource;
    private PostgresPeers? _peers;

    /// <inheritdoc />
    public ISessionPeers? Peers => _peers;

    /// <summary>
    /// A store on the PostgreSQL database of <paramref name="connectionString"/>, which several app nodes may share:
    /// applies the migrations (EF Core serialises concurrent migrators), and reports every commit to the other nodes
    /// so their cached sessions stay current (<see cref="Peers"/>).
    /// </summary>
    /// <exception cref="SessionStoreException">A newer version of SessionAdmin migrated the database.</exception>
    public static EfSessionDatabase ForPostgres(string connectionString)
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
        using (var ctx = new PostgresSessionDbContext(options)) StoreStartupChecks.Migrate(ctx, $"{csb.Host}:{csb.Port}/{csb.Database}");
        var dataSource = NpgsqlDataSource.Create(cs);
        var store = new EfSessionDatabase(() => new PostgresSessionDbContext(options), dataSource.OpenConnection, " FOR UPDATE SKIP LOCKED")
        {
            _dataSource = dataSource,
        };
        store._listenerSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(cs) { Pooling = false }.ConnectionString);
        store._peers = new PostgresPeers(dataSource, store._listenerSource);
        return store;
    }

    private static IEnumerable<PeerChange> ChangesOf(IReadOnlyList<SessionWrite> writes, SessionWriteOutcome[] outcomes)
    {
        for (var i = 0; i < writes.Count; i++)
        {
            var w = writes[i];
            if (outcomes[i] == SessionWriteOutcome.Deleted) yield return new PeerChange(PeerChangeKind.Destroyed, w.Id, w.DestroyReason, w.Actor, w.DeletedPrincipal);
            else if (outcomes[i] == SessionWriteOutcome.Applied)
                yield return new PeerChange(w.Insert is null ? PeerChangeKind.Changed : PeerChangeKind.Created, w.Id);
            if (!w.HasEvictions) continue;
            foreach (var evicted in w.Evicted)
                yield return new PeerChange(PeerChangeKind.Destroyed, evicted.Id, evicted.Reason, null, evicted.Principal);
        }
    }

    // Inside the writer's transaction: PostgreSQL delivers the message only if, and when, the transaction commits.
    // A store without peers (SQLite) has nobody to tell.
    private void NotifyPeers(DbConnection conn, DbTransaction tx, IEnumerable<PeerChange> changes)
    {
        if (_peers is null) return;
        var list = changes.ToList();
        if (list.Count == 0) return;
        foreach (var message in new PeerChangeBatch(_peers.NodeId, DateTime.UtcNow, list).Encode())
            Execute(conn, tx, $"SELECT pg_notify('{PeerChannel}', @message)", ("@message", message));
    }

    // Inside the writer's transaction, before anything is written: each principal's advisory lock, in one global
    // order (so two nodes never deadlock), held to the commit. A node counting a principal's sessions after its lock
    // sees every session the other nodes committed before it: the limit holds cluster-wide. SQLite has one writer.
    private void LockPrincipals(DbConnection conn, DbTransaction tx, IEnumerable<string> names)
    {
        if (_peers is null) return;
        foreach (var key in names.Select(LockKey).Distinct().Order())
            Execute(conn, tx, "SELECT pg_advisory_xact_lock(@key)", ("@key", key));
    }

    private static long LockKey(string name) =>
        BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("sessionadmin:" + name)));

    // Reads on the pool; LISTEN on a connection of its own, so no pooled connection ever carries a LISTEN.
    private sealed class PostgresPeers(NpgsqlDataSource dataSource, NpgsqlDataSource listenerSource) : ISessionPeers
    {
        // How often the listening thread looks up from its wait to see whether the manager is stopping.
        private static readonly TimeSpan ListenPollInterval = TimeSpan.FromMilliseconds(50);

        // This node's name in the change messages: its own changes are not reported back to it.
        public string NodeId { get; } = Guid.NewGuid().ToString("N");

        // Synchronous, like the rest of the store's I/O (see Run).
        public Task<long?> VersionAsync(string id, CancellationToken cancellationToken) => Run(() =>
        {
            return CutConnections.Read(dataSource.OpenConnection, dataSource.Clear, conn =>
            {
                using var cmd = Command(conn, null, "SELECT version FROM sessions WHERE id = @id", ("@id", id));
                return cmd.ExecuteScalar() is long version ? version : (long?)null;
            });
        });

        // On a thread of its own, so notifications arrive even while the thread pool is busy.
        public Task ListenAsync(Action<PeerChangeBatch> onChanges, Action onListening, CancellationToken cancellationToken) => Task.Factory.StartNew(() =>
        {
            using var conn = listenerSource.OpenConnection();
            conn.Notification += (_, e) =>
            {
                if (e.Channel == PeerChannel && PeerChangeBatch.Decode(e.Payload) is { } batch && batch.Node != NodeId) onChanges(batch);
            };
            using (var listen = new NpgsqlCommand($"LISTEN {PeerChannel}", conn)) listen.ExecuteNonQuery();
            onListening();
            while (!cancellationToken.IsCancellationRequested) conn.Wait(ListenPollInterval);
            cancellationToken.ThrowIfCancellationRequested();
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }
}
