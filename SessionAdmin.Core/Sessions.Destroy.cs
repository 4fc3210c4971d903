using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using SessionAdmin.Core.Requests;
using SessionAdmin.Core.State;
using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core;

// Ending sessions: Destroy, DestroyByID, DestroyAll, and the destroy events after each removal is durable.
public sealed partial class Sessions
{
    /// <summary>
    /// Destroys the request's session: server-side removal, a deletion cookie, and <see cref="Get"/> returns null.
    /// A later <see cref="Start"/> in the same request gives a new session with one cookie (Decision 3).
    /// </summary>
    public void Destroy(HttpContext ctx)
    {
        var scope = ScopeOf(ctx);
        var id = scope?.State.Id ?? _cookies.ReadId(ctx);
        if (id is null) return;
        ctx.Items.Remove(ContextSessionKey);
        ctx.Items.Remove(_scopeKey);
        ctx.Items[_destroyedKey] = id;
        _cookies.WriteDeletion(ctx, scope?.CookieOptions ?? []);
        DestroyCore(id, SessionDestroyReason.Destroyed);
    }

    /// <summary>Destroys a session by ID, wherever it is; nothing happens for an ID that is not a live session.</summary>
    public void DestroyByID(string sid) => DestroyCore(sid, SessionDestroyReason.DestroyedByID);

    /// <summary>Destroys a session by ID; true when it was live. <paramref name="actor"/> names the operator, if any.</summary>
    public Task<bool> DestroyByIDAsync(string sid, string? actor = null) => DestroyCoreAsync(sid, SessionDestroyReason.DestroyedByID, actor);

    /// <summary>
    /// Destroys the given sessions by ID in one transaction (an operator's bulk destroy); returns how many were live.
    /// Each raises the destroy event once, reason <see cref="SessionDestroyReason.DestroyedByID"/>.
    /// </summary>
    internal async Task<int> DestroyManyAsync(IReadOnlyCollection<string> ids, string? actor)
    {
        var now = UtcNow;
        var writes = ids.Distinct(StringComparer.Ordinal).Select(id =>
        {
            Forget(id);
            return new SessionWrite(id) { Delete = true, DestroyReason = SessionDestroyReason.DestroyedByID, Actor = actor, DeletedAtUtc = now };
        }).ToArray();
        if (writes.Length == 0) return 0;
        var outcomes = await _queue.WriteAsync([], writes).ConfigureAwait(false);
        var count = 0;
        for (var i = 0; i < writes.Length; i++)
        {
            if (outcomes[i] != SessionWriteOutcome.Deleted) continue;
            RaiseDestroyed(writes[i].Id, SessionDestroyReason.DestroyedByID, actor, writes[i].DeletedPrincipal);
            count++;
        }
        return count;
    }

    /// <summary>Destroys every stored session, raising the destroy event for each.</summary>
    public void DestroyAll() => DestroyAllAsync().GetAwaiter().GetResult();

    /// <summary>Destroys every stored session; returns how many there were.</summary>
    public Task<int> DestroyAllAsync(CancellationToken cancellationToken = default) => DestroyAllAsync(null, null, cancellationToken);

    /// <summary>Destroys every stored session, reporting the running count; <paramref name="actor"/> names the operator.</summary>
    internal Task<int> DestroyAllAsync(string? actor, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var onlyHere = _cache.Clear().Where(state => state.MarkDestroyed()).ToList();
        return DestroyAllCoreAsync(onlyHere, actor, progress, cancellationToken);
    }

    private async Task<int> DestroyAllCoreAsync(List<SessionState> onlyHere, string? actor, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        foreach (var state in onlyHere) RaiseDestroyed(state.Id, SessionDestroyReason.DestroyedAll, actor, state.Principal, counted: false);
        return onlyHere.Count + await DeleteInBatchesAsync(
            async (db, ct) => [.. await db.DeleteAllAsync(UtcNow, actor, BatchSize, ct).ConfigureAwait(false)],
            actor, progress, cancellationToken).ConfigureAwait(false);
    }

