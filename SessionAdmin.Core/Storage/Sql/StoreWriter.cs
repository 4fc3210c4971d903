using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace SessionAdmin.Core.Storage.Sql;

/// <summary>
/// The store's one writer connection. Commits come from one thread (the manager's commit queue), so one connection
/// serves them all, with its prepared statements. A broken connection (file gone, disk full, server restarted) is
/// dropped and reopened by the next transaction, so the store recovers by itself.
/// </summary>
internal sealed class StoreWriter(StoreDialect dialect)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DbCommand> _prepared = new(StringComparer.Ordinal);
    private DbConnection? _connection;
    private SqliteStatements? _sqlite;

    /// <summary>Runs <paramref name="work"/> in one transaction and commits it.</summary>
    public void InTransaction(Action<WriterTransaction> work)
    {
        try { dialect.EnsurePresent(); }
        catch { Drop(); throw; }
        for (var attempt = 0; ; attempt++)
        {
            var conn = Connection();
            var committing = false;
            try
            {
                using var tx = conn.BeginTransaction();
                var writer = new WriterTransaction(conn, tx, _prepared, _sqlite);
                work(writer);
                writer.Flush();
                committing = true;
                tx.Commit();
                return;
            }
            catch (Exception ex) when (attempt == 0 && !committing && CutConnections.IsCut(conn, ex))
            {
                // Cut before COMMIT: the server rolled the transaction back, so it runs once more on a new connection.
                // A cut during COMMIT is not retried: whether it committed is unknown, and an increment must not count twice.
                Drop();
            }
            catch
            {
                Drop();
                throw;
            }
        }
    }

    /// <summary>
    /// Closes the connection and forgets its statements; the pool goes too, as its connections may share the writer's
    /// fate (cut by the server, or holding a SQLite file that was replaced).
    /// </summary>
    public void Drop()
    {
        lock (_gate)
        {
            foreach (var cmd in _prepared.Values) cmd.Dispose();
            _prepared.Clear();
            _sqlite?.Dispose();
            _sqlite = null;
            _connection?.Dispose();
            _connection = null;
            dialect.ClearPool();
        }
    }

    private DbConnection Connection()
    {
        lock (_gate)
        {
            if (_connection is not null) return _connection;
            _connection = dialect.Open();
            if (_connection is SqliteConnection sqlite) _sqlite = new SqliteStatements(sqlite);
            return _connection;
        }
    }
}
