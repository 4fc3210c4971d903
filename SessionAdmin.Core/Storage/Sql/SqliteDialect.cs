using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace SessionAdmin.Core.Storage.Sql;

/// <summary>
/// SQLite: one file, one process. WAL lets readers run beside the writer; commits survive a crash of the process
/// (synchronous=NORMAL under WAL). The file is checked before every write: an open connection keeps writing to a
/// deleted file, which would lose every commit silently.
/// </summary>
internal sealed class SqliteDialect : StoreDialect
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;
    private readonly string? _dataFile;
    private readonly DbContextOptions<SessionDbContext> _contextOptions;
    private readonly SqliteCheckpoints? _checkpoints;

    private SqliteDialect(string connectionString, int busyTimeoutMs, string? dataFile)
    {
        _connectionString = connectionString;
        _busyTimeoutMs = busyTimeoutMs;
        _dataFile = dataFile;
        _contextOptions = new DbContextOptionsBuilder<SessionDbContext>().UseSqlite(connectionString).Options;
        if (dataFile is not null) _checkpoints = new SqliteCheckpoints(connectionString, dataFile);
    }

    /// <summary>
    /// Opens (creating the file and its folder) and migrates the database of <paramref name="connectionString"/>, and
    /// turns on WAL.
    /// </summary>
    /// <exception cref="SessionStoreException">The file is not a whole SQLite database, or a newer version migrated it.</exception>
    public static SqliteDialect Open(string connectionString)
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
        return new SqliteDialect(csb.ToString(), csb.DefaultTimeout * 1000, dataFile);
    }

    public override DbConnection Open()
    {
        var conn = new SqliteConnection(_connectionString);
        conn.Open();
        using var pragma = conn.CreateCommand();
        pragma.CommandText = $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={_busyTimeoutMs}; " +
            $"PRAGMA wal_autocheckpoint={(_checkpoints is null ? 1000 : SqliteCheckpoints.WriterBound)};";
        pragma.ExecuteNonQuery();
        return conn;
    }

    public override void ClearPool()
    {
        using var conn = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(conn);
    }

    public override SessionDbContext CreateContext() => new(_contextOptions);

    public override ValueTask DisposeAsync()
    {
        _checkpoints?.Dispose();
        return default;
    }

    public override void EnsurePresent()
    {
        if (_dataFile is null || File.Exists(_dataFile)) return;
        SqliteConnection.ClearAllPools();
        throw new IOException("The session database file is gone; waiting for it to be restored.");
    }
}
