using Microsoft.Data.Sqlite;
using SessionAdmin.Core;
using SessionAdmin.Core.Storage.Sql;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>
/// The WAL reaches the database file off the commit path: a checkpointer of the store's own copies it in the
/// background, so no request's commit waits for a checkpoint's fsyncs.
/// </summary>
public sealed class SqliteCheckpointsTests : IDisposable
{
    private readonly TempDatabase _file = new();
    private readonly string _copy = Path.Combine(Path.GetTempPath(), "sessionadmin-tests", $"{Guid.NewGuid():N}.copy.db");

    [Fact]
    public async Task Committed_sessions_reach_the_database_file_while_the_store_is_open()
    {
        await using var sessions = new Sessions(new SessionsConfig { Cookie = "sid" });
        sessions.UseDatabase(EfSessionDatabase.ForSqlite(_file.ConnectionString));
        for (var i = 0; i < 20; i++)
        {
            var request = new FakeRequest();
            sessions.Start(request.Context).Set("n", i);
            await request.CompleteAsync();
        }

        // 20 sessions are a few dozen WAL pages, far below any automatic checkpoint: only the checkpointer moves them.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (SessionsInTheFileAlone() < 20 && DateTime.UtcNow < deadline) await Task.Delay(50, TestContext.Current.CancellationToken);

        Assert.Equal(20, SessionsInTheFileAlone());
    }

    [Fact]
    public void A_checkpoint_while_the_file_is_gone_is_skipped_and_creates_nothing()
    {
        using var checkpoints = new SqliteCheckpoints($"Data Source={_file.FilePath};Mode=ReadWrite", _file.FilePath);

        Assert.False(checkpoints.Run());
        Assert.False(File.Exists(_file.FilePath));
    }

    // What a copy of the database file holds without its WAL: what checkpoints have written into it.
    private long SessionsInTheFileAlone()
    {
        File.Copy(_file.FilePath, _copy, overwrite: true);
        foreach (var suffix in new[] { "-wal", "-shm" }) File.Delete(_copy + suffix);
        using var conn = new SqliteConnection($"Data Source={_copy};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        // Before the first checkpoint the file may not hold even the tables (EF Core creates the file in WAL mode).
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'sessions'";
        if ((long)cmd.ExecuteScalar()! == 0) return 0;
        cmd.CommandText = "SELECT count(*) FROM sessions";
        return (long)cmd.ExecuteScalar()!;
    }

    public void Dispose()
    {
        _file.Dispose();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_copy + suffix);
    }
}
