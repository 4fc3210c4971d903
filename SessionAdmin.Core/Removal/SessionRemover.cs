using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SessionAdmin.Core.Commits;
using SessionAdmin.Core.Events;
using SessionAdmin.Core.State;
using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core.Removal;

/// <summary>
/// Ends sessions — one, several, all, a person's, the expired — through the writer, and announces each end once, after
/// its removal is durable. A session that was never written ends here and now: no store row, nothing to wait for.
/// </summary>
internal sealed class SessionRemover(SessionCache cache, CommitQueue queue, SessionEvents events, StoreOutage outage, Func<DateTime> utcNow,
    ILogger logger)
{
    /// <summary>Sweeps and destroy-all run in batches this size, so request commits get the writer in between.</summary>
    public const int BatchSize = 250;

    private const int PruneBatchSize = 1_000;

    /// <summary>How long the store remembers why a session ended.</summary>
    public static readonly TimeSpan EndedReasonRetention = TimeSpan.FromHours(24);

    /// <summary>
    /// Drops the in-memory copy and refuses a racing load of it: the ID is dead. Returns the copy when the store never
    /// held it (so only the caller can announce its end).
    /// </summary>
    public SessionState? Forget(string id) => cache.Remove(id, tombstone: true) is { } state && state.MarkDestroyed() ? state : null;

    /// <summary>Ends one session; true when it was live.</summary>
    public async Task<bool> DestroyAsync(string id, SessionDestroyReason reason, string? actor = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (Forget(id) is { } onlyHere)
        {
            events.RaiseDestroyed(id, reason, actor, onlyHere.Principal, counted: false);
            return true;
        }
        var write = new SessionWrite(id) { Delete = true, DestroyReason = reason, Actor = actor, DeletedAtUtc = utcNow() };
        var results = await queue.WriteAsync([], write).ConfigureAwait(false);
        if (results[0].Outcome != SessionWriteOutcome.Deleted) return false;
        events.RaiseDestroyed(id, reason, actor, results[0].DeletedPrincipal);
        return true;
    }

    /// <summary>Ends a session found past its deadline by a request, without holding the request up.</summary>
    public void ExpireInBackground(string id, SessionDestroyReason reason) => _ = ExpireAsync(id, reason);

    private async Task ExpireAsync(string id, SessionDestroyReason reason)
    {
        try { await DestroyAsync(id, reason).ConfigureAwait(false); }
        catch (Exception ex) { outage.OperationFailed("destroy of an expired session", ex); }
    }

    /// <summary>Ends the given sessions in one transaction (an operator's bulk destroy); returns how many were live.</summary>
    public async Task<int> DestroyManyAsync(IReadOnlyCollection<string> ids, string? actor)
    {
        var now = utcNow();
        var writes = ids.Distinct(StringComparer.Ordinal).Select(id =>
        {
            Forget(id);
            return new SessionWrite(id) { Delete = true, DestroyReason = SessionDestroyReason.DestroyedByID, Actor = actor, DeletedAtUtc = now };
        }).ToArray();
        if (writes.Length == 0) return 0;
        var results = await queue.WriteAsync([], writes).ConfigureAwait(false);
        var count = 0;
        for (var i = 0; i < writes.Length; i++)
        {
            if (results[i].Outcome != SessionWriteOutcome.Deleted) continue;
            events.RaiseDestroyed(writes[i].Id, SessionDestroyReason.DestroyedByID, actor, results[i].DeletedPrincipal);
            count++;
        }
        return count;
    }

    /// <summary>Ends every session, this node's unwritten ones and the store's, reporting the running count.</summary>
    public async Task<int> DestroyAllAsync(string? actor, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var onlyHere = cache.Clear().Where(state => state.MarkDestroyed()).ToList();
        foreach (var state in onlyHere) events.RaiseDestroyed(state.Id, SessionDestroyReason.DestroyedAll, actor, state.Principal, counted: false);
        return onlyHere.Count + await DeleteInBatchesAsync(
            async (db, ct) => [.. await db.DeleteAllAsync(utcNow(), actor, BatchSize, ct).ConfigureAwait(false)],
            actor, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends every live session of a principal but <paramref name="exceptId"/>.</summary>
    public Task<int> DestroyByPrincipalAsync(string principal, string? exceptId, string? actor, CancellationToken cancellationToken) =>
        DeleteInBatchesAsync(async (db, ct) => [.. await db.DeleteByPrincipalAsync(principal, exceptId,
            SessionDestroyReason.SignedOutEverywhere, actor, utcNow(), BatchSize, ct).ConfigureAwait(false)], actor, null, cancellationToken);

    /// <summary>
    /// The old ID's end when RegenerateID moves its session to <paramref name="fresh"/>: the copy and the removal go
    /// in one transaction (never both alive, never neither). <paramref name="seenByOthers"/> is false for an ID made
    /// in this request, which no one else can have seen: no tombstone, no event.
    /// </summary>
    public void Replace(SessionState old, SessionState fresh, bool seenByOthers)
    {
        var persisted = old.Persisted;
        cache.Remove(old.Id, tombstone: persisted || seenByOthers);
        var onlyHere = old.MarkDestroyed();
        cache.AddNew(fresh);
        if (persisted)
        {
            var removal = new SessionWrite(old.Id) { Delete = true, DestroyReason = SessionDestroyReason.Regenerated, DeletedAtUtc = utcNow() };
            var result = queue.WriteAsync([fresh], removal).GetAwaiter().GetResult()[0];
            if (result.Outcome == SessionWriteOutcome.Deleted) events.RaiseDestroyed(old.Id, SessionDestroyReason.Regenerated, null, result.DeletedPrincipal);
        }
        else if (onlyHere && seenByOthers)
        {
            events.RaiseDestroyed(old.Id, SessionDestroyReason.Regenerated, null, old.Principal, counted: false);
        }
    }

    /// <summary>Removes the expired and idle sessions, then the ended-session reasons past their retention; returns how many sessions.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var total = SweepSessionsOnlyHere();
        total += await DeleteInBatchesAsync(async (db, ct) => [.. await db.SweepAsync(utcNow(), BatchSize, ct).ConfigureAwait(false)],
            null, null, cancellationToken).ConfigureAwait(false);
        if (total > 0) Log.Swept(logger, total);
        await PruneEndedAsync(cancellationToken).ConfigureAwait(false);
        return total;
    }

    /// <summary>Sessions a commit removed for their principal's limit: gone from this node now, announced off the writer's thread.</summary>
    public void Evicted(List<ExpiredSession> evicted)
    {
        foreach (var s in evicted) Forget(s.Id);
        events.PostDestroyed(evicted);
    }

    /// <summary>A flushed session the store no longer holds (destroyed by another node, or a failed commit): forget it.</summary>
    public void Vanished(SessionState state)
    {
        cache.RemoveExact(state);
        if (!state.Lost) state.MarkDestroyed();
    }

    // Sessions never written (nothing set yet) live in the cache only: their end is found and announced here.
    private int SweepSessionsOnlyHere()
    {
        var now = utcNow();
        var dead = cache.RemoveWhere(state => state.NeverWritten && state.DeadReason(now) is not null);
        foreach (var state in dead)
        {
            var reason = state.DeadReason(now)!.Value;
            if (state.MarkDestroyed()) events.RaiseDestroyed(state.Id, reason, null, state.Principal, counted: false);
        }
        return dead.Count;
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
            await queue.RunAsync(async (db, ct) => removed = await deleteBatch(db, ct).ConfigureAwait(false)).ConfigureAwait(false);
            var took = Stopwatch.GetElapsedTime(started);
            foreach (var s in removed)
            {
                Forget(s.Id);
                events.RaiseDestroyed(s.Id, s.Reason, actor, s.Principal);
            }
            total += removed.Count;
            progress?.Report(total);
            if (removed.Count < BatchSize) return total;
            // Real time on purpose: the pause shares the machine, whatever clock the manager's logic runs on.
            await Task.Delay(took, cancellationToken).ConfigureAwait(false);
        }
    }

    // Ended-session reasons older than the retention go in batches, resting like the sweep.
    private async Task PruneEndedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var pruned = 0;
            await queue.RunAsync(async (db, ct) =>
                pruned = await db.PruneEndedAsync(utcNow() - EndedReasonRetention, PruneBatchSize, ct).ConfigureAwait(false)).ConfigureAwait(false);
            if (pruned < PruneBatchSize) return;
            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken).ConfigureAwait(false);
        }
    }
}