    // Runs a store-side batch delete in the writer's turn until a batch comes back short; each removed session is
    // forgotten and announced once its removal is durable. Between batches it rests as long as the batch took, so
    // removing a million sessions takes at most half of the writer and a core, and requests keep their latency (p99
    // of /secret went past 100 ms while the sweep ran flat out).
    private async Task<int> DeleteInBatchesAsync(Func<ISessionDatabase, CancellationToken, Task<List<ExpiredSession>>> deleteBatch,
        string? actor, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            List<ExpiredSession> removed = [];
            var started = Stopwatch.GetTimestamp();
            await _queue.RunAsync(async (db, ct) => removed = await deleteBatch(db, ct).ConfigureAwait(false)).ConfigureAwait(false);
            var took = Stopwatch.GetElapsedTime(started);
            foreach (var s in removed)
            {
                Forget(s.Id);
                RaiseDestroyed(s.Id, s.Reason, actor, s.Principal);
            }
            total += removed.Count;
            progress?.Report(total);
            if (removed.Count < BatchSize) return total;
            // Real time on purpose: the pause shares the machine, whatever clock the manager's logic runs on.
            await Task.Delay(took, cancellationToken).ConfigureAwait(false);
        }
    }

    // Drops the in-memory copy and refuses a racing load of it: the ID is dead. Returns the copy when the store never
    // held it (so only this call can announce its end).
    private SessionState? Forget(string id) => _cache.Remove(id, tombstone: true) is { } state && state.MarkDestroyed() ? state : null;

    /// <summary>Adds a listener called with the ID of every destroyed session (Iris signature).</summary>
    public void OnDestroy(Action<string> listener)
    {
        if (listener is null) return;
        lock (_listenersGate) _listeners.Add(listener);
    }

    internal void DestroyCore(string id, SessionDestroyReason reason) => DestroyCoreAsync(id, reason).GetAwaiter().GetResult();

    private async Task<bool> DestroyCoreAsync(string id, SessionDestroyReason reason, string? actor = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (Forget(id) is { } onlyHere)
        {
            // Never written: no store row to remove, nothing to wait for.
            RaiseDestroyed(id, reason, actor, onlyHere.Principal, counted: false);
            return true;
        }
        var write = new SessionWrite(id) { Delete = true, DestroyReason = reason, Actor = actor, DeletedAtUtc = UtcNow };
        var outcomes = await _queue.WriteAsync([], write).ConfigureAwait(false);
        if (outcomes[0] != SessionWriteOutcome.Deleted) return false;
        RaiseDestroyed(id, reason, actor, write.DeletedPrincipal);
        return true;
    }

    private async Task ExpireInBackgroundAsync(string id, SessionDestroyReason reason)
    {
        try { await DestroyCoreAsync(id, reason).ConfigureAwait(false); }
        catch (Exception ex) { _outage.OperationFailed("destroy of an expired session", ex); }
    }

    // The running count can miss a start-up count's sessions: it never goes below zero.
    private void CountOneFewer()
    {
        if (Interlocked.Decrement(ref _activeSessions) < 0) Interlocked.Exchange(ref _activeSessions, 0);
    }

    private void RaiseDestroyed(string id, SessionDestroyReason reason, string? actor = null, string? principal = null, bool counted = true)
    {
        if (counted) CountOneFewer();
        Log.SessionDestroyed(Logger, id, reason);
        Metrics.Destroyed(reason);
        Action<string>[] listeners;
        lock (_listenersGate) listeners = [.. _listeners];
        foreach (var listener in listeners)
        {
            try { listener(id); }
            catch (Exception ex) { Log.ListenerFailed(Logger, SessionIds.Hash(id), ex); }
        }
        if (Destroyed is not { } handlers) return;
        var args = new SessionDestroyedEventArgs(id, reason, _time.GetUtcNow(), actor, principal);
        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<SessionDestroyedEventArgs>>())
        {
            try { handler(this, args); }
            catch (Exception ex) { Log.ListenerFailed(Logger, SessionIds.Hash(id), ex); }
        }
    }
}
