using Microsoft.Data.Sqlite;

namespace SessionAdmin.Tests.TestInfrastructure;

/// <summary>A SQLite file of the test's own, deleted afterwards.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sessionadmin-tests");
        Directory.CreateDirectory(dir);
        FilePath = Path.Combine(dir, $"{Guid.NewGuid():N}.db");
    }

    public string FilePath { get; }
    public string ConnectionString => $"Data Source={FilePath}";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm", ".operators.json" })
        {
            try { File.Delete(FilePath + suffix); } catch (IOException) { }
        }
    }
}
