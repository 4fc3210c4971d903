using System.Data.Common;

namespace SessionAdmin.Core.Storage.Sql;

/// <summary>
/// One transaction of the store's single writer. Statements of fixed text are prepared once on the writer's
/// connection and reused (re-preparing SQL per commit was the hot cost); one-off text runs as a plain command.
/// Statements whose answer nobody reads (<see cref="Send"/>) travel together in one round trip where the provider
/// batches (PostgreSQL): a group commit of 16 logins was 35 round trips on one connection, one after the other. On
/// SQLite the fixed statements run through the raw API (<see cref="SqliteStatements"/>).
/// </summary>
internal sealed class WriterTransaction(DbConnection connection, DbTransaction transaction, Dictionary<string, DbCommand> prepared,
    SqliteStatements? sqlite)
{
    private DbBatch? _pending;

    /// <summary>Runs a statement whose answer is not needed: now, or with the next statement that has one (or the commit).</summary>
    public void Send(string sql, params (string Name, object? Value)[] args)
    {
        if (sqlite is not null)
        {
            sqlite.Execute(sql, args);
            return;
        }
        _pending ??= CreateBatch();
        var cmd = _pending.CreateBatchCommand();
        cmd.CommandText = sql;
        SqlCommands.Bind(cmd.Parameters, cmd.CreateParameter, args);
        _pending.BatchCommands.Add(cmd);
    }

    /// <summary>Runs a statement now (after what was sent before it); how many rows it changed.</summary>
    public int Execute(string sql, params (string Name, object? Value)[] args)
    {
        Flush();
        return sqlite?.Execute(sql, args) ?? Prepared(sql, args).ExecuteNonQuery();
    }

    public object? Scalar(string sql, params (string Name, object? Value)[] args)
    {
        Flush();
        return sqlite is not null ? sqlite.Scalar(sql, args) : Prepared(sql, args).ExecuteScalar();
    }

    public DbDataReader Reader(string sql, params (string Name, object? Value)[] args)
    {
        Flush();
        return Prepared(sql, args).ExecuteReader();
    }

    /// <summary>A command not kept prepared (text built for this call); the caller disposes it.</summary>
    public DbCommand OneOff(string sql, params (string Name, object? Value)[] args)
    {
        Flush();
        return SqlCommands.Create(connection, transaction, sql, args);
    }

    /// <summary>Runs what was sent and not yet run; called before the commit.</summary>
    public void Flush()
    {
        if (_pending is null) return;
        using var batch = _pending;
        _pending = null;
        batch.ExecuteNonQuery();
    }

    private DbBatch CreateBatch()
    {
        var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        return batch;
    }

    private DbCommand Prepared(string sql, (string Name, object? Value)[] args)
    {
        if (!prepared.TryGetValue(sql, out var cmd))
        {
            cmd = SqlCommands.Create(connection, null, sql, args);
            prepared[sql] = cmd;
        }
        cmd.Transaction = transaction;
        foreach (var (name, value) in args) cmd.Parameters[name].Value = value ?? DBNull.Value;
        return cmd;
    }
}
