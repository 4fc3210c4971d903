using Microsoft.AspNetCore.Http;
using SessionAdmin.Core.Removal;
using SessionAdmin.Core.State;
using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core;

// The sessions of a person (api.md, "Principals"): find them, end them, and tell a visitor why theirs ended.
public sealed partial class Sessions
{
    /// <summary>How long the store remembers why a session ended (<see cref="EndedReason"/>).</summary>
    public static readonly TimeSpan EndedReasonRetention = SessionRemover.EndedReasonRetention;

    private string? PrincipalKey => Config.PrincipalKey is { Length: > 0 } key ? key : null;

    /// <summary>
    /// The live sessions of <paramref name="principal"/> (ordinal, case-sensitive), most recently used first: exact for
    /// sessions this node serves, at the persisted granularity for the others. An index lookup in the store.
    /// </summary>
    public async Task<IReadOnlyList<string>> FindByPrincipalAsync(string principal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var rows = await _database.FindByPrincipalAsync(principal, UtcNow, cancellationToken).ConfigureAwait(false);
        return rows.OrderByDescending(r => PrincipalLimit.LastUse(r.LastAccessUtc, RecentUse(r.Id))).ThenBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => r.Id).ToList();
    }

    /// <summary>
    /// Destroys every live session of <paramref name="principal"/> except <paramref name="exceptId"/> ("sign out
    /// everywhere", or "sign out my other sessions"); returns how many. Each raises <see cref="Destroyed"/> and the
    /// <see cref="OnDestroy"/> listeners once, reason <see cref="SessionDestroyReason.SignedOutEverywhere"/>, with
    /// <paramref name="actor"/> recorded like an operator's.
    /// </summary>
    public Task<int> DestroyByPrincipalAsync(string principal, string? exceptId = null, string? actor = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return _remover.DestroyByPrincipalAsync(principal, exceptId, actor, cancellationToken);
    }

    /// <summary>
    /// Why the session named by this request's cookie ended, while that is remembered (at least
    /// <see cref="EndedReasonRetention"/>, across restarts and on every node sharing the store); null when the cookie
    /// names a live session, nothing known, or there is no cookie. Never adopts the ID.
    /// </summary>
    public SessionDestroyReason? EndedReason(HttpContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (_cookies.ReadId(ctx) is not { } id) return null;
        try
        {
            if (_database.EndedReasonAsync(id, CancellationToken.None).GetAwaiter().GetResult() is { } reason) return reason;
            // Past its deadline but not swept yet: dead all the same (Decision 11).
            var now = UtcNow;
            if (_cache.Peek(id) is { } cached) return cached.DeadReason(now);
            return _database.LoadAsync(id, CancellationToken.None).GetAwaiter().GetResult() is { } stored
                ? SessionState.FromStored(stored, null).DeadReason(now)
                : null;
        }
        catch (Exception ex)
        {
            throw _lookup.ReadFailed(ex);
        }
    }

    // The last use this node knows of a session: exact for sessions it serves, which the store hears of only now and then.
    private DateTime? RecentUse(string id) => _cache.Peek(id)?.LastAccessUtc;
}
