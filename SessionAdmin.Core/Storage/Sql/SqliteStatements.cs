using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace SessionAdmin.Core.Storage.Sql;

/// <summary>
/// The SQLite writer's statements through SQLitePCL's raw API: prepared once per connection, parameters bound by
/// position. Microsoft.Data.Sqlite, per execute, looks every parameter up by name, allocates a binder for each and
/// opens a data reader even for an INSERT — a quarter of what a login storm allocated, on the one thread all commits
/// wait for. Failures surface as <see cref="SqliteException"/>, as they did through Microsoft.Data.Sqlite, and the
/// connection's busy timeout applies alike.
/// </summary>
internal sealed class SqliteStatements(SqliteConnection connection) : IDisposable
{
    private sealed record Prepared(sqlite3_stmt Statement, int[] Positions);

    private readonly Dictionary<string, Prepared> _prepared = new(StringComparer.Ordinal);

    /// <summary>Runs a statement; how many rows it changed.</summary>
    public int Execute(string sql, (string Name, object? Value)[] args)
    {
        var statement = Bind(sql, args);
        try
        {
            var rc = raw.sqlite3_step(statement);
            while (rc == raw.SQLITE_ROW) rc = raw.sqlite3_step(statement);
            Check(rc);
            return raw.sqlite3_changes(connection.Handle);
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    /// <summary>Runs a statement; the first column of its first row (null when it has none).</summary>
    public object? Scalar(string sql, (string Name, object? Value)[] args)
    {
        var statement = Bind(sql, args);
        try
        {
            var rc = raw.sqlite3_step(statement);
            if (rc != raw.SQLITE_ROW)
            {
                Check(rc);
                return null;
            }
            object? value = raw.sqlite3_column_type(statement, 0) switch
            {
                raw.SQLITE_INTEGER => raw.sqlite3_column_int64(statement, 0),
                raw.SQLITE_FLOAT => raw.sqlite3_column_double(statement, 0),
                raw.SQLITE_TEXT => raw.sqlite3_column_text(statement, 0).utf8_to_string(),
                raw.SQLITE_BLOB => raw.sqlite3_column_blob(statement, 0).ToArray(),
                _ => null,
            };
            // A RETURNING statement makes its changes in the first step; the rest runs it to completion.
            while (rc == raw.SQLITE_ROW) rc = raw.sqlite3_step(statement);
            Check(rc);
            return value;
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    private sqlite3_stmt Bind(string sql, (string Name, object? Value)[] args)
    {
        if (!_prepared.TryGetValue(sql, out var prepared))
        {
            Check(raw.sqlite3_prepare_v3(connection.Handle, sql, raw.SQLITE_PREPARE_PERSISTENT, out var statement, out _));
            // The positions of the names in the order this SQL's callers pass them (every caller of a text passes the same).
            var positions = args.Select(a => raw.sqlite3_bind_parameter_index(statement, a.Name)).ToArray();
            prepared = new Prepared(statement, positions);
            _prepared[sql] = prepared;
        }
        var stmt = prepared.Statement;
        for (var i = 0; i < args.Length; i++)
        {
            var position = prepared.Positions[i];
            if (position == 0) continue;  // a name this statement does not use
            Check(args[i].Value switch
            {
                null or DBNull => raw.sqlite3_bind_null(stmt, position),
                string s => raw.sqlite3_bind_text16(stmt, position, s),
                long l => raw.sqlite3_bind_int64(stmt, position, l),
                int n => raw.sqlite3_bind_int64(stmt, position, n),
                bool b => raw.sqlite3_bind_int64(stmt, position, b ? 1 : 0),
                double d => raw.sqlite3_bind_double(stmt, position, d),
                byte[] bytes => raw.sqlite3_bind_blob(stmt, position, bytes),
                var other => throw new NotSupportedException($"No SQLite binding for {other.GetType()}."),
            });
        }
        return stmt;
    }

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW)) SqliteException.ThrowExceptionForRC(rc, connection.Handle);
    }

    /// <summary>Finalizes the statements (before the connection closes or returns to its pool).</summary>
    public void Dispose()
    {
        foreach (var prepared in _prepared.Values) prepared.Statement.Dispose();
        _prepared.Clear();
    }
}
