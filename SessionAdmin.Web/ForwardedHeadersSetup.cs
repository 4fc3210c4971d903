using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace SessionAdmin.Web;

/// <summary>
/// Which proxies may tell the app the client's address and scheme (<c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c>):
/// loopback by default (a proxy on this machine), plus the addresses under <c>ForwardedHeaders:KnownProxies</c>.
/// </summary>
internal static class ForwardedHeadersSetup
{
    public const string KnownProxiesKey = "ForwardedHeaders:KnownProxies";

    public static void AddForwardedHeaders(this WebApplicationBuilder builder)
    {
        var proxies = KnownProxies(builder.Configuration);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in proxies) o.KnownProxies.Add(proxy);
        });
    }

    /// <summary>The configured proxy addresses; an entry that is not an IP address stops the start, naming it.</summary>
    public static IReadOnlyList<IPAddress> KnownProxies(IConfiguration configuration)
    {
        var entries = configuration.GetSection(KnownProxiesKey).Get<string[]>() ?? [];
        var bad = entries.Where(e => !IPAddress.TryParse(e, out _)).ToList();
        if (bad.Count > 0)
            throw new OptionsValidationException(KnownProxiesKey, typeof(ForwardedHeadersOptions),
                bad.Select(e => $"{KnownProxiesKey} must list IP addresses (such as 10.0.0.5 or ::1), not '{e}'."));
        return entries.Select(IPAddress.Parse).ToList();
    }
}
