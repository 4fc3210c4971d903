using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace SessionAdmin.Core.Storage;

/// <summary>
/// What a store must pass before it is migrated and served: a SQLite file that is a whole SQLite database, and a schema
/// no newer than this build knows. Each failure is one <see cref="SessionStoreException"/> naming the store and what to do;
/// nothing is created or migrated over a store that fails.
/// </summary>
internal static class StoreStartupChecks
{
    private const int SqliteHeaderLength = 100;
    private static ReadOnlySpan<byte> SqliteMagic => "SQLite format 3\0"u8;

    /// <summary>
    /// Refuses a file that is not a SQLite database, or is shorter than its own header says (truncated). A missing or
    /// empty file is a new store (SQLite's own rule).
    /// </summary>
    public static void CheckSqliteFile(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists || file.Length == 0) return;
        var header = new byte[SqliteHeaderLength];
        using (var stream = file.OpenRead()) stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (file.Length < SqliteHeaderLength || !header.AsSpan(0, SqliteMagic.Length).SequenceEqual(SqliteMagic))
            throw NotADatabase(path, "its first bytes are not a SQLite header");

        var pageSize = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(16)) is var size && size == 1 ? 65_536 : size;
        var changeCounter = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(24));
        var pageCount = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(28));
        var validFor = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(92));
        // The page count is trustworthy only when the header says it was written with the last change.
        if (validFor != changeCounter || pageSize < 512) return;
        var expected = (long)pageCount * pageSize;
        if (file.Length < expected)
            throw NotADatabase(path, $"it is truncated: its header counts {pageCount} pages of {pageSize} bytes ({expected} bytes), the file has {file.Length}");
    }

    /// <summary>Turns SQLite's "not a database" / "corrupt" errors while opening into the start-up error naming the file.</summary>
    public static Exception? Explain(SqliteException ex, string? path) =>
        path is not null && ex.SqliteErrorCode is 11 or 26 ? NotADatabase(path, ex.Message) : null;

    /// <summary>Refuses a store migrated by a newer build: its schema has migrations this build does not know.</summary>
    public static void RefuseNewerSchema(DbContext context, string storeName)
    {
        var known = context.Database.GetMigrations().ToList();
        var unknown = context.Database.GetAppliedMigrations().Except(known, StringComparer.Ordinal).ToList();
        if (unknown.Count == 0) return;
        throw new SessionStoreException(
            $"The session store {storeName} was migrated by a newer version of SessionAdmin ({string.Join(", ", unknown)}); " +
            $"this version knows migrations up to {known.LastOrDefault() ?? "none"}. Run the newer version, or restore a backup taken before the upgrade.");
    }

    /// <summary>Checks the schema's version, then applies the pending migrations.</summary>
    public static void Migrate(DbContext context, string storeName)
    {
        RefuseNewerSchema(context, storeName);
        context.Database.Migrate();
    }

    private static SessionStoreException NotADatabase(string path, string why) =>
        new($"The session database {path} cannot be used: {why}. Restore it from a backup, or move it away to start an empty store.");
}
