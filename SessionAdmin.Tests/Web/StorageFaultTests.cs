using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Web;

/// <summary>Storage faults: requests that need the store answer 503, nothing is half-written, and the app recovers by itself.</summary>
public sealed class StorageFaultTests : IAsyncLifetime
{
    private readonly TempDatabase _db = new();
    private readonly WebAppFactory _app;
    private readonly HttpClient _client;

    public StorageFaultTests()
    {
        // A one-second busy timeout keeps the lock test short.
        _app = new WebAppFactory(_db, b => b.UseSetting("ConnectionStrings:Sessions", _db.ConnectionString + ";Default Timeout=1"));
        _client = _app.Client();
    }

    private async Task<string> LoginAsync()
    {
        using var response = await _client.Get("/login");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.SessionCookie()!;
    }

    private async Task<string> SecretAsync(string cookie) => await (await _client.Get("/secret", cookie)).BodyAsync();

    [Fact]
    public async Task A_database_locked_past_the_busy_timeout_answers_503_and_recovers()
    {
        var cookie = await LoginAsync();
        await using (var blocker = new SqliteConnection(_db.ConnectionString + ";Pooling=False"))
        {
            blocker.Open();
            await using var begin = blocker.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();

            using var locked = await _client.Get("/login");

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
        var backup = _db.FilePath + ".bak";
        await using (var source = new SqliteConnection(_db.ConnectionString))
        await using (var target = new SqliteConnection($"Data Source={backup}"))
        {
            source.Open();
            target.Open();
            source.BackupDatabase(target);
        }
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_db.FilePath + suffix);

        using var gone = await _client.Get("/login");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, gone.StatusCode);
        Assert.Null(gone.SessionCookie());

        File.Copy(backup, _db.FilePath);
        File.Delete(backup);
        Assert.Equal("The cake is a lie!", await SecretAsync(await LoginAsync()));
        Assert.Equal("The cake is a lie!", await SecretAsync(cookie));
    }

    [Fact]
    public async Task A_read_only_database_answers_503_and_recovers_when_writable_again()
    {
        var cookie = await LoginAsync();
        // The database and its WAL, not the shared-memory file: SQLite maps that one, and a write to it would be a SIGBUS.
        var files = new[] { "", "-wal" }.Select(s => _db.FilePath + s).Where(File.Exists).ToList();
        Chattr("+i", files);
        try
        {
            using var readOnly = await _client.Get("/login");
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

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _db.Dispose();
    }
}
