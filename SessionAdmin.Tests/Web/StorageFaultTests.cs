using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Web;

/// <summary>Storage faults: requests that need the store answer 503, nothing is half-written, and the app recovers by itself.</summary>
// A one-second busy timeout keeps the lock test short.
public sealed class StorageFaultTests() : WebAppTest((b, db) => b.UseSetting("ConnectionStrings:Sessions", db.ConnectionString + ";Default Timeout=1"))
{
    private async Task<string> LoginAsync()
    {
        using var response = await Client.Get("/login");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.SessionCookie()!;
    }

    private async Task<string> SecretAsync(string cookie) => await (await Client.Get("/secret", cookie)).BodyAsync();

    [Fact]
    public async Task A_database_locked_past_the_busy_timeout_answers_503_and_recovers()
    {
        var cookie = await LoginAsync();
        await using (var blocker = new SqliteConnection(Db.ConnectionString + ";Pooling=False"))
        {
            blocker.Open();
            await using var begin = blocker.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();

            using var locked = await Client.Get("/login");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, locked.StatusCode);
            Assert.Null(locked.SessionCookie());
            Assert.Equal("The cake is a lie!", await SecretAsync(cookie));
        }

        Assert.Equal("The cake is a lie!", await SecretAsync(await LoginAsync()));
    }

    [Fact]
    public async Task A_deleted_database_answers_503_until_it_is_restored()
    {
        var cookie = await LoginAsync();
        var backup = Db.FilePath + ".bak";
        await using (var source = new SqliteConnection(Db.ConnectionString))
        await using (var target = new SqliteConnection($"Data Source={backup}"))
        {
            source.Open();
            target.Open();
            source.BackupDatabase(target);
        }
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(Db.FilePath + suffix);

        using var gone = await Client.Get("/login");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, gone.StatusCode);
        Assert.Null(gone.SessionCookie());

        File.Copy(backup, Db.FilePath);
        File.Delete(backup);
        Assert.Equal("The cake is a lie!", await SecretAsync(await LoginAsync()));
        Assert.Equal("The cake is a lie!", await SecretAsync(cookie));
    }

    [Fact]
    public async Task A_read_only_database_answers_503_and_recovers_when_writable_again()
    {
        var cookie = await LoginAsync();
        // The database and its WAL, not the shared-memory file: SQLite maps that one, and a write to it would be a SIGBUS.
        var files = new[] { "", "-wal" }.Select(s => Db.FilePath + s).Where(File.Exists).ToList();
        Chattr("+i", files);
        try
        {
            using var readOnly = await Client.Get("/login");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, readOnly.StatusCode);
            Assert.Equal("The cake is a lie!", await SecretAsync(cookie));
        }
        finally
        {
            Chattr("-i", files);
        }

        Assert.Equal("The cake is a lie!", await SecretAsync(await LoginAsync()));
    }

    // The immutable attribute makes a file read-only even for root (who ignores permission bits).
    private static void Chattr(string flag, IEnumerable<string> files)
    {
        var start = new ProcessStartInfo("chattr") { RedirectStandardError = true };
        start.ArgumentList.Add(flag);
        foreach (var f in files) start.ArgumentList.Add(f);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
    }

}
