using System.Data.Common;

namespace SessionAdmin.Core.Storage.Sql;

/// <summary>
/// One transaction of the store's single writer. Statements of fixed text are prepared once on the writer's
/// connection and reused (re-preparing SQL per commit was the hot cost); one-off text runs as a plain command.
/// </summary>
internal sealed class WriterTransaction(DbConnection connection, DbTransaction transaction, Dictionary<string, DbCommand> prepared)
{
    public int Execute(string sql, params (string Name, object? Value)[] args) => Prepared(sql, args).ExecuteNonQuery();

    public object? Scalar(string sql, params (string Name, object? Value)[] args) => Prepared(sql, args).ExecuteScalar();

    public DbDataReader Reader(string sql, params (string Name, object? Value)[] args) => Prepared(sql, args).ExecuteReader();

    /// <summary>A command not kept prepared (text built for this call); the caller disposes it.</summary>
    public DbCommand OneOff(string sql, params (string Name, object? Value)[] args) => SqlCommands.Create(connection, transaction, sql, args);

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
