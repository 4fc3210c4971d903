using Microsoft.AspNetCore.Http;
using SessionAdmin.Core.Requests;
using SessionAdmin.Core.State;

namespace SessionAdmin.Core.Commits;

/// <summary>
/// The commit before each response (Decision 10): what a request changed is durable before its first byte leaves, and
/// a store that fails or times out answers 503 with Retry-After instead. Outside a request, a change commits before
/// the call returns.
/// </summary>
internal sealed class ResponseCommit(CommitQueue queue, RequestItems items, SessionCookies cookies, StoreOutage outage)
{
    /// <summary>Registers, once per request, the commit that runs before the response starts (at once if it has).</summary>
    public void Hook(HttpContext ctx, RequestScope scope)
    {
        if (ctx.Response.HasStarted)
        {
            CommitNow(scope.State, scope.RequiredVersion);
            return;
        }
        if (!items.HookOnce(ctx)) return;
        ctx.Response.OnStarting(static s =>
        {
            var (commit, context) = ((ResponseCommit, HttpContext))s;
            return commit.CommitRequestAsync(context);
        }, (this, ctx));
    }

    private async Task CommitRequestAsync(HttpContext ctx)
    {
        if (items.Scope(ctx) is not { } scope) return;
        try
        {
            await CommitAsync(scope.State, scope.RequiredVersion).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SessionStoreException or TimeoutException)
        {
            FailRequest(ctx, ex);
        }
    }

    /// <summary>The store failed this request: 503 with Retry-After and no session cookie; the outage report counts it.</summary>
    public void FailRequest(HttpContext ctx, Exception ex)
    {
        outage.RequestFailed(ex);
        ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        ctx.Response.Headers.RetryAfter = "1";
        cookies.Remove(ctx);
    }

    public void CommitNow(SessionState state, long version) => CommitAsync(state, version).GetAwaiter().GetResult();

    /// <summary>The state's changes up to <paramref name="version"/> made durable, or a SessionStoreException / TimeoutException.</summary>
    public Task CommitAsync(SessionState state, long version) => queue.FlushWithinTimeoutAsync(state, version);

    /// <summary>Commits bookkeeping (a use) that no response waits for.</summary>
    public void FlushInBackground(SessionState state, long version) => _ = FlushAsync(state, version);

    private async Task FlushAsync(SessionState state, long version)
    {
        try { await queue.FlushAsync(state, version).ConfigureAwait(false); }
        catch (SessionStoreException) { }  // the writer reported the failure; no request waits on it
    }
}
