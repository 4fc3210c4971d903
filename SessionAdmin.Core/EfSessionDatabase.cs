using SessionAdmin.Core.Peers;
using SessionAdmin.Core.Storage;
using SessionAdmin.Core.Storage.Sql;

namespace SessionAdmin.Core;

/// <summary>
/// The durable store on EF Core: SQLite by default (<see cref="ForSqlite"/>), or PostgreSQL shared by several app
/// nodes (<see cref="ForPostgres"/>). EF owns the schema (migrations) and the console's queries; the hot path (load,
/// commit) runs plain parameterised SQL over the same tables (<c>Storage/Sql/</c>), which both providers speak, with
/// a small dialect for what each does its own way.
/// </summary>
/// <remarks>
/// The store's I/O is synchronous on purpose: the Iris API (Start, Destroy, UpdateExpiration…) blocks on it, and a
/// thread blocked on asynchronous socket I/O waits for another pool thread to complete it. Under a burst of blocking
/// callers that starves the pool (seen: 1,000 concurrent UpdateExpiration took minutes on PostgreSQL). SQLite's
/// provider is synchronous anyway.
/// </remarks>
public sealed class EfSessionDatabase : ISessionDatabase, IQueryableSessionStore, ISharedSessionStore
{
    /// <summary>The notification channel the nodes of one PostgreSQL database talk on.</summary>
    public const string PeerChannel = PostgresPeers.Channel;

    private readonly StoreDialect _dialect;
    private readonly StoreWriter _writer;
    private readonly StoreReads _reads;
    private readonly StoreWrites _writes;
    private readonly StoreRemovals _removals;
    private readonly PrincipalIndex _principals;

    private EfSessionDatabase(StoreDialect dialect)
    {
        _dialect = dialect;
        _writer = new StoreWriter(dialect);
        _reads = new StoreReads(dialect);
        _writes = new StoreWrites(dialect, _writer);
        _removals = new StoreRemovals(dialect, _writer);
        _principals = new PrincipalIndex(dialect, _writer);
    }

    /// <summary>
    /// A store on the SQLite file of <paramref name="connectionString"/>: creates the file and its folder, applies the
    /// migrations, and turns on WAL. Commits survive a crash of the process (synchronous=NORMAL under WAL).
    /// </summary>
    /// <exception cref="SessionStoreException">The file is not a whole SQLite database, or a newer version migrated it.</exception>
    public static EfSessionDatabase ForSqlite(string connectionString) => new(SqliteDialect.Open(connectionString));

    /// <summary>
    /// A store on the PostgreSQL database of <paramref name="connectionString"/>, which several app nodes may share:
    /// applies the migrations (nodes starting together migrate one after the other), and reports every commit to the other nodes
    /// so their cached sessions stay current.
    /// </summary>
    /// <exception cref="SessionStoreException">A newer version of SessionAdmin migrated the database.</exception>
    public static EfSessionDatabase ForPostgres(string connectionString) => new(PostgresDialect.Open(connectionString));

    // The other nodes sharing the store (PostgreSQL), or null when this process is its only writer (SQLite).
    ISessionPeers? ISharedSessionStore.Peers => _dialect.Peers;

    SessionDbContext IQueryableSessionStore.CreateContext() => _dialect.CreateContext();

    /// <inheritdoc />
    public Task<StoredSession?> LoadAsync(string id, CancellationToken cancellationToken) => Run(() => _reads.Load(id));

    /// <inheritdoc />
    public Task<IReadOnlyList<SessionWriteResult>> CommitAsync(IReadOnlyList<SessionWrite> writes, CancellationToken cancellationToken) =>
        Run(() => _writes.Commit(writes));

    /// <inheritdoc />
    public Task<long> CountAsync(DateTime nowUtc, CancellationToken cancellationToken) => Run(() => _reads.Count(nowUtc));

    /// <inheritdoc />
    public Task<IReadOnlyList<ExpiredSession>> SweepAsync(DateTime nowUtc, int batchSize, CancellationToken cancellationToken) =>
        Run<IReadOnlyList<ExpiredSession>>(() => _removals.DeleteBatch(
            $"WHERE {Schema.Sessions.ExpiresTicks} <= @now OR {Schema.Sessions.IdleDeadlineTicks} <= @now", batchSize,
            expiresTicks => expiresTicks is { } at && at <= nowUtc.Ticks ? SessionDestroyReason.Expired : SessionDestroyReason.IdleTimeout,
            null, nowUtc, claim: true, ("@now", nowUtc.Ticks)));

    /// <inheritdoc />
    public Task<IReadOnlyList<ExpiredSession>> DeleteAllAsync(DateTime nowUtc, string? actor, int batchSize, CancellationToken cancellationToken) =>
        Run<IReadOnlyList<ExpiredSession>>(() => _removals.DeleteBatch("", batchSize, _ => SessionDestroyReason.DestroyedAll, actor, nowUtc, claim: true));

    /// <inheritdoc />
    public Task<IReadOnlyList<(string Id, DateTime LastAccessUtc)>> FindByPrincipalAsync(string principal, DateTime nowUtc, CancellationToken cancellationToken) =>
        Run(() => _reads.LiveOfPrincipal(principal, nowUtc));

    /// <inheritdoc />
    public Task<IReadOnlyList<ExpiredSession>> DeleteByPrincipalAsync(string principal, string? exceptId, SessionDestroyReason reason, string? actor,
        DateTime nowUtc, int batchSize, CancellationToken cancellationToken) =>
        // No claim here: a session another transaction is writing must be waited for, not left alive.
        Run<IReadOnlyList<ExpiredSession>>(() => _removals.DeleteBatch(
            $"WHERE {Schema.Sessions.Principal} = @p AND {Schema.Sessions.Id} <> @except AND {StoreReads.LiveClause}", batchSize, _ => reason, actor,
            nowUtc, claim: false, ("@p", principal), ("@except", exceptId ?? ""), ("@now", nowUtc.Ticks)));

    /// <inheritdoc />
    public Task<SessionDestroyReason?> EndedReasonAsync(string id, CancellationToken cancellationToken) => Run(() => _reads.EndedReason(id));

    /// <inheritdoc />
    public Task<int> PruneEndedAsync(DateTime beforeUtc, int batchSize, CancellationToken cancellationToken) =>
        Run(() => _removals.PruneEnded(beforeUtc, batchSize));

    /// <inheritdoc />
    public Task IndexPrincipalsAsync(string? principalKey, CancellationToken cancellationToken) =>
        Run(() => { _principals.Ensure(principalKey); return 0; });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _writer.Drop();
        await _dialect.DisposeAsync().ConfigureAwait(false);
    }

    private static Task<T> Run<T>(Func<T> work)
    {
        try { return Task.FromResult(work()); }
        catch (Exception ex) { return Task.FromException<T>(ex); }
    }
}
