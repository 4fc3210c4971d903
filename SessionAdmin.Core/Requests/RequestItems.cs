using Microsoft.AspNetCore.Http;

namespace SessionAdmin.Core.Requests;

/// <summary>
/// What one manager keeps in a request's <see cref="HttpContext.Items"/>: its scope, the ID it destroyed, and whether
/// its commit is hooked. The keys are this manager's own, so two managers never share a request's session.
/// </summary>
internal sealed class RequestItems
{
    /// <summary>Where the middleware leaves the request's session for <see cref="Sessions.Get"/> (Iris's key).</summary>
    public const string SessionKey = "iris.session";

    private readonly object _scopeKey = new(), _destroyedKey = new(), _commitHookKey = new();

    public RequestScope? Scope(HttpContext ctx) => ctx.Items.TryGetValue(_scopeKey, out var s) ? s as RequestScope : null;

    public void SetScope(HttpContext ctx, RequestScope scope) => ctx.Items[_scopeKey] = scope;

    /// <summary>True when this request destroyed the session <paramref name="id"/>: its cookie must not bring it back.</summary>
    public bool DestroyedInRequest(HttpContext ctx, string id) => ctx.Items[_destroyedKey] as string == id;

    /// <summary>Forgets the request's session: <see cref="Sessions.Get"/> answers null, a later Start makes a new one.</summary>
    public void Destroyed(HttpContext ctx, string id)
    {
        ctx.Items.Remove(SessionKey);
        ctx.Items.Remove(_scopeKey);
        ctx.Items[_destroyedKey] = id;
    }

    /// <summary>True the first time it is asked in a request: the commit is hooked once.</summary>
    public bool HookOnce(HttpContext ctx) => ctx.Items.TryAdd(_commitHookKey, true);
}
