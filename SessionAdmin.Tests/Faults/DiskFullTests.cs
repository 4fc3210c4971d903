using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Faults;

/// <summary>
/// The SQLite store's disk fills up under a login storm (a small tmpfs of the test's own): commits answer 503, nothing
/// is half-written, the database stays whole, and once space is freed the app serves again by itself.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class DiskFullTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int DiskBytes = 8 * 1024 * 1024;
    private readonly string _mount = Directory.CreateTempSubdirectory("sessionadmin-disk-").FullName;
    private string Database => Path.Combine(_mount, "sessions.db");

    private static async Task RunAsync(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', args)}: {errors} (the disk-full test mounts a tmpfs: run it as root)");
    }

    private Task<AppProcess> StartAppAsync() => AppProcess.StartAsync($"Data Source={Database}", _mount + ".operators.json");

    // Fills the disk but for `spare` bytes.
    private string Fill(long spare)
    {
        var filler = Path.Combine(_mount, "filler");
        var free = new DriveInfo(_mount).AvailableFreeSpace;
        var block = new byte[16 * 1024];
        try
        {
            using var stream = File.Create(filler);
            for (long written = 0; written < free - spare; written += block.Length) stream.Write(block);
        }
        catch (IOException)
        {
            // The storm took the last bytes first: the disk is full all the same.
        }
        return filler;
    }

    [Fact]
    public async Task A_full_disk_answers_503_keeps_the_database_whole_and_recovers_when_space_is_freed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await StartAppAsync();
        await using var storm = await Storm.StartAsync(() => [app.BaseAddress], logins: 4, visitors: 2);
        await Poll.UntilAsync(() => storm.AnsweredLogins.Count > 200, TimeSpan.FromSeconds(30));
        var before = storm.AnsweredLogins.ToList();

        var filler = Fill(spare: 64 * 1024);
        await Poll.UntilAsync(() => storm.Answers.Count(a => a.Status == 503) > 100, TimeSpan.FromSeconds(60));
        File.Delete(filler);
        var freed = Stopwatch.GetTimestamp();
        await Poll.UntilAsync(() => storm.Answers.Any(a => a.At > freed && a.Status == 200 && a.Route == "/login"), TimeSpan.FromSeconds(30));
        var recovered = Stopwatch.GetElapsedTime(freed, storm.Answers.Where(a => a.At > freed && a.Status == 200 && a.Route == "/login").Min(a => a.At));
        await Task.Delay(500, ct);
        await storm.StopAsync();

        output.WriteLine($"{storm.Answers.Count} requests: {storm.Count(a => a.Status == 200)} × 200, {storm.Count(a => a.Status == 503)} × 503 " +
            $"while the disk was full; serving logins again {recovered.TotalMilliseconds:0} ms after space was freed; " +
            $"{storm.AnsweredLogins.Count} logins acknowledged");
        Assert.All(storm.Answers, a => Assert.True(a.Status is 200 or 503, $"{a.Route} answered {a.Status}"));
        Assert.True(recovered < TimeSpan.FromSeconds(5), $"serving again took {recovered.TotalSeconds:0.0} s");
        Assert.Single(app.LinesWith("The session store is failing"));

        // Stopped the way hosts stop it, then started again on the same file: whole, with every acknowledged change.
        Assert.Equal(0, (await app.TerminateAsync(TimeSpan.FromSeconds(30))).ExitCode);
        await using (var check = new SqliteConnection($"Data Source={Database};Pooling=False"))
        {
            await check.OpenAsync(ct);
            await using var integrity = check.CreateCommand();
            integrity.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", await integrity.ExecuteScalarAsync(ct));
        }
        await using var restarted = await StartAppAsync();
        Assert.Equal(0, await storm.LostLoginsAsync(restarted.BaseAddress));
        Assert.Superset(before.ToHashSet(), storm.AnsweredLogins.ToHashSet());
        foreach (var visitor in storm.Visitors)
            Assert.Equal(visitor.Acknowledged + 1, await Storm.VisitsCountedAsync(restarted.BaseAddress, visitor));
    }

    public async ValueTask InitializeAsync() => await RunAsync("mount", "-t", "tmpfs", "-o", $"size={DiskBytes}", "tmpfs", _mount);

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await RunAsync("umount", "-l", _mount);
        Directory.Delete(_mount);
        File.Delete(_mount + ".operators.json");
    }
}
