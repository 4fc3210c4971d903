using Microsoft.Data.Sqlite;
using Npgsql;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>
/// A store the build must not touch stops the start with one message naming it: a damaged SQLite file is never
/// replaced by a new database, and a schema migrated by a newer version is never served by an older one.
/// </summary>
public sealed class StoreStartupTests : IDisposable
{
    private const string FutureMigration = "29991231000000_FromTheFuture";
    private readonly TempDatabase _file = new();

    private async Task FillAsync(int sessions)
    {
        await using var store = new Sessions(new SessionsConfig { Cookie = "sid" });
        store.UseDatabase(EfSessionDatabase.ForSqlite(_file.ConnectionString));
        for (var i = 0; i < sessions; i++)
        {
            var request = new FakeRequest();
            store.Start(request.Context).Set("padding", new string('x', 500));
            await request.CompleteAsync();
        }
    }

    [Fact]
    public void A_file_of_garbage_is_refused_and_left_as_it_was()
    {
        var garbage = new byte[64 * 1024];
        Random.Shared.NextBytes(garbage);
        File.WriteAllBytes(_file.FilePath, garbage);

        var error = Assert.Throws<SessionStoreException>(() => EfSessionDatabase.ForSqlite(_file.ConnectionString));

        Assert.Contains(_file.FilePath, error.Message);
        Assert.Contains("not a SQLite header", error.Message);
        Assert.Equal(garbage, File.ReadAllBytes(_file.FilePath));
    }

    [Fact]
    public async Task A_truncated_file_is_refused_and_left_as_it_was()
    {
        await FillAsync(200);
        SqliteConnection.ClearAllPools();
        var whole = new FileInfo(_file.FilePath).Length;
        using (var stream = File.OpenWrite(_file.FilePath)) stream.SetLength(whole / 2);

        var error = Assert.Throws<SessionStoreException>(() => EfSessionDatabase.ForSqlite(_file.ConnectionString));

        Assert.Contains(_file.FilePath, error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.Equal(whole / 2, new FileInfo(_file.FilePath).Length);
    }

    [Fact]
    public async Task A_whole_file_opens_with_its_sessions()
    {
        await FillAsync(3);
        SqliteConnection.ClearAllPools();

        await using var store = EfSessionDatabase.ForSqlite(_file.ConnectionString);

        Assert.Equal(3, await store.CountAsync(DateTime.UtcNow, CancellationToken.None));
    }

    [Fact]
    public async Task A_sqlite_store_migrated_by_a_newer_version_is_refused()
    {
        await FillAsync(1);
        using (var conn = new SqliteConnection(_file.ConnectionString))
        {
            conn.Open();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = $"INSERT INTO __EFMigrationsHistory (MigrationId, ProductVersion) VALUES ('{FutureMigration}', '99.0.0')";
            cmd.ExecuteNonQuery();
        }

        var error = Assert.Throws<SessionStoreException>(() => EfSessionDatabase.ForSqlite(_file.ConnectionString));

        Assert.Contains(_file.FilePath, error.Message);
        Assert.Contains($"newer version of SessionAdmin ({FutureMigration})", error.Message);
    }

    [Fact]
    [Trait("Needs", "PostgreSQL")]
    public async Task A_postgres_store_migrated_by_a_newer_version_is_refused()
    {
        await using var database = await PostgresTestServer.CreateDatabaseAsync();
        await using (var conn = new NpgsqlConnection(database.ConnectionString))
        {
            await conn.OpenAsync(TestContext.Current.CancellationToken);
            await using var cmd = new NpgsqlCommand(
                $"INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('{FutureMigration}', '99.0.0')", conn);
            await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var error = Assert.Throws<SessionStoreException>(() => EfSessionDatabase.ForPostgres(database.ConnectionString));

        Assert.Contains(database.Name, error.Message);
        Assert.Contains(FutureMigration, error.Message);
    }

    [Fact]
    [Trait("Needs", "PostgreSQL")]
    public async Task Nodes_starting_together_on_a_new_postgres_database_migrate_it_once_and_all_start()
    {
        var name = $"t_{Guid.NewGuid():N}";
        await PostgresTestServer.ExecuteAsync($"CREATE DATABASE {name}");
        await using var database = new TempPostgresDatabase(name, PostgresTestServer.ConnectionStringFor(name));
        using var go = new ManualResetEventSlim();

        // A rolling deploy's first start: every node finds every migration pending.
        var nodes = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            go.Wait(TestContext.Current.CancellationToken);
            return EfSessionDatabase.ForPostgres(database.ConnectionString);
        }, TestContext.Current.CancellationToken)).ToList();
        go.Set();
        var stores = await Task.WhenAll(nodes);

        foreach (var store in stores) await store.DisposeAsync();
    }

    [Fact]
    public async Task The_app_on_a_damaged_file_exits_with_one_line_naming_it()
    {
        File.WriteAllText(_file.FilePath, "these are not the sessions you are looking for");

        var (exitCode, output) = await AppProcess.RunToExitAsync(_file);

        Assert.Equal(1, exitCode);
        var fatal = Assert.Single(output, l => l.Contains("FTL", StringComparison.Ordinal));
        Assert.Contains($"SessionAdmin.Web cannot start: The session database {_file.FilePath} cannot be used", fatal);
        Assert.DoesNotContain(output, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    public void Dispose() => _file.Dispose();
}
