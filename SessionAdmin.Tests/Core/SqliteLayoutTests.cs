using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using SessionAdmin.Core;
using SessionAdmin.Core.Storage;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>
/// The SQLite file's layout that EF Core's model cannot say: a session's values are stored WITHOUT ROWID (one B-tree
/// per value written, not two), and a store written before that layout keeps every value through the rebuild.
/// </summary>
public sealed class SqliteLayoutTests : IDisposable
{
    private const string LayoutBeforeTheRebuild = "20261130102803_Principals";
    private readonly TempDatabase _file = new();

    [Fact]
    public async Task A_new_store_keeps_its_values_without_a_rowid()
    {
        await EfSessionDatabase.ForSqlite(_file.ConnectionString).DisposeAsync();

        Assert.EndsWith("WITHOUT ROWID", EntriesTableSql());
    }

    [Fact]
    public async Task A_store_written_before_the_rebuild_keeps_every_value_and_flash()
    {
        var cookie = await WriteSessionAsync();
        MigrateTo(LayoutBeforeTheRebuild);
        Assert.DoesNotContain("WITHOUT ROWID", EntriesTableSql());

        await using var sessions = new Sessions(new SessionsConfig { Cookie = "sid" });
        sessions.UseDatabase(EfSessionDatabase.ForSqlite(_file.ConnectionString));
        var session = sessions.Start(new FakeRequest($"sid={cookie}").Context);

        Assert.EndsWith("WITHOUT ROWID", EntriesTableSql());
        Assert.Equal("alice", session.GetString("user"));
        Assert.Equal(42, session.GetInt("answer"));
        Assert.Equal("ünïcode ✓", session.GetString("fixed"));
        Assert.Equal("saved", session.GetFlash("notice"));
    }

    private async Task<string> WriteSessionAsync()
    {
        await using var sessions = new Sessions(new SessionsConfig { Cookie = "sid" });
        sessions.UseDatabase(EfSessionDatabase.ForSqlite(_file.ConnectionString));
        var request = new FakeRequest();
        var session = sessions.Start(request.Context);
        session.Set("user", "alice");
        session.Set("answer", 42);
        session.SetImmutable("fixed", "ünïcode ✓");
        session.SetFlash("notice", "saved");
        var exchange = await request.CompleteAsync();
        return exchange.CookieValue("sid")!;
    }

    private void MigrateTo(string migration)
    {
        SqliteConnection.ClearAllPools();
        using var ctx = new SessionDbContext(new DbContextOptionsBuilder<SessionDbContext>().UseSqlite(_file.ConnectionString).Options);
        ctx.GetService<IMigrator>().Migrate(migration);
    }

    private string EntriesTableSql()
    {
        using var conn = new SqliteConnection(_file.ConnectionString);
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'session_entries'";
        return (string)cmd.ExecuteScalar()!;
    }

    public void Dispose() => _file.Dispose();
}
