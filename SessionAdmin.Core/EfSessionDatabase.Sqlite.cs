using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core;

// SQLite: one file, one process. WAL for readers beside the writer; the file is checked before every write.
public sealed partial class EfSessionDatabase
{
    private string? _dataFile;

    /// <summary>
    /// A store on the SQLite file of <paramref name="connectionString"/>: creates the file and its folder, applies the
    /// migrations, and turns on WAL. Commits survive a crash of the process (synchronous=NORMAL under WAL).
    /// </summary>
    /// <exception cref="SessionStoreException">The file is not a whole SQLite database, or a newer version migrated it.</exception>
    public static EfSessionDatabase ForSqlite(string connectionString)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = true, Pooling = true };
        if (csb.DefaultTimeout == 30) csb.DefaultTimeout = 5;
        var dataFile = csb.DataSource is { Length: > 0 } f && f != ":memory:" ? Path.GetFullPath(f) : null;
        if (dataFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(dataFile)!);
            StoreStartupChecks.CheckSqliteFile(dataFile);
        }
        try
        {
            using var ctx = new SessionDbContext(new DbContextOptionsBuilder<SessionDbContext>().UseSqlite(csb.ToString()).Options);
            StoreStartupChecks.Migrate(ctx, dataFile ?? csb.DataSource);
            ctx.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        }
        catch (SqliteException ex) when (StoreStartupChecks.Explain(ex, dataFile) is { } explained)
        {
            throw explained;
        }
        // From now on the file must exist: if it is deleted under us, fail (503) instead of starting an empty store.
        if (csb.Mode == SqliteOpenMode.ReadWriteCreate) csb.Mode = SqliteOpenMode.ReadWrite;
        var cs = csb.ToString();
        var options = new DbContextOptionsBuilder<SessionDbContext>().UseSqlite(cs).Options;
        var busyMs = csb.DefaultTimeout * 1000;
        return new EfSessionDatabase(() => new SessionDbContext(options), () => OpenSqlite(cs, busyMs)) { _dataFile = dataFile };
    }

    private static SqliteConnection OpenSqlite(string cs, int busyTimeoutMs)
    {
        var conn = new SqliteConnection(cs);
        conn.Open();
        using var pragma = conn.CreateCommand();
        pragma.CommandText = $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={busyTimeoutMs};";
        pragma.ExecuteNonQuery();
        return conn;
    }

    // An open connection keeps writing to a deleted file, which would lose every commit silently: check first.
    private void EnsureFilePresent(bool writer = true)
    {
        if (_dataFile is null || File.Exists(_dataFile)) return;
        // Only the writer's own thread touches the writer; a reader just clears the pool of stale connections.
        if (writer) DropWriter();
        SqliteConnection.ClearAllPools();
        throw new IOException("The session database file is gone; waiting for it to be restored.");
    }
}
