using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace SessionAdmin.Core.Requests;

/// <summary>Reads, writes and deletes the session cookie (Decisions 2, 3 and 12).</summary>
internal sealed class SessionCookies(SessionsConfig config, TimeProvider time, ILogger logger)
{
    /// <summary>"Expires = 0" cookies live this long (browsers cap cookie lifetimes at 400 days).</summary>
    private static readonly TimeSpan LongLived = TimeSpan.FromDays(400);

    private string Name => config.CookieName;

    private long _malformed;

    /// <summary>How many times a malformed (or tampered) session cookie was read.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>The session ID the request's first cookie of our name carries, or null when absent or unusable.</summary>
    public string? ReadId(HttpContext ctx)
    {
        var raw = FirstCookie(ctx.Request.Headers.Cookie, Name);
        if (string.IsNullOrEmpty(raw)) return null;
        var id = raw;
        if (config.Encoding is { } encoding && !encoding.TryDecode(Name, raw, out id)) id = null;
        if (!SessionIds.IsValid(id))
        {
            Interlocked.Increment(ref _malformed);
            Log.MalformedCookie(logger);
            return null;
        }
        return id;
    }

    /// <summary>Writes (upserts) the session cookie with the lifetime <paramref name="expires"/> from now.</summary>
    public void Write(HttpContext ctx, string id, TimeSpan expires, Action<CookieOptions>[] perCall)
    {
        var options = Defaults(ctx);
        var now = time.GetUtcNow();
        if (expires > TimeSpan.Zero) SetLifetime(options, now, expires);
        else if (expires == TimeSpan.Zero) SetLifetime(options, now, LongLived);
        foreach (var apply in perCall) apply(options);
        ApplyPrefixRules(options);
        var value = config.Encoding?.Encode(Name, id) ?? id;
        Upsert(ctx, options.CreateCookieHeader(Name, value).ToString());
    }

    /// <summary>Replaces our cookie in the response with one that deletes it (same Path and Domain).</summary>
    public void WriteDeletion(HttpContext ctx, Action<CookieOptions>[] perCall)
    {
        var options = Defaults(ctx);
        foreach (var apply in perCall) apply(options);
        ApplyPrefixRules(options);
        options.Expires = DateTimeOffset.UnixEpoch;
        options.MaxAge = TimeSpan.Zero;
        Upsert(ctx, options.CreateCookieHeader(Name, "").ToString());
    }

    /// <summary>Drops our cookie from the response (a failed request must not hand out an ID the store lacks).</summary>
    public void Remove(HttpContext ctx) => ctx.Response.Headers.SetCookie = new StringValues(OthersCookies(ctx).ToArray());

    private CookieOptions Defaults(HttpContext ctx) => new()
    {
        Path = "/",
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = config.CookieSecureTLS && ctx.Request.IsHttps,
        Domain = config.DisableSubdomainPersistence ? null : CookieDomain.For(ctx.Request.Host.Host),
    };

    // Browsers accept a "__Host-" cookie only when Secure, with Path=/ and no Domain; a "__Secure-" one only when Secure.
    private void ApplyPrefixRules(CookieOptions options)
    {
        if (Name.StartsWith("__Host-", StringComparison.Ordinal))
        {
            options.Secure = true;
            options.Domain = null;
            options.Path = "/";
        }
        else if (Name.StartsWith("__Secure-", StringComparison.Ordinal))
        {
            options.Secure = true;
        }
    }

    private static void SetLifetime(CookieOptions options, DateTimeOffset now, TimeSpan lifetime)
    {
        options.Expires = now + lifetime;
        options.MaxAge = TimeSpan.FromSeconds(Math.Floor(lifetime.TotalSeconds));
    }

    // One Set-Cookie per name: a later write replaces the earlier one (upstream's upsert, without blank lines).
    private void Upsert(HttpContext ctx, string header)
    {
        var existing = ctx.Response.Headers.SetCookie;
        // The usual response has no cookie yet: set ours without building a list.
        ctx.Response.Headers.SetCookie = existing.Count == 0 ? new StringValues(header) : new StringValues(OthersCookies(ctx).Append(header).ToArray());
    }

    private IEnumerable<string> OthersCookies(HttpContext ctx) =>
        ctx.Response.Headers.SetCookie.Where(h => h is not null && !IsOurs(h))!;

    private bool IsOurs(string header) =>
        header.Length > Name.Length && header[Name.Length] == '=' && header.StartsWith(Name, StringComparison.Ordinal);

    private static string? FirstCookie(StringValues headers, string name)
    {
        foreach (var header in headers)
        {
            if (header is null) continue;
            foreach (var part in header.Split(';'))
            {
                var pair = part.AsSpan().Trim();
                var eq = pair.IndexOf('=');
                if (eq <= 0 || !pair[..eq].Trim().SequenceEqual(name)) continue;
                var value = pair[(eq + 1)..].Trim();
                if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') value = value[1..^1];
                return value.ToString();
            }
        }
        return null;
    }
}

/// <summary>The Domain attribute for subdomain persistence: the registrable domain, never for localhost or an IP.</summary>
internal static class CookieDomain
{
    // Second-level labels under which a country code top-level domain registers names (co.uk, com.au, ...).
    private static readonly HashSet<string> SecondLevel = new(StringComparer.OrdinalIgnoreCase)
        { "co", "com", "net", "org", "gov", "ac", "edu", "ltd", "plc", "or", "ne", "go" };

    public static string? For(string host)
    {
        if (string.IsNullOrEmpty(host) || IPAddress.TryParse(host.Trim('[', ']'), out _)) return null;
        var labels = host.TrimEnd('.').Split('.');
        if (labels.Length < 2 || labels.Any(l => l.Length == 0)) return null;
        if (labels[^1].Equals("localhost", StringComparison.OrdinalIgnoreCase)) return null;
        var take = labels.Length >= 3 && labels[^1].Length == 2 && SecondLevel.Contains(labels[^2]) ? 3 : 2;
        return string.Join('.', labels[^take..]).ToLowerInvariant();
    }
}
