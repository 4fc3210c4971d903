using SessionAdmin.Core.Peers;
using System.Data.Common;

namespace SessionAdmin.Core.Storage.Sql;

/// <summary>
/// What one provider does its own way under the shared SQL store: how connections are made and pooled, whether the
/// store can vanish under us (a SQLite file), how a batch delete claims rows, and what other nodes are told and locked.
/// </summary>
internal abstract class StoreDialect : IAsyncDisposable
{
    /// <summary>An open connection from the pool.</summary>
    public abstract DbConnection Open();

    /// <summary>Empties the pool: its connections were cut, or hold a file that was replaced.</summary>
    public abstract void ClearPool();

    /// <summary>A new EF context on the store, for the console's queries.</summary>
    public abstract SessionDbContext CreateContext();

    /// <summary>Appended to a batch delete's row selection: on a shared server each node claims rows of its own.</summary>
    public virtual string ClaimClause => "";

    /// <summary>The other nodes sharing the store, if it can have any.</summary>
    public virtual ISessionPeers? Peers => null;

    /// <summary>Throws when the store cannot take a statement now (its file was deleted); the caller's 503.</summary>
    public virtual void EnsurePresent() { }

    /// <summary>At the start of a writer's transaction: the principals' locks, so limits hold across nodes.</summary>
    public virtual void LockPrincipals(WriterTransaction tx, IEnumerable<string> principals) { }

    /// <summary>
    /// Inserts the batch's new sessions with their values in a few statements for all of them, where the provider can
    /// (PostgreSQL); which writes it took, or null when the caller writes each one itself.
    /// </summary>
    public virtual bool[]? InsertNewInBulk(WriterTransaction tx, IReadOnlyList<SessionWrite> writes) => null;

    /// <summary>Inside a writer's transaction: tells the other nodes what it changed, delivered if it commits.</summary>
    public virtual void Notify(WriterTransaction tx, IEnumerable<PeerChange> changes) { }

    public virtual ValueTask DisposeAsync() => default;
}
