using Microsoft.Data.Sqlite;
using SessionAdmin.Core.Storage.Sql;

namespace SessionAdmin.Tests.Core;

/// <summary>The SQLite writer's raw statements store what Microsoft.Data.Sqlite would, and fail as it would.</summary>
public sealed class SqliteStatementsTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly SqliteStatements _statements;

    public SqliteStatementsTests()
    {
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, n INTEGER, b INTEGER, d REAL, bytes BLOB, missing TEXT)";
        create.ExecuteNonQuery();
        _statements = new SqliteStatements(_connection);
    }

    public void Dispose()
    {
        _statements.Dispose();
        _connection.Dispose();
    }

    private const string Insert = "INSERT INTO t (id, s, n, b, d, bytes, missing) VALUES (@id, @s, @n, @b, @d, @bytes, @missing)";

    [Fact]
    public void Values_are_stored_as_Microsoft_Data_Sqlite_stores_them()
    {
        _statements.Execute(Insert, [("@id", 1L), ("@s", "ünïcødé 🍰"), ("@n", 42), ("@b", true), ("@d", 2.5), ("@bytes", new byte[] { 1, 2, 3 }), ("@missing", null)]);

        using var read = _connection.CreateCommand();
        read.CommandText = "SELECT s, typeof(s), n, typeof(n), b, d, bytes, missing IS NULL FROM t WHERE id = 1";
        using var row = read.ExecuteReader();
        Assert.True(row.Read());
        Assert.Equal(("ünïcødé 🍰", "text", 42L, "integer", 1L, 2.5, "010203", 1L),
            (row.GetString(0), row.GetString(1), row.GetInt64(2), row.GetString(3), row.GetInt64(4), row.GetDouble(5), Convert.ToHexString((byte[])row[6]), row.GetInt64(7)));
    }

    [Fact]
    public void A_statement_runs_again_with_new_values()
    {
        _statements.Execute(Insert, [("@id", 1L), ("@s", "a"), ("@n", 1), ("@b", false), ("@d", 0.0), ("@bytes", null), ("@missing", null)]);
        _statements.Execute(Insert, [("@id", 2L), ("@s", "b"), ("@n", 2), ("@b", false), ("@d", 0.0), ("@bytes", null), ("@missing", null)]);

        Assert.Equal(2L, _statements.Scalar("SELECT count(*) FROM t WHERE s IN (@x, @y)", [("@x", "a"), ("@y", "b")]));
    }

    [Fact]
    public void Execute_answers_how_many_rows_changed()
    {
        _statements.Execute(Insert, [("@id", 1L), ("@s", "a"), ("@n", 1), ("@b", false), ("@d", 0.0), ("@bytes", null), ("@missing", null)]);

        Assert.Equal(1, _statements.Execute("UPDATE t SET n = n + 1 WHERE s = @s", [("@s", "a")]));
        Assert.Equal(0, _statements.Execute("UPDATE t SET n = n + 1 WHERE s = @s", [("@s", "nobody")]));
    }

    [Fact]
    public void Scalar_of_an_update_returning_gives_the_new_value_and_keeps_the_change()
    {
        _statements.Execute(Insert, [("@id", 1L), ("@s", "a"), ("@n", 1), ("@b", false), ("@d", 0.0), ("@bytes", null), ("@missing", null)]);

        Assert.Equal(2L, _statements.Scalar("UPDATE t SET n = n + 1 WHERE id = @id RETURNING n", [("@id", 1L)]));
        Assert.Equal(2L, _statements.Scalar("SELECT n FROM t WHERE id = @id", [("@id", 1L)]));
    }

    [Fact]
    public void Scalar_without_a_row_is_null()
    {
        Assert.Null(_statements.Scalar("UPDATE t SET n = 0 WHERE id = @id RETURNING n", [("@id", 99L)]));
    }

    [Fact]
    public void A_constraint_violation_throws_a_SqliteException_and_the_statement_stays_usable()
    {
        _statements.Execute(Insert, [("@id", 1L), ("@s", "a"), ("@n", 1), ("@b", false), ("@d", 0.0), ("@bytes", null), ("@missing", null)]);

        var ex = Assert.Throws<SqliteException>(() =>
            _statements.Execute(Insert, [("@id", 1L), ("@s", "b"), ("@n", 1), ("@b", false), ("@d", 0.0), ("@bytes", null), ("@missing", null)]));
        _statements.Execute(Insert, [("@id", 2L), ("@s", "c"), ("@n", 1), ("@b", false), ("@d", 0.0), ("@bytes", null), ("@missing", null)]);

        Assert.Equal(19, ex.SqliteErrorCode);  // SQLITE_CONSTRAINT
        Assert.Equal(2L, _statements.Scalar("SELECT count(*) FROM t", []));
    }
}
