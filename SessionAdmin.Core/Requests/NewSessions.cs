using Microsoft.AspNetCore.Http;
using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core.Requests;

/// <summary>
/// What a request's new session starts with: an ID (the configured generator's, checked, or a CSPRNG one of
/// <see cref="SessionIds"/>), its deadlines from the configuration, and the client's address and user agent.
/// </summary>
internal sealed class NewSessions(SessionsConfig config, TimeProvider time)
{
    /// <summary>A fresh ID for a session of this request.</summary>
    /// <exception cref="InvalidOperationException">The configured generator returned an unusable ID.</exception>
    public string NewId(HttpContext ctx)
    {
        var id = config.SessionIDGenerator is { } generate ? generate(ctx) : SessionIds.NewId(time.GetUtcNow());
        return SessionIds.IsValid(id)
            ? id
            : throw new InvalidOperationException("The SessionIDGenerator returned an empty, too long or cookie-unsafe ID.");
    }

    /// <summary>The record of a session created now for this request.</summary>
    public SessionRecord Record(HttpContext ctx, DateTime now)
    {
        var ua = ctx.Request.Headers.UserAgent.ToString();
        return new SessionRecord(
            NewId(ctx), now, now,
            config.Expires > TimeSpan.Zero ? now + config.Expires : null,
            config.IdleTimeout > TimeSpan.Zero ? now + config.IdleTimeout : null,
            ctx.Connection.RemoteIpAddress?.ToString(),
            ua.Length == 0 ? null : ua.Length > SessionRow.MaxUserAgentLength ? ua[..SessionRow.MaxUserAgentLength] : ua);
    }
}
