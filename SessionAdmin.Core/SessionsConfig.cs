using Microsoft.AspNetCore.Http;

namespace SessionAdmin.Core;

/// <summary>
/// Options of a <see cref="Sessions"/> manager; bindable from the "Sessions" configuration section.
/// </summary>
public sealed class SessionsConfig
{
    /// <summary>The cookie name used when <see cref="Cookie"/> is left empty.</summary>
    public const string DefaultCookieName = "irissessionid";

    /// <summary>
    /// Name of the session cookie. Defaults to <see cref="DefaultCookieName"/>. A name starting with <c>__Host-</c>
    /// (recommended behind HTTPS) makes the cookie Secure, host-only and Path=/, as browsers require.
    /// </summary>
    public string Cookie { get; set; } = DefaultCookieName;

    /// <summary>Adds <c>Secure</c> to the cookie when the request is HTTPS (honours forwarded headers). Defaults to false.</summary>
    public bool CookieSecureTLS { get; set; }

    /// <summary>
    /// Kept for Iris compatibility. The port always remembers the session started in a request, so a later
    /// <c>Start</c>, <c>Destroy</c> or <c>UpdateExpiration</c> in the same request sees it either way.
    /// </summary>
    public bool AllowReclaim { get; set; }

    /// <summary>
    /// Greater than zero: absolute lifetime from creation. Zero: no server expiry and a long-lived cookie.
    /// Negative: a browser-session cookie and no server expiry. Defaults to zero.
    /// </summary>
    public TimeSpan Expires { get; set; }

    /// <summary>Greater than zero: sessions not used for this long are destroyed. Zero (the default) turns it off.</summary>
    public TimeSpan IdleTimeout { get; set; }

    /// <summary>When false (the default) the cookie gets the registrable domain of the request host.</summary>
    public bool DisableSubdomainPersistence { get; set; }

    /// <summary>Creates session IDs. Defaults to 8 characters of creation time and 144 bits from a CSPRNG, base64url-encoded.</summary>
    public Func<HttpContext, string>? SessionIDGenerator { get; set; }

    /// <summary>Encodes and decodes the cookie value. Defaults to none: the cookie holds the session ID.</summary>
    public ISessionCookieEncoding? Encoding { get; set; }

    /// <summary>How often expired and idle sessions are swept from the store. Defaults to 30 seconds.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many loaded sessions are kept in memory at most (about 2 KB each). Defaults to 20,000.</summary>
    public int CacheCapacity { get; set; } = 20_000;

    /// <summary>
    /// The largest value (or flash) accepted, in characters of its stored text (a string's length, an object's JSON).
    /// Larger values are refused with an <see cref="ArgumentException"/>. Defaults to 65,536.
    /// </summary>
    public int MaxValueLength { get; set; } = 65_536;

    /// <summary>How long a request waits for its commit before it fails with 503. Defaults to 10 seconds.</summary>
    public TimeSpan CommitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The key whose value names a session's principal (the signed-in user): a non-empty string stored under it is
    /// indexed in the store, so <see cref="Sessions.FindByPrincipalAsync"/> and <see cref="Sessions.DestroyByPrincipalAsync"/>
    /// find a person's sessions. Defaults to null: off. Changing it between runs re-indexes the stored sessions at start.
    /// </summary>
    public string? PrincipalKey { get; set; }

    /// <summary>
    /// Greater than zero: when a commit gives a principal more live sessions than this, its least recently used ones are
    /// destroyed (<see cref="SessionDestroyReason.SessionLimit"/>) in that same commit. Defaults to 0: no limit.
    /// </summary>
    public int MaxSessionsPerPrincipal { get; set; }

    internal string CookieName => string.IsNullOrEmpty(Cookie) ? DefaultCookieName : Cookie;
}
