using Microsoft.AspNetCore.Http;

namespace SessionAdmin.Core.Requests;

/// <summary>
/// The sessions middleware (Iris <c>sessions.Handler()</c>): starts the request's session for every request below it,
/// so handlers read it with <see cref="Sessions.Get"/>. A store that cannot be read answers 503, as a failed commit does.
/// </summary>
internal sealed class SessionMiddleware(RequestDelegate next, Sessions sessions, Action<CookieOptions>[] cookieOptions)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            context.Items[RequestItems.SessionKey] = await sessions.StartAsync(context, cookieOptions).ConfigureAwait(false);
            await next(context).ConfigureAwait(false);
        }
        catch (SessionStoreException ex) when (!context.Response.HasStarted)
        {
            sessions.FailRequest(context, ex);
        }
    }
}
