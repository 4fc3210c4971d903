using Microsoft.AspNetCore.Http;
using SessionAdmin.Core.State;
using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core;

// Time: expiry updates, ID regeneration, the sweep and the live count.
public sealed partial class Sessions
{
    /// <summary>Moves the absolute expiry to now + <see cref="SessionsConfig.Expires"/> and re-sends the cookie.</summary>
    /// <exception cref="SessionNotFoundException">The request has no live session.</exception>
    public void ShiftExpiration(HttpContext ctx, params Action<CookieOptions>[] cookieOptions) =>
        UpdateExpiration(ctx, Config.Expires, cookieOptions);

    /// <summary>
    /// Moves the absolute expiry to now + <paramref name="expires"/> (when positive) and re-sends the cookie with that
    /// lifetime (zero: long-lived, negative: a browser-session cookie).
    /// </summary>
    /// <exception cref="SessionNotFoundException">The request has no live session.</exception>
    public void UpdateExpiration(HttpContext ctx, TimeSpan expires, params Action<CookieOptions>[] cookieOptions)
    {
        var scope = ScopeOf(ctx);
        var state = scope?.State;
        if (state is null && _cookies.ReadId(ctx) is { } id && !DestroyedInRequest(ctx, id))
            state = FindLiveAsync(id, UtcNow).GetAwaiter().GetResult();
        if (state is null || state.Destroyed) throw new SessionNotFoundException();

        if (expires > TimeSpan.Zero)
        {
            state.SetExpiry(UtcNow + expires);
            if (scope is not null) scope.Wrote();
            else CommitNow(state, state.Version);
        }
        _cookies.Write(ctx, state.Id, expires, [.. scope?.CookieOptions ?? [], .. cookieOptions]);
    }

    /// <summary>
    /// Gives the request's session a new ID: values and flashes kept, the old ID dead (its destroy event fires with
    /// <see cref="SessionDestroyReason.Regenerated"/>), the cookie re-sent. Free for a session created in this request.
    /// </summary>
    public void RegenerateID(HttpContext ctx)
    {
        if (ScopeOf(ctx) is null) Start(ctx);
        var scope = ScopeOf(ctx)!;
        var old = scope.State;
        var fresh = old.CloneAs(GenerateId(ctx), UtcNow);
        var persisted = old.Persisted;
        // An ID made in this request and never stored was seen by no one: no load can bring it back, no tombstone.
        _cache.Remove(old.Id, tombstone: persisted || !scope.Session.IsNew);
        var onlyHere = old.MarkDestroyed();
        _cache.AddNew(fresh);
        scope.State = fresh;
        if (persisted)
        {
            // The copy and the old ID's removal go in one transaction: never both alive, never neither.
            var removal = new SessionWrite(old.Id) { Delete = true, DestroyReason = SessionDestroyReason.Regenerated, DeletedAtUtc = UtcNow };
            var outcomes = _queue.WriteAsync([fresh], removal).GetAwaiter().GetResult();
            if (outcomes[0] == SessionWriteOutcome.Deleted) RaiseDestroyed(old.Id, SessionDestroyReason.Regenerated, null, removal.DeletedPrincipal);
        }
        else if (onlyHere && !scope.Session.IsNew)
        {
            RaiseDestroyed(old.Id, SessionDestroyReason.Regenerated, null, old.Principal, counted: false);
        }
        scope.RequiredVersion = fresh.Version;
        _cookies.Write(ctx, fresh.Id, ExpiresFor(fresh), scope.CookieOptions);
        Log.Regenerated(Logger, old.Id, fresh.Id);
    }

    /// <summary>Removes expired and idle sessions now (the background sweep does this periodically); returns how many.</summary>
    public async Task<int> SweepExpiredAsync(CancellationToken cancellationToken = default)
    {
        var total = SweepSessionsOnlyHere();
        total += await DeleteInBatchesAsync(async (db, ct) => [.. await db.SweepAsync(UtcNow, BatchSize, ct).ConfigureAwait(false)],
            null, null, cancellationToken).ConfigureAwait(false);
        if (total > 0) Log.Swept(Logger, total);
        await PruneEndedAsync(cancellationToken).ConfigureAwait(false);
        return total;
    }

    // Sessions never written (nothing set yet) live in the cache only: their end is found and announced here.
    private int SweepSessionsOnlyHere()
    {
        var now = UtcNow;
        var dead = _cache.RemoveWhere(state => state.NeverWritten && state.DeadReason(now) is not null);
        foreach (var state in dead)
        {
            var reason = state.DeadReason(now)!.Value;
            if (state.MarkDestroyed()) RaiseDestroyed(state.Id, reason, null, state.Principal, counted: false);
        }
        return dead.Count;
    }

    private TimeSpan TouchGranularity =>
        Config.IdleTimeout > TimeSpan.Zero && Config.IdleTimeout / 10 < MaxTouchGranularity ? Config.IdleTimeout / 10 : MaxTouchGranularity;

    private TimeSpan ExpiresFor(SessionState state) =>
        state.ExpiresAtUtc is { } at ? at - UtcNow : Config.Expires;

    /// <summary>Counts the live sessions in the store now (the sweep also recounts, every tenth run).</summary>
    public async Task<long> RefreshActiveCountAsync(CancellationToken cancellationToken = default)
    {
        var count = await _database.CountAsync(UtcNow, cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _activeSessions, count);
        return count;
    }

    private async Task RefreshActiveCountQuietlyAsync()
    {
        try { await RefreshActiveCountAsync().ConfigureAwait(false); }
        catch (Exception ex) { _outage.OperationFailed("count", ex); }
    }
}
