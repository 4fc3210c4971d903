using Microsoft.AspNetCore.Http;
using SessionAdmin.Core.Requests;
using SessionAdmin.Core.State;

namespace SessionAdmin.Core;

// Durability: the commit before each response, commits outside requests, and what a commit reports back.
public sealed partial class Sessions
{
    private async Task FlushInBackgroundAsync(SessionState state, long version)
    {
        try { await _queue.FlushAsync(state, version).ConfigureAwait(false); }
        catch (SessionStoreException) { }  // the writer reported the failure; a use is bookkeeping, no request waits on it
    }

    // Registers, once per request, the commit that runs before the response starts (Decision 10).
    private void HookCommit(HttpContext ctx, RequestScope scope)
    {
        if (ctx.Response.HasStarted)
        {
            CommitNow(scope);
            return;
        }
        if (ctx.Items.ContainsKey(_commitHookKey)) return;
        ctx.Items[_commitHookKey] = true;
        ctx.Response.OnStarting(static s =>
        {
            var (manager, context) = ((Sessions, HttpContext))s;
            return manager.CommitRequestAsync(context);
        }, (this, ctx));
    }

    private async Task CommitRequestAsync(HttpContext ctx)
    {
        if (ScopeOf(ctx) is not { } scope) return;
        try
        {
            await CommitAsync(scope.State, scope.RequiredVersion).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SessionStoreException or TimeoutException)
        {
            FailRequest(ctx, ex);
        }
    }

    // The store failed this request: 503 with Retry-After and no session cookie; the outage report counts it.
    internal void FailRequest(HttpContext ctx, Exception ex)
    {
        _outage.RequestFailed(ex);
        ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        ctx.Response.Headers.RetryAfter = "1";
        _cookies.Remove(ctx);
    }

    internal void CommitNow(RequestScope scope) => CommitNow(scope.State, scope.RequiredVersion);

    private void CommitNow(SessionState state, long version) => CommitAsync(state, version).GetAwaiter().GetResult();

    // The state's changes up to `version` made durable, or a SessionStoreException / TimeoutException.
    private Task CommitAsync(SessionState state, long version) => _queue.FlushAsync(state, version).WaitAsync(Config.CommitTimeout);

    private void OnCommitted(List<(string Id, bool Created)> committed, TimeSpan duration)
    {
        Metrics.Committed(duration);
        foreach (var (_, created) in committed)
        {
            if (created) { Metrics.Created(); Interlocked.Increment(ref _activeSessions); }
        }
        if (Changed is null || committed.Count == 0) return;
        var at = _time.GetUtcNow();
        _dispatcher.Post(() =>
        {
            foreach (var (id, created) in committed) Changed?.Invoke(this, new SessionChangedEventArgs(id, created, at));
        });
    }

    /// <summary>Applies <paramref name="edit"/> to a live session and commits it; false when there is no such session.</summary>
    internal async Task<bool> EditAsync(string id, Action<SessionState> edit)
    {
        var state = await FindLiveAsync(id, UtcNow).ConfigureAwait(false);
        if (state is null) return false;
        edit(state);
        await CommitAsync(state, state.Version).ConfigureAwait(false);
        return !state.Destroyed;
    }

    // A flushed session the store no longer holds (destroyed by another node or a failed commit): forget it.
    private void OnVanished(SessionState state)
    {
        _cache.RemoveExact(state);
        if (!state.Lost) state.MarkDestroyed();
    }
}
