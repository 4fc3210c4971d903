using SessionAdmin.Core.Commits;
using SessionAdmin.Core.Peers;
using SessionAdmin.Core.Removal;
using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core.State;

/// <summary>
/// Finds the live session an ID names: the cached copy (checked against the store's row version when other nodes
/// share it), else the store's. A session past its deadline is dead on sight and removed in the background (Decision 11).
/// </summary>
internal sealed class SessionLookup(SessionCache cache, Func<ISessionDatabase> database, SessionRemover remover, StoreOutage outage, string? principalKey)
{
    /// <summary>The live session <paramref name="id"/> names at <paramref name="now"/>, or null.</summary>
    /// <exception cref="SessionStoreException">The store could not be read.</exception>
    public async Task<SessionState?> FindLiveAsync(string id, DateTime now)
    {
        var db = database();
        var state = cache.Get(id);
        if (state is not null && db.Peers() is { } peers) state = await CurrentCopyAsync(state, peers).ConfigureAwait(false);
        if (state is null)
        {
            var epoch = cache.Epoch;
            StoredSession? stored;
            try
            {
                stored = await db.LoadAsync(id, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                throw ReadFailed(ex);
            }
            outage.Succeeded();
            if (stored is null) return null;
            state = cache.AddLoaded(SessionState.FromStored(stored, principalKey), epoch);
            if (state is null) return null;
        }
        if (state.Destroyed || state.Lost) return null;
        if (state.DeadReason(now) is { } reason)
        {
            remover.ExpireInBackground(id, reason);
            return null;
        }
        return state;
    }

    /// <summary>A failed read fails its request (503); the operator hears of it once per outage.</summary>
    public SessionStoreException ReadFailed(Exception ex)
    {
        outage.OperationFailed("read", ex);
        return new SessionStoreException("The session store could not be read.", ex);
    }

    // With peers, a cached copy is used only while the store's row version matches it: the notification that
    // another node wrote may still be on its way, and a request must never see values older than its last response.
    private async Task<SessionState?> CurrentCopyAsync(SessionState state, ISessionPeers peers)
    {
        if (!state.Persisted) return state;
        long? version;
        try
        {
            version = await peers.VersionAsync(state.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw ReadFailed(ex);
        }
        outage.Succeeded();
        if (version == state.RowVersion) return state;
        if (version is null) remover.Forget(state.Id);
        else cache.RemoveExact(state);
        return null;
    }
}
